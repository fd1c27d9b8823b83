// Completion: template variables inside `{` (f-string) or `{{` (mustache), front-matter keys and values,
// and role headers at the start of a body line where a message can begin.

import { CompletionItemKind, MarkupKind, type CompletionItem, type CompletionList, type Position } from 'vscode-languageserver-types';
import type { Span } from '../../core/format/model';
import { parsePrompt } from '../../core/format/parse';
import { lineBreakOf, lineEndOf, lineStartOf } from '../../core/format/text';
import { createContext, type PromptContext } from '../context';
import { frontMatterCompletions } from './frontMatterCompletion';
import { roles } from './roles';
import { rangeOf } from './spans';
import { inputKeyOf, memoryKeyOf, templateRefs, templateVariableNames, within } from './variables';

export function getCompletions(ctx: PromptContext, position: Position): CompletionList {
  const offset = ctx.textDocument.offsetAt(position);
  const items =
    frontMatterCompletions(ctx, offset) ?? variableCompletions(ctx, offset) ?? roleHeaderCompletions(ctx, offset) ?? [];
  return { isIncomplete: false, items };
}

interface Candidate {
  readonly label: string;
  readonly kind: CompletionItemKind;
  readonly detail: string;
  readonly documentation: string;
  readonly insert: string;
}

function item(ctx: PromptContext, candidate: Candidate, replace: Span, index: number): CompletionItem {
  return {
    label: candidate.label,
    kind: candidate.kind,
    detail: candidate.detail,
    documentation: { kind: MarkupKind.Markdown, value: candidate.documentation },
    sortText: String(index).padStart(4, '0'),
    filterText: candidate.label,
    textEdit: { range: rangeOf(ctx, replace), newText: candidate.insert },
  };
}

// ---- variables ----

const namePart = /^[\p{L}\p{N}_]*/u;

interface VariableSlot {
  readonly replace: Span;
  /** Where the opening braces start. */
  readonly open: number;
  readonly closer: string;
}

/** The name being typed after an opening brace, and the closing brace(s) to add if none follow. */
function variableSlot(ctx: PromptContext, offset: number): VariableSlot | undefined {
  const text = ctx.prompt.text;
  if (offset < ctx.prompt.body.span.start) return undefined;
  const lineStart = lineStartOf(text, offset);
  const before = text.slice(Math.max(lineStart, offset - 400), offset);
  const after = text.slice(offset, offset + 400);
  const nameAfter = namePart.exec(after)?.[0] ?? '';
  const rest = after.slice(nameAfter.length);
  if (ctx.config.templateFormat === 'mustache') {
    const open = /(\{\{\{?)[#^/&]?\s*([\p{L}\p{N}_.]*)$/u.exec(before);
    if (!open) return undefined;
    const closer = /^\s*\}/.test(rest) ? '' : '}'.repeat(open[1]?.length ?? 2);
    const replace = { start: offset - (open[2]?.length ?? 0), end: offset + nameAfter.length };
    return { replace, open: offset - open[0].length, closer };
  }
  // `{{` is an escaped brace in an f-string: only an odd run of braces opens a variable.
  const open = /(\{+)([\p{L}\p{N}_]*)$/u.exec(before);
  if (!open || (open[1]?.length ?? 0) % 2 === 0) return undefined;
  const closer = rest.startsWith('}') ? '' : '}';
  const replace = { start: offset - (open[2]?.length ?? 0), end: offset + nameAfter.length };
  return { replace, open: offset - open[0].length, closer };
}

function variableCompletions(ctx: PromptContext, offset: number): CompletionItem[] | undefined {
  const slot = variableSlot(ctx, offset);
  if (!slot) return undefined;
  const seen = new Set<string>();
  // Without the unclosed tag there is no name being typed to leave out (-1 matches no variable).
  const candidates = slot.closer ? variableCandidates(withoutUnclosedTag(ctx, slot), -1) : variableCandidates(ctx, offset);
  return candidates
    .filter((c) => !seen.has(c.label) && seen.add(c.label))
    .map((c, i) => item(ctx, { ...c, insert: c.label + slot.closer }, slot.replace, i));
}

/**
 * The context as if the tag being typed were not there: an unclosed mustache tag makes the whole
 * template unreadable, and the variables it already uses are the ones most worth offering.
 */
function withoutUnclosedTag(ctx: PromptContext, slot: VariableSlot): PromptContext {
  const text = ctx.prompt.text;
  const rest = text.slice(0, slot.open) + text.slice(slot.replace.end);
  return createContext(ctx.textDocument, ctx.settings, ctx.facts, parsePrompt(rest));
}

/** Most useful first: the memory key, the input key, partials, declared variables, the template's others. */
function variableCandidates(ctx: PromptContext, typingAt: number): Candidate[] {
  const candidate = (label: string, detail: string, documentation: string): Candidate => ({
    label,
    kind: CompletionItemKind.Variable,
    detail,
    documentation,
    insert: label,
  });
  const memoryKey = memoryKeyOf(ctx);
  const inputKey = inputKeyOf(ctx);
  const turns = ctx.facts.storedTurns.length;
  const typed = templateRefs(ctx).find((ref) => within(ref.nameSpan, typingAt));
  const others = templateRefs(ctx).filter((ref) => ref !== typed).map((ref) => ref.name);
  return [
    ...(memoryKey ? [candidate(memoryKey, 'memory', `Conversation history from memory (${turns} ${turns === 1 ? 'turn' : 'turns'} stored).`)] : []),
    ...(inputKey ? [candidate(inputKey, 'input', "The user's input for each chat turn.")] : []),
    ...Object.entries(ctx.config.partialVariables ?? {}).map(([name, value]) =>
      candidate(name, 'partial', `Partial variable: \`${value.length > 80 ? `${value.slice(0, 80)}…` : value}\``),
    ),
    ...(ctx.config.inputVariables ?? []).map((name) => candidate(name, 'input_variables', 'Declared in `input_variables`.')),
    ...others.map((name) => candidate(name, 'template variable', 'Used elsewhere in this prompt.')),
  ];
}

// ---- role headers ----

const headerLine = /^(system|human|user|ai|assistant|placeholder):\s*$/;

/** The word at a body line's start, when a role header could go there. */
function headerSlot(ctx: PromptContext, offset: number): { replace: Span; lineIsHeader: boolean } | undefined {
  const { text, body, frontMatter } = ctx.prompt;
  if (offset < body.span.start) return undefined;
  const lineStart = lineStartOf(text, offset);
  if (!/^[a-z]*$/i.test(text.slice(lineStart, offset))) return undefined;
  const lineEnd = lineEndOf(text, offset);
  const word = /^[a-z]*:?/i.exec(text.slice(offset, lineEnd))?.[0] ?? '';
  if (text.slice(offset + word.length, lineEnd).trim() !== '') return undefined;
  const previousStart = lineStartOf(text, lineStart - 1);
  const previousLine = lineStart === 0 ? '' : text.slice(previousStart, lineEndOf(text, previousStart));
  // Right under a header the message would be empty.
  if (lineStart > body.span.start && headerLine.test(previousLine.trim())) return undefined;
  // A completion template turns into a chat prompt only from its first line, unless it insists on completion.
  if (body.kind === 'completion') {
    if (frontMatter?.api?.value === 'completion' || text.slice(body.span.start, lineStart).trim() !== '') return undefined;
  }
  return { replace: { start: lineStart, end: offset + word.length }, lineIsHeader: word.endsWith(':') };
}

function roleHeaderCompletions(ctx: PromptContext, offset: number): CompletionItem[] | undefined {
  const slot = headerSlot(ctx, offset);
  if (!slot) return undefined;
  const body = ctx.prompt.body;
  const hasSystem = body.kind === 'chat' && body.messages.some((m) => m.role === 'system');
  // On a line that already is a header only the role changes; elsewhere the message's first line follows.
  const eol = slot.lineIsHeader ? '' : lineBreakOf(ctx.prompt.text);
  const header = (role: keyof typeof roles, insert = `${roles[role].header}${eol}`): Candidate => ({
    label: roles[role].header,
    kind: CompletionItemKind.Keyword,
    detail: roles[role].promptClass,
    documentation: `\`${roles[role].header}\` ${roles[role].doc}`,
    insert,
  });
  const placeholders = slot.lineIsHeader ? [] : memoryPlaceholder(ctx);
  const candidates = [
    ...(hasSystem ? [] : [header('system')]),
    header('human'),
    header('ai'),
    ...placeholders.map((variable) => ({
      ...header('placeholder', `placeholder:${eol}${variable}${eol}`),
      label: `placeholder: ${variable}`,
    })),
  ];
  return candidates.map((c, i) => item(ctx, c, slot.replace, i));
}

/** `{memoryKey}` for a placeholder, when memory returns messages and the history is not placed yet. */
function memoryPlaceholder(ctx: PromptContext): string[] {
  const memory = ctx.config.memory;
  if (!memory?.returnMessages || templateVariableNames(ctx).includes(memory.key)) return [];
  return [ctx.config.templateFormat === 'mustache' ? `{{${memory.key}}}` : `{${memory.key}}`];
}
