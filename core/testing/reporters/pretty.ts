// The terminal reporter: a progress line per conversation as it finishes, then the failures (each failing
// assertion with expected and actual, a judge's reasoning, a snapshot's line diff), the models side by side
// when there are several, and the summary. Pure text; the CLI shows it terminal-safe.

import type { AssertionOutcome, ConversationOutcome, DiffLine, FileFailure, TestRunReport, TurnOutcome } from '../types';
import { assertionLabel, attemptsLabel, conversationRows, failedTurns, formatDuration, outcomeTokens, summaryLine } from './reportFacts';

/** `✓ remembers the name — chat.prompt-test.yaml [gpt-4o-mini] passed (2 turns, 120 ms)`. */
export function progressLine(outcome: ConversationOutcome): string {
  const mark = outcome.pass ? '✓' : '✗';
  const turns = outcome.attempts[0]?.turns.length ?? 0;
  return `${mark} ${outcome.conversation} — ${outcome.file} [${outcome.model}] ${attemptsLabel(outcome)} (${turns} turn${turns === 1 ? '' : 's'}, ${formatDuration(outcome.durationMs)})`;
}

export function prettyReport(report: TestRunReport): string {
  const sections = [
    ...report.fileFailures.map(fileFailureText),
    ...report.outcomes.filter((outcome) => !outcome.pass).map(failureText),
    report.models.length > 1 ? sideBySide(report) : '',
    summaryLine(report),
  ];
  return `${sections.filter((section) => section !== '').join('\n\n')}\n`;
}

function fileFailureText(failure: FileFailure): string {
  const problems = failure.problems.map((problem) => `  ${problem.severity} ${problem.code} ${problem.message}`);
  return [`✗ ${failure.file}: could not run`, ...problems].join('\n');
}

function failureText(outcome: ConversationOutcome): string {
  const heading = `✗ ${outcome.conversation} — ${outcome.file} [${outcome.model}] ${attemptsLabel(outcome)}`;
  const repeated = outcome.attempts.length > 1;
  const turns = failedTurns(outcome).map(({ attempt, turn }) => turnText(turn, repeated ? `attempt ${attempt}, ` : ''));
  return [heading, ...turns].join('\n');
}

function turnText(turn: TurnOutcome, attempt: string): string {
  const lines = [`  ${attempt}turn ${turn.index + 1}: ${oneLine(turn.input)}`];
  if (turn.failure) lines.push(`    ✗ ${turn.failure.kind}: ${turn.failure.message}`);
  if (turn.reply !== undefined) lines.push(`    reply: ${oneLine(turn.reply)}`);
  for (const outcome of turn.assertions.filter((a) => !a.pass)) lines.push(...assertionText(outcome, turn));
  return lines.join('\n');
}

function assertionText(outcome: AssertionOutcome, turn: TurnOutcome): string[] {
  const lines = [`    ✗ ${assertionLabel(outcome.assertion)} — ${outcome.message}`];
  if (outcome.expected !== undefined) lines.push(`      expected: ${oneLine(outcome.expected)}`);
  if (outcome.actual !== undefined) lines.push(`      actual:   ${oneLine(outcome.actual)}`);
  if (outcome.reasoning !== undefined) lines.push(`      judge: ${oneLine(outcome.reasoning)}`);
  if (outcome.assertion.kind === 'snapshot' && turn.snapshot) lines.push(...diffText(turn.snapshot.diff));
  return lines;
}

/** The baseline's lines against the reply's, `-` recorded and `+` new, as `diff -u` marks them. */
function diffText(diff: readonly DiffLine[]): string[] {
  const marks = { same: ' ', removed: '-', added: '+' } as const;
  return diff.map((line) => `      ${marks[line.op]} ${line.text}`);
}

/**
 * One row per conversation, a column per model: pass/fail, tokens, time; under it a row per turn with its
 * input and each model's reply (of the first attempt), cut to a column's width.
 */
function sideBySide(report: TestRunReport): string {
  const header = ['conversation', ...report.models];
  const rows = conversationRows(report).flatMap((row) => {
    const outcomes = report.models.map((model) => row.byModel.get(model));
    const turnCount = Math.max(0, ...outcomes.map((outcome) => outcome?.attempts[0]?.turns.length ?? 0));
    const turnRows = Array.from({ length: turnCount }, (_, index) => {
      const input = outcomes.map((outcome) => outcome?.attempts[0]?.turns[index]?.input).find((text) => text !== undefined) ?? '';
      return [
        `  ${index + 1}. ${clipped(input)}`,
        ...outcomes.map((outcome) => {
          const turn = outcome?.attempts[0]?.turns[index];
          return turn === undefined ? '—' : clipped(turn.reply ?? `(${turn.failure?.kind ?? 'no reply'})`);
        }),
      ];
    });
    return [[`${row.conversation} (${row.file})`, ...outcomes.map((outcome) => (outcome ? modelCell(outcome) : '—'))], ...turnRows];
  });
  return table([header, ...rows]);
}

/** A reply or input cut to a table column: one line, at most `columnWidth` characters with the ellipsis. */
const columnWidth = 40;
function clipped(text: string): string {
  const characters = [...oneLine(text)];
  return characters.length <= columnWidth ? characters.join('') : `${characters.slice(0, columnWidth - 1).join('')}…`;
}

function modelCell(outcome: ConversationOutcome): string {
  const tokens = outcomeTokens(outcome);
  return `${outcome.pass ? '✓' : '✗'} ${tokens === undefined ? '' : `${tokens} tok, `}${formatDuration(outcome.durationMs)}`;
}

function table(rows: readonly string[][]): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => [...(row[column] ?? '')].length))) ?? [];
  return rows.map((row) => row.map((cell, column) => cell + ' '.repeat((widths[column] ?? 0) - [...cell].length)).join('  ').trimEnd()).join('\n');
}

/** A reply or input on one line: its line breaks shown as `⏎`. */
function oneLine(text: string): string {
  return text.replace(/\r\n|\r|\n/g, ' ⏎ ');
}
