// The Testing view's decisions, apart from VS Code so they can be tested on their own: the id of each item
// (file → conversation → turn), which items a run request selects, which item a runner event belongs to,
// and what a finished conversation shows — each failure once, at its turn, and a one-line summary on the
// conversation. testController.ts only turns these answers into vscode calls.

import type { Span } from '../../../core/format/model';
import type { AssertionOutcome, ConversationOutcome, TestRunEvent, TurnOutcome } from '../../../core/testing/types';
import { displaySafe } from '../../../core/text/displaySafe';
import type { RunTestsParams } from '../../../server/src/protocol';

export type TestItemRef =
  | { readonly kind: 'file'; readonly uri: string }
  | { readonly kind: 'conversation'; readonly uri: string; readonly conversation: string }
  | { readonly kind: 'turn'; readonly uri: string; readonly conversation: string; readonly turn: number };

/**
 * The item's id: its path as a JSON array. VS Code joins the ids of an item's ancestors with NUL, so an id
 * must never hold one; JSON writes every control character (NUL included) as an escape, and a conversation's
 * name can hold anything.
 */
export function testItemId(ref: TestItemRef): string {
  if (ref.kind === 'file') return JSON.stringify([ref.uri]);
  if (ref.kind === 'conversation') return JSON.stringify([ref.uri, ref.conversation]);
  return JSON.stringify([ref.uri, ref.conversation, ref.turn]);
}

/** The item an id names; undefined for an id testItemId did not write. */
export function parseTestItemId(id: string): TestItemRef | undefined {
  let path: unknown;
  try {
    path = JSON.parse(id);
  } catch {
    return undefined;
  }
  if (!Array.isArray(path) || typeof path[0] !== 'string') return undefined;
  const [uri, conversation, turn] = path as unknown[];
  if (path.length === 1) return { kind: 'file', uri: uri as string };
  if (typeof conversation !== 'string') return undefined;
  if (path.length === 2) return { kind: 'conversation', uri: uri as string, conversation };
  if (path.length === 3 && Number.isInteger(turn) && (turn as number) >= 0) return { kind: 'turn', uri: uri as string, conversation, turn: turn as number };
  return undefined;
}

/** The item a runner event is about: the conversation that started or finished, the turn that finished. */
export function eventItem(event: TestRunEvent): TestItemRef {
  if (event.type === 'conversation-finished') return { kind: 'conversation', uri: event.outcome.file, conversation: event.outcome.conversation };
  if (event.type === 'conversation-started') return { kind: 'conversation', uri: event.file, conversation: event.conversation };
  return { kind: 'turn', uri: event.file, conversation: event.conversation, turn: event.turn.index };
}

/** One conversation of a test file, as promptChain.runTests's `only` names it. */
export type ConversationSelector = NonNullable<RunTestsParams['only']>[number];

/** What promptChain.runTests is asked to run: whole files, or (`only`) just these conversations of them. */
export interface RunSelection {
  readonly uris: readonly string[];
  readonly only?: readonly ConversationSelector[];
}

/**
 * The conversations a run request selects. A turn cannot run without the turns before it, so including a
 * turn runs its conversation, and excluding one excludes nothing. `conversationsOf` lists a file's
 * conversations, needed when a whole file is included but some of its conversations are excluded.
 */
export function runSelection(include: readonly TestItemRef[], exclude: readonly TestItemRef[], conversationsOf: (uri: string) => readonly string[]): RunSelection {
  const excludedFiles = new Set(exclude.filter((ref) => ref.kind === 'file').map((ref) => ref.uri));
  const excluded = new Set(exclude.flatMap((ref) => (ref.kind === 'conversation' ? [selectorKey(ref)] : [])));
  const kept = include.filter((ref) => !excludedFiles.has(ref.uri));
  const wholeFiles = [...new Set(kept.filter((ref) => ref.kind === 'file').map((ref) => ref.uri))];
  const picked = kept.flatMap((ref) => (ref.kind === 'file' ? [] : [{ uri: ref.uri, conversation: ref.conversation }]));
  const uris = [...new Set(kept.map((ref) => ref.uri))];
  const narrowed = wholeFiles.some((uri) => conversationsOf(uri).some((conversation) => excluded.has(selectorKey({ uri, conversation }))));
  if (picked.length === 0 && !narrowed) return { uris };
  const everyPicked = [...wholeFiles.flatMap((uri) => conversationsOf(uri).map((conversation) => ({ uri, conversation }))), ...picked];
  const only = uniqueSelectors(everyPicked.filter((selector) => !excluded.has(selectorKey(selector))));
  // A file that listed nothing still goes, so the run reports why it cannot run.
  const reported = (uri: string) => only.some((selector) => selector.uri === uri) || (wholeFiles.includes(uri) && conversationsOf(uri).length === 0);
  return { uris: uris.filter(reported), only };
}

function selectorKey(selector: ConversationSelector): string {
  return JSON.stringify([selector.uri, selector.conversation]);
}

function uniqueSelectors(selectors: readonly ConversationSelector[]): ConversationSelector[] {
  return [...new Map(selectors.map((selector) => [selectorKey(selector), selector])).values()];
}

/** A failure as the peek shows it: at `span` of the test file, with expected and actual side by side when both are known. */
export interface FailureMessage {
  readonly text: string;
  readonly expected?: string;
  readonly actual?: string;
  readonly span?: Span;
}

export type TurnVerdict =
  | { readonly state: 'passed' }
  | { readonly state: 'skipped' }
  | { readonly state: 'failed'; readonly messages: readonly FailureMessage[] };

export interface ConversationVerdict {
  readonly pass: boolean;
  /** One line for a failed conversation; its failures themselves are on its turns. */
  readonly summary?: string;
  /** By turn index, one for each of the conversation's `turnCount` turns. */
  readonly turns: readonly TurnVerdict[];
}

/**
 * What a finished conversation shows. A turn that no run reached is skipped. When the conversation passed
 * (its pass_rate met), every turn that ran passed: a run the pass_rate tolerates is not a failure to show.
 * When it failed, a turn failed in any run shows each of its failures, named by run when there are several.
 */
export function conversationVerdict(outcome: ConversationOutcome, turnCount: number): ConversationVerdict {
  const turns = Array.from({ length: turnCount }, (_, index): TurnVerdict => turnVerdict(outcome, index));
  if (outcome.pass) return { pass: true, turns };
  return { pass: false, summary: conversationSummary(outcome), turns };
}

function turnVerdict(outcome: ConversationOutcome, index: number): TurnVerdict {
  const runs = outcome.attempts.flatMap((attempt, run) => (attempt.turns[index] ? [{ run, turn: attempt.turns[index] }] : []));
  if (runs.length === 0) return { state: 'skipped' };
  const messages = outcome.pass ? [] : runs.flatMap(({ run, turn }) => turnFailures(turn).map((message) => byRun(message, run, outcome.attempts.length)));
  return messages.length > 0 ? { state: 'failed', messages } : { state: 'passed' };
}

/** The turn's failure before a reply, else each failing assertion at its place in the test file. */
export function turnFailures(turn: TurnOutcome): FailureMessage[] {
  if (turn.failure) return [{ text: turn.failure.message }];
  return turn.assertions.filter((assertion) => !assertion.pass).map(assertionFailure);
}

function assertionFailure(outcome: AssertionOutcome): FailureMessage {
  // The judge's reasoning says why it failed the reply: without it the verdict cannot be checked.
  const text = outcome.reasoning ? `${outcome.message}\njudge: ${outcome.reasoning}` : outcome.message;
  const compared = outcome.expected !== undefined && outcome.actual !== undefined ? { expected: outcome.expected, actual: outcome.actual } : {};
  return { text, ...compared, span: outcome.assertion.span };
}

function byRun(message: FailureMessage, run: number, runs: number): FailureMessage {
  return runs > 1 ? { ...message, text: `run ${run + 1} of ${runs}: ${message.text}` } : message;
}

/** `turn 2 failed: 1 of 3 assertions` for one run; the share of runs that passed for `repeat`. */
export function conversationSummary(outcome: ConversationOutcome): string {
  const runs = outcome.attempts.length;
  if (runs > 1) {
    const passed = outcome.attempts.filter((attempt) => attempt.pass).length;
    return `passed ${passed} of ${runs} runs (${Math.round(outcome.passRate * 100)}%)`;
  }
  const failed = outcome.attempts[0]?.turns.find((turn) => !turn.pass);
  if (!failed) return 'failed';
  if (failed.failure) return `turn ${failed.index + 1} failed: ${failed.failure.message}`;
  const failing = failed.assertions.filter((assertion) => !assertion.pass).length;
  return `turn ${failed.index + 1} failed: ${failing} of ${failed.assertions.length} ${failed.assertions.length === 1 ? 'assertion' : 'assertions'}`;
}

/**
 * A turn's LangChain trace as the Test Results terminal shows it: control characters escaped (the trace holds
 * the model's reply and the test's text), and CRLF line ends, without which a terminal only moves down a line.
 */
export function traceOutput(trace: string): string {
  const lines = displaySafe(trace).replace(/\n/g, '\r\n');
  return lines.endsWith('\r\n') ? lines : `${lines}\r\n`;
}
