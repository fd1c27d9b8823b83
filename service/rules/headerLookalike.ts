// f. A line that looks like a role header but is not one: only a line that is exactly `system:`, `human:`,
// `user:`, `ai:`, `assistant:` or `placeholder:` starts a message. In a chat prompt `System:`, `usr:`,
// `human :` or an indented `user:` stay text of the message above, so the model gets one message where the
// author wrote two. In a prompt without any header the whole body is one text prompt; there `System:` or
// `usr:` alone on a line says the author meant a chat prompt — but transcript labels (`Human:`, `AI:`,
// `User:`, `Assistant:`, the memory prefixes) are what completion prompts are made of and stay quiet, as
// does everything in a file that says `api: completion`.

import { editDistance } from '../../core/format/didYouMean';
import type { Span } from '../../core/format/model';
import { linesBetween } from '../../core/format/text';
import type { PromptContext } from '../context';
import { dataString, quickFix } from './edits';
import type { Rule, RuleFinding } from './rule';

const roles = ['system', 'human', 'user', 'ai', 'assistant', 'placeholder'];
const abbreviations: Readonly<Record<string, string>> = { sys: 'system', usr: 'user', asst: 'assistant' };
/** A short word, optional spaces, a colon, nothing else (the cheap pre-filter is the trailing colon). */
const lookalikeLine = /^\s*([A-Za-z]{2,12})\s*:\s*$/;
const transcriptLabels = ['Human:', 'AI:', 'User:', 'Assistant:'];

interface Lookalike {
  readonly span: Span;
  readonly line: string;
  readonly header: string;
}

export const headerLookalike: Rule = {
  code: 'header-lookalike',
  severity: 'warning',
  check(ctx) {
    const body = ctx.prompt.body;
    if (body.kind === 'completion') return completionFindings(ctx);
    // An implicit message (`api: chat` without headers) has an empty header span: it is no header line.
    const headers = body.messages.filter((message) => message.header.span.end > message.header.span.start);
    const headerStarts = new Set(headers.map((message) => message.header.span.start));
    const firstHeader = headers[0]?.header.span.start ?? Infinity;
    return lookalikes(ctx.prompt.text, body.span.start, body.span.end)
      .filter((found) => !headerStarts.has(found.span.start))
      .map((found) => finding(found, found.span.start < firstHeader ? 'is text before the first message, which no message sends' : 'goes to the model as text inside the message above'));
  },
  fixes(ctx, diagnostic) {
    const header = dataString(diagnostic, 'header');
    if (header === undefined) return [];
    return [quickFix(ctx, `Change to \`${header}\``, [{ range: diagnostic.range, newText: header }], diagnostic, true)];
  },
};

function completionFindings(ctx: PromptContext): RuleFinding[] {
  const body = ctx.prompt.body;
  if (body.kind !== 'completion' || ctx.prompt.frontMatter?.api?.value === 'completion') return [];
  const memory = ctx.config.memory;
  const labels = new Set([...transcriptLabels, ...(memory ? [`${memory.humanPrefix}:`, `${memory.aiPrefix}:`] : [])]);
  return lookalikes(ctx.prompt.text, body.template.span.start, body.template.span.end)
    .filter((found) => !labels.has(found.line.trimEnd()))
    .map((found) => finding(found, 'is sent as text: without a real header the file is one text prompt, not messages'));
}

function finding({ span, line, header }: Lookalike, fate: string): RuleFinding {
  return {
    span,
    message: `This line is text, not a message header: only a line that is exactly \`${header}\` starts a message, so \`${line.trim()}\` ${fate}. Write \`${header}\`.`,
    data: { header },
  };
}

/** Look-alike lines between `start` and `end`, each spanning the line without its break. */
function lookalikes(text: string, start: number, end: number): Lookalike[] {
  const found: Lookalike[] = [];
  for (const line of linesBetween(text, start, end)) {
    const lineEnd = Math.min(line.end, end);
    // Cheap filter first: a look-alike is short and ends with a colon (maybe followed by spaces).
    if (lineEnd - line.start > 24 || !endsWithColon(text, line.start, lineEnd)) continue;
    const lineText = text.slice(line.start, lineEnd);
    const header = intendedHeader(lineText);
    if (header !== undefined) found.push({ span: { start: line.start, end: lineEnd }, line: lineText, header });
  }
  return found;
}

function endsWithColon(text: string, start: number, end: number): boolean {
  let last = end - 1;
  while (last >= start && (text.charCodeAt(last) === 32 || text.charCodeAt(last) === 9)) last--;
  return last >= start && text.charCodeAt(last) === 58;
}

/** The header a line like `System:`, `usr:` or ` human :` was meant to be, if it looks like one. */
export function intendedHeader(line: string): string | undefined {
  const word = lookalikeLine.exec(line)?.[1]?.toLowerCase();
  if (word === undefined || (roles.includes(word) && line === `${word}:`)) return undefined;
  const role = roles.includes(word) ? word : abbreviations[word] ?? misspeltRole(word);
  return role === undefined ? undefined : `${role}:`;
}

function misspeltRole(word: string): string | undefined {
  if (word.length < 4) return undefined;
  return roles.find((role) => role.length >= 4 && editDistance(word, role, 1) <= 1);
}
