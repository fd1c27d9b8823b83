// f. A line that looks like a role header but is not one: only a line that is exactly `system:`, `human:`,
// `user:`, `ai:`, `assistant:` or `placeholder:` starts a message. `System:`, `usr:`, `human :` or an
// indented `user:` stay text of the message above, so the model gets one message where the author wrote
// two. Checked in chat prompts only: in a completion prompt `Human:` / `AI:` lines are ordinary text.

import { editDistance } from '../../core/format/didYouMean';
import type { PromptContext } from '../context';
import { dataString, quickFix } from './edits';
import type { Rule, RuleFinding } from './rule';

const roles = ['system', 'human', 'user', 'ai', 'assistant', 'placeholder'];
const abbreviations: Readonly<Record<string, string>> = { sys: 'system', usr: 'user', asst: 'assistant' };
/** A short word, optional spaces, a colon, nothing else (the cheap pre-filter is the trailing colon). */
const lookalikeLine = /^\s*([A-Za-z]{2,12})\s*:\s*$/;

export const headerLookalike: Rule = {
  code: 'header-lookalike',
  severity: 'warning',
  check(ctx) {
    const body = ctx.prompt.body;
    if (body.kind !== 'chat') return [];
    // An implicit message (`api: chat` without headers) has an empty header span: it is no header line.
    const headers = body.messages.filter((message) => message.header.span.end > message.header.span.start);
    const headerStarts = new Set(headers.map((message) => message.header.span.start));
    const firstHeader = headers[0]?.header.span.start ?? Infinity;
    return lookalikes(ctx, body.span.start, body.span.end, firstHeader).filter((finding) => !headerStarts.has(finding.span.start));
  },
  fixes(ctx, diagnostic) {
    const header = dataString(diagnostic, 'header');
    if (header === undefined) return [];
    return [quickFix(ctx, `Change to \`${header}\``, [{ range: diagnostic.range, newText: header }], diagnostic, true)];
  },
};

/** Look-alike lines between `start` and `end`, each as a finding on the whole line (without its break). */
function lookalikes(ctx: PromptContext, start: number, end: number, firstHeader: number): RuleFinding[] {
  const text = ctx.prompt.text;
  const findings: RuleFinding[] = [];
  let lineStart = start;
  while (lineStart < end) {
    const lf = text.indexOf('\n', lineStart);
    const next = lf < 0 || lf >= end ? end : lf + 1;
    const lineEnd = lf < 0 || lf >= end ? end : text.charCodeAt(lf - 1) === 13 ? lf - 1 : lf;
    // Cheap filter first: a look-alike is short and ends with a colon (maybe followed by spaces).
    if (lineEnd - lineStart <= 24 && endsWithColon(text, lineStart, lineEnd)) {
      const line = text.slice(lineStart, lineEnd);
      const header = intendedHeader(line);
      if (header !== undefined) findings.push(lookalikeFinding({ start: lineStart, end: lineEnd }, line, header, lineStart < firstHeader));
    }
    lineStart = next;
  }
  return findings;
}

function endsWithColon(text: string, start: number, end: number): boolean {
  let last = end - 1;
  while (last >= start && (text.charCodeAt(last) === 32 || text.charCodeAt(last) === 9)) last--;
  return last >= start && text.charCodeAt(last) === 58;
}

function lookalikeFinding(span: { start: number; end: number }, line: string, header: string, beforeFirstMessage: boolean): RuleFinding {
  const fate = beforeFirstMessage ? 'is text before the first message, which no message sends' : 'goes to the model as text inside the message above';
  return {
    span,
    message: `This line is text, not a message header: only a line that is exactly \`${header}\` starts a message, so \`${line.trim()}\` ${fate}. Write \`${header}\`.`,
    data: { header },
  };
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
