// Quick-fix edits to the body: rename a variable everywhere it is written, and insert the memory variable,
// a `placeholder:` message or an input variable where a prompt author would put it.

import type { TextEdit } from 'vscode-languageserver-types';
import type { MessageDecl, TemplateFormat } from '../../core/format/model';
import { lineBreakOf, lineStartOf } from '../../core/format/text';
import type { PromptContext } from '../context';
import { analyze } from './analysis';
import { insertAt, replaceSpan } from './edits';

/** `{name}` or `{{name}}`, as the template format writes a variable. */
export function variableText(format: TemplateFormat, name: string): string {
  return format === 'mustache' ? `{{${name}}}` : `{${name}}`;
}

/** Every `{from}` in the body and every `input_variables` entry naming it, renamed to `to`. */
export function renameVariableEdits(ctx: PromptContext, from: string, to: string): TextEdit[] {
  const edits = (analyze(ctx).refsByName.get(from) ?? []).map((ref) => replaceSpan(ctx, ref.nameSpan, to));
  for (const entry of ctx.prompt.frontMatter?.inputVariables?.value ?? []) {
    if (entry.value !== from) continue;
    const quoted = ctx.prompt.text.slice(entry.span.start, entry.span.end);
    const at = quoted.indexOf(from);
    if (at >= 0 && /^[\w-]+$/.test(to)) edits.push(replaceSpan(ctx, { start: entry.span.start + at, end: entry.span.start + at + from.length }, to));
  }
  return edits;
}

/**
 * Where the history belongs in a text template: on its own line just before the line holding the user's
 * input (LangChain's own examples put `{chat_history}` right above `Human: {human_input}`), else at the end.
 */
export function insertMemoryVariableEdit(ctx: PromptContext, memoryKey: string): TextEdit | undefined {
  const body = ctx.prompt.body;
  if (body.kind !== 'completion') return undefined;
  const text = ctx.prompt.text;
  const nl = lineBreakOf(text);
  const variable = variableText(body.template.format, memoryKey);
  const inputRef = inputReference(ctx);
  if (inputRef) return insertAt(ctx, lineStartOf(text, inputRef), `${variable}${nl}`);
  const end = body.template.span.end;
  return insertAt(ctx, end, end === body.template.span.start ? variable : `${nl}${variable}`);
}

/** A `placeholder:` message for the memory, before the message holding the user's input (else the last human one). */
export function insertPlaceholderEdit(ctx: PromptContext, memoryKey: string): TextEdit | undefined {
  const body = ctx.prompt.body;
  if (body.kind !== 'chat') return undefined;
  const nl = lineBreakOf(ctx.prompt.text);
  const format = body.messages[0]?.template.format ?? 'f-string';
  const message = `placeholder:${nl}${variableText(format, memoryKey)}${nl}${nl}`;
  const before = messageHoldingInput(ctx, body.messages) ?? lastHumanMessage(body.messages);
  if (before && before.header.span.end > before.header.span.start) return insertAt(ctx, before.header.span.start, message);
  return appendToBody(ctx, message.slice(0, -nl.length));
}

/** A variable for the user's input: a `human:` message at the end of a chat, a last line of a text template. */
export function insertInputVariableEdit(ctx: PromptContext, name: string): TextEdit {
  const body = ctx.prompt.body;
  const nl = lineBreakOf(ctx.prompt.text);
  if (body.kind === 'chat') {
    const format = body.messages[0]?.template.format ?? 'f-string';
    return appendToBody(ctx, `human:${nl}${variableText(format, name)}`);
  }
  const template = body.template;
  const variable = variableText(template.format, name);
  return insertAt(ctx, template.span.end, template.span.end === template.span.start ? variable : `${nl}${variable}`);
}

/** A name for a new input variable that nothing else in the file uses. */
export function freshInputName(ctx: PromptContext): string {
  const analysis = analyze(ctx);
  const taken = (name: string): boolean => analysis.refsByName.has(name) || analysis.partials.has(name) || name === analysis.memoryKey;
  return ['input', 'question', 'user_input'].find((name) => !taken(name)) ?? 'user_message';
}

/** The offset of the first reference of the user's input variable, if the template has one. */
function inputReference(ctx: PromptContext): number | undefined {
  const analysis = analyze(ctx);
  const inputKey = analysis.declaredInputKey ?? (analysis.inputCandidates.length === 1 ? analysis.inputCandidates[0] : undefined);
  return inputKey === undefined ? undefined : analysis.refsByName.get(inputKey)?.[0]?.span.start;
}

function messageHoldingInput(ctx: PromptContext, messages: readonly MessageDecl[]): MessageDecl | undefined {
  const offset = inputReference(ctx);
  return offset === undefined ? undefined : messages.find((m) => m.span.start <= offset && offset < m.span.end);
}

function lastHumanMessage(messages: readonly MessageDecl[]): MessageDecl | undefined {
  return [...messages].reverse().find((message) => message.role === 'human');
}

/** Appends `block` after the body's last non-blank text, separated by a blank line. */
function appendToBody(ctx: PromptContext, block: string): TextEdit {
  const text = ctx.prompt.text;
  const nl = lineBreakOf(text);
  let end = text.length;
  while (end > ctx.prompt.body.span.start && /\s/.test(text[end - 1] ?? '')) end--;
  const separator = end === ctx.prompt.body.span.start ? '' : `${nl}${nl}`;
  return replaceSpan(ctx, { start: end, end: text.length }, `${separator}${block}${nl}`);
}
