// Hover: where a variable's value comes from at run time (memory, the user's input, a partial — or
// nothing, and what LangChain will raise), the docs of a front-matter key, and the message a role header
// creates.

import { MarkupKind, type Hover, type Position } from 'vscode-languageserver-types';
import type { MessageDecl, Span } from '../../core/format/model';
import type { PromptContext } from '../context';
import { predictedErrors } from '../rules/findings';
import { frontMatterKeyDoc } from './frontMatterKeys';
import { memoryDoc, memoryTitle } from './memoryHover';
import { occurrenceAt } from './occurrences';
import { roles } from './roles';
import { rangeOf } from './spans';
import { freeVariables, inputKeyOf, meantName, memoryKeyOf, reservedVariable, sourceOf, within } from './variables';

export function getHover(ctx: PromptContext, position: Position): Hover | null {
  const offset = ctx.textDocument.offsetAt(position);
  const occurrence = occurrenceAt(ctx, offset);
  if (occurrence) return markdown(ctx, occurrence.span, variableDoc(ctx, occurrence.name));
  const header = headerAt(ctx, offset);
  if (header) return markdown(ctx, header.header.span, headerDoc(header));
  const field = ctx.prompt.frontMatter?.fields.find((f) => within(f.keySpan, offset));
  const doc = field && frontMatterKeyDoc(field.path, ctx.settings);
  return field && doc ? markdown(ctx, field.keySpan, doc) : null;
}

function markdown(ctx: PromptContext, span: Span, value: string): Hover {
  return { contents: { kind: MarkupKind.Markdown, value }, range: rangeOf(ctx, span) };
}

function variableDoc(ctx: PromptContext, name: string): string {
  const title = `**\`{${name}}\`**`;
  switch (sourceOf(ctx, name)) {
    case 'memory':
      return `${title} — ${memoryTitle(ctx.config.memory)}\n\n${memoryDoc(ctx)}${raisedDoc(ctx, name)}`;
    case 'input':
      return `${title} — the user's input\n\n${inputDoc(ctx, name)}${raisedDoc(ctx, name)}`;
    case 'partial':
      return `${title} — partial variable, filled before formatting with:\n\n${fenced(ctx.config.partialVariables[name] ?? '')}`;
    case 'unprovided':
      return `${title} — not provided\n\n${unprovidedDoc(ctx, name)}`;
  }
}

function inputDoc(ctx: PromptContext, name: string): string {
  const misses = freeVariables(ctx).filter((other) => other !== name);
  const why = ctx.config.inputKey
    ? `\`input_key: ${name}\``
    : misses.length === 0
      ? 'it is the only variable that is not the memory key or a partial, so LLMChain takes it as the input key'
      : `once ${misses.map((m) => `\`{${m}}\``).join(', ')} is fixed, it is the only variable left for the input`;
  return `Each chat turn's input text fills it (${why}), and memory saves it as the human side of the turn.`;
}

/**
 * Why nothing provides the variable, and the error LangChain raises for it — the very error the
 * diagnostics predict (../rules/findings.ts), never one worked out here.
 */
function unprovidedDoc(ctx: PromptContext, name: string): string {
  const raised = raisedDoc(ctx, name);
  if (name === reservedVariable) {
    return `LLMChain reserves \`stop\` for stop sequences: it never fills this variable from the input.${raised} Rename it.`;
  }
  const inputKey = inputKeyOf(ctx);
  const memoryKey = memoryKeyOf(ctx);
  const meant = meantName(ctx, name);
  const hint = meant ? `Did you mean \`{${meant}}\`${meant === memoryKey ? ', the memory key' : ''}? ` : '';
  const memory = memoryKey ? `the memory key (\`${memoryKey}\`)` : 'memory (off)';
  const input = inputKey ? `the input key (\`${inputKey}\`)` : 'the input key (none: LangChain cannot tell which variable takes the input; set `input_key`)';
  return `${hint}Not ${memory}, ${input} or a partial.${raised}`;
}

/** " LangChain will raise `…`." for each error the rules predict for this variable; empty when none. */
function raisedDoc(ctx: PromptContext, name: string): string {
  return predictedErrors(ctx, name)
    .map(({ error, unlessGiven }) => {
      const raise = `${unlessGiven ? 'Unless a value is given for each turn, LangChain' : 'LangChain'} will raise \`${error}\``;
      return ` ${raise}${error.endsWith('.') ? '' : '.'}`;
    })
    .join('');
}

function fenced(value: string): string {
  const shown = value.length > 500 ? `${value.slice(0, 500)}…` : value;
  const fence = shown.includes('```') ? '~~~~' : '```';
  return `${fence}text\n${shown}\n${fence}`;
}

function headerAt(ctx: PromptContext, offset: number): MessageDecl | undefined {
  const body = ctx.prompt.body;
  return body.kind === 'chat' ? body.messages.find((m) => within(m.header.span, offset)) : undefined;
}

function headerDoc(message: MessageDecl): string {
  const header = `**\`${message.header.value.trim()}\`**`;
  const name = message.role === 'placeholder' ? message.placeholder?.name : undefined;
  const bound = name ? ` Bound to \`{${name}}\` (\`variable_name="${name}"\`).` : '';
  return `${header} ${roles[message.role]?.doc ?? ''}${bound}`;
}
