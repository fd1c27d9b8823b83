// The body after the front matter: one PromptTemplate (completion) or a list of role messages (chat).
// Roles come only from header lines in the file, never from rendered text: a header is a line that is
// exactly `system:`, `human:`, `user:`, `ai:`, `assistant:` or `placeholder:`.

import type { Api, Located, MessageDecl, ParseProblem, PromptBody, Role, Span, Template, TemplateFormat } from './model';
import { ProblemCode, appendAll, problem } from './problems';
import { parseTemplate } from './template';
import { isBlank, linesBetween, type Line } from './text';

export interface BodyOptions {
  /** `api` from the front matter; undefined: chat when the body has a header, else completion. */
  readonly declaredApi?: Api;
  readonly format: TemplateFormat;
}

export interface ParsedBody {
  readonly body: PromptBody;
  readonly problems: ParseProblem[];
}

const HEADER_ROLES: ReadonlyMap<string, Role> = new Map([
  ['system:', 'system'],
  ['human:', 'human'],
  ['user:', 'human'],
  ['ai:', 'ai'],
  ['assistant:', 'ai'],
  ['placeholder:', 'placeholder'],
]);

export function roleOfHeader(line: string): Role | undefined {
  return HEADER_ROLES.get(line);
}

export function parseBody(text: string, start: number, options: BodyOptions): ParsedBody {
  const lines = linesBetween(text, start, text.length);
  const headers = options.declaredApi === 'completion' ? [] : headerLines(text, lines);
  const api = options.declaredApi ?? (headers.length > 0 ? 'chat' : 'completion');
  const span = { start, end: text.length };
  if (api === 'completion') {
    const template = parseTemplate(text, wholeBodySpan(text, start), options.format);
    return { body: { kind: 'completion', span, template }, problems: [...template.problems] };
  }
  if (headers.length === 0) return implicitHumanMessage(text, start, options.format);
  return parseMessages(text, span, lines, headers, options.format);
}

/** Indexes (into `lines`) of the role header lines. */
function headerLines(text: string, lines: readonly Line[]): number[] {
  const headers: number[] = [];
  lines.forEach((line, index) => {
    const length = line.end - line.start;
    // Cheap filter first: every header is 3..12 characters and ends with ':'.
    if (length < 3 || length > 12 || text.charCodeAt(line.end - 1) !== 58) return;
    if (roleOfHeader(text.slice(line.start, line.end))) headers.push(index);
  });
  return headers;
}

/** The body minus one trailing line break: a file's final newline is not part of the template. */
function wholeBodySpan(text: string, start: number): Span {
  const LF = 10;
  const CR = 13;
  let end = text.length;
  const last = end > start ? text.charCodeAt(end - 1) : -1;
  if (last === LF || last === CR) end--;
  if (last === LF && end > start && text.charCodeAt(end - 1) === CR) end--;
  return { start, end };
}

/** `api: chat` without headers: ChatPromptTemplate.from_template, one human message. */
function implicitHumanMessage(text: string, start: number, format: TemplateFormat): ParsedBody {
  const template = parseTemplate(text, wholeBodySpan(text, start), format);
  const header: Located<string> = { value: '', span: { start, end: start } };
  const message: MessageDecl = { role: 'human', header, span: template.span, template };
  return { body: { kind: 'chat', span: { start, end: text.length }, messages: [message] }, problems: [...template.problems] };
}

function parseMessages(text: string, span: Span, lines: readonly Line[], headers: readonly number[], format: TemplateFormat): ParsedBody {
  const problems: ParseProblem[] = [];
  const preamble = contentSpan(text, lines, 0, headers[0] ?? 0);
  if (preamble) {
    problems.push(problem(ProblemCode.textBeforeFirstMessage, 'Text before the first role header belongs to no message and is ignored. Put it under a header such as `system:`, or remove it.', preamble));
  }
  const messages = headers.map((headerIndex, i) => {
    const message = parseMessage(text, lines, headerIndex, headers[i + 1] ?? lines.length, format);
    appendAll(problems, message.problems);
    return message.message;
  });
  return { body: { kind: 'chat', span, messages }, problems };
}

function parseMessage(text: string, lines: readonly Line[], headerIndex: number, nextHeader: number, format: TemplateFormat): { message: MessageDecl; problems: ParseProblem[] } {
  const headerLine = lines[headerIndex] as Line;
  const headerText = text.slice(headerLine.start, headerLine.end);
  const role = roleOfHeader(headerText) ?? 'human';
  const header: Located<string> = { value: headerText, span: { start: headerLine.start, end: headerLine.end } };
  const content = contentSpan(text, lines, headerIndex + 1, nextHeader);
  const template = parseTemplate(text, content ?? { start: headerLine.next, end: headerLine.next }, format);
  const span = { start: headerLine.start, end: content ? content.end : headerLine.end };
  const problems = [...template.problems];
  if (role !== 'placeholder') return { message: { role, header, span, template }, problems };
  const placeholder = placeholderVariable(text, template);
  if (placeholder) return { message: { role, header, span, template, placeholder }, problems };
  if (template.problems.length === 0) problems.push(placeholderShapeProblem(template, header.span));
  return { message: { role, header, span, template }, problems };
}

/** From the first to the last non-blank line of lines[from, to), without the final line break. */
function contentSpan(text: string, lines: readonly Line[], from: number, to: number): Span | undefined {
  let first = from;
  while (first < to && isBlankLine(text, lines[first])) first++;
  if (first >= to) return undefined;
  let last = to - 1;
  while (last > first && isBlankLine(text, lines[last])) last--;
  return { start: (lines[first] as Line).start, end: (lines[last] as Line).end };
}

function isBlankLine(text: string, line: Line | undefined): boolean {
  return line === undefined || isBlank(text, line.start, line.end);
}

/** A placeholder holds one variable and nothing else but whitespace. */
function placeholderVariable(text: string, template: Template) {
  const variable = template.variables[0];
  if (!variable || template.variables.length > 1 || template.problems.length > 0) return undefined;
  const alone = isBlank(text, template.span.start, variable.span.start) && isBlank(text, variable.span.end, template.span.end);
  return alone ? variable : undefined;
}

function placeholderShapeProblem(template: Template, headerSpan: Span): ParseProblem {
  const span = template.span.end > template.span.start ? template.span : headerSpan;
  const example = template.format === 'mustache' ? '{{chat_history}}' : '{chat_history}';
  return problem(
    ProblemCode.placeholderShape,
    `\`placeholder:\` must hold exactly one variable and nothing else, e.g. \`${example}\`: it becomes MessagesPlaceholder(name), filled with a list of messages.`,
    span,
  );
}
