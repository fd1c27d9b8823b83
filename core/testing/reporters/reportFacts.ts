// What every reporter says the same way: an assertion in one line, a duration, a turn's tokens, the failing
// turns of an outcome and the run's models by conversation. Pure; the reporters only lay these out.

import type { Assertion, AttemptOutcome, ConversationOutcome, TestRunReport, TurnOutcome } from '../types';

/** `contains: "Ada"`, `regex: (?i)\bada\b`, `snapshot`: the assertion as the test file writes it. */
export function assertionLabel(assertion: Assertion): string {
  switch (assertion.kind) {
    case 'regex':
      return `regex: ${assertion.pattern}`;
    case 'json':
      return assertion.schema === undefined ? 'json' : 'json (with schema)';
    case 'max_tokens':
      return `max_tokens: ${assertion.limit}`;
    case 'snapshot':
      return 'snapshot';
    case 'judge':
      return `judge: ${assertion.rubric}`;
    default:
      return `${assertion.kind}: ${JSON.stringify(assertion.value)}`;
  }
}

/** `840 ms`, `1.2 s`. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** The reply's tokens as the endpoint counted them, when it did. */
export function replyTokens(turn: TurnOutcome): number | undefined {
  return turn.usage?.completionTokens ?? turn.usage?.totalTokens;
}

/** Completion tokens over every turn of every attempt (what the side-by-side columns compare). */
export function outcomeTokens(outcome: ConversationOutcome): number | undefined {
  const counts = outcome.attempts.flatMap((attempt) => attempt.turns.map(replyTokens));
  return counts.some((count) => count !== undefined) ? counts.reduce<number>((sum, count) => sum + (count ?? 0), 0) : undefined;
}

/** `2/3 attempts` or, for one attempt, `passed` / `failed`. */
export function attemptsLabel(outcome: ConversationOutcome): string {
  const passed = outcome.attempts.filter((attempt) => attempt.pass).length;
  if (outcome.attempts.length === 1) return outcome.pass ? 'passed' : 'failed';
  return `${passed}/${outcome.attempts.length} attempts passed (${Math.round(outcome.passRate * 100)}%)`;
}

export interface FailedTurn {
  readonly attempt: number;
  readonly turn: TurnOutcome;
}

/** The turns that failed, attempt by attempt (the first attempt's numbering is 1). */
export function failedTurns(outcome: ConversationOutcome): FailedTurn[] {
  return outcome.attempts.flatMap((attempt: AttemptOutcome, index) => attempt.turns.filter((turn) => !turn.pass).map((turn) => ({ attempt: index + 1, turn })));
}

export interface ConversationRow {
  readonly file: string;
  readonly conversation: string;
  /** By model, in the report's model order; absent where that model's run was not reported. */
  readonly byModel: ReadonlyMap<string, ConversationOutcome>;
}

/** One row per conversation, its outcomes by model: what "models in columns" lays out. In run order. */
export function conversationRows(report: TestRunReport): ConversationRow[] {
  const rows = new Map<string, { file: string; conversation: string; byModel: Map<string, ConversationOutcome> }>();
  for (const outcome of report.outcomes) {
    const key = JSON.stringify([outcome.file, outcome.conversation]);
    const row = rows.get(key) ?? { file: outcome.file, conversation: outcome.conversation, byModel: new Map() };
    row.byModel.set(outcome.model, outcome);
    rows.set(key, row);
  }
  return [...rows.values()];
}

/** `3 conversations: 2 passed, 1 failed; 12 assertions, 1 failed (1.4 s)`. */
export function summaryLine(report: TestRunReport): string {
  const { conversations, passed, failed, assertions, failedAssertions } = report.summary;
  const files = report.fileFailures.length > 0 ? `; ${plural(report.fileFailures.length, 'test file')} could not run` : '';
  const cancelled = report.cancelled ? '; cancelled' : '';
  return `${plural(conversations, 'conversation')}: ${passed} passed, ${failed} failed; ${plural(assertions, 'assertion')}, ${failedAssertions} failed${files}${cancelled} (${formatDuration(report.durationMs)})`;
}

export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
