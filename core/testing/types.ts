// Contracts of prompt tests (`.prompt-test.yaml`): the parsed test file, the assertions, and what a run
// reports. Pure types. The parser (testFile.ts) produces TestFile with spans the language service turns
// into diagnostics; the runner (runTests.ts) turns TestFiles into a TestRunReport the CLI's reporters,
// the server's Testing view requests and the panel all read. Nothing here knows a host.

import type { Span } from '../format/model';
import type { ChatMessage, Usage } from '../chain/types';
import type { Failure } from '../chain/failure';
import type { TestBlock } from './testSchema';

/** The file name every test file ends with (discovery, the language server's selector). */
export const TEST_FILE_SUFFIX = '.prompt-test.yaml';

/** The folder beside a test file that keeps its recorded baselines (`--update`). */
export const SNAPSHOT_FOLDER = '__snapshots__';

export type AssertionKind =
  | 'contains'
  | 'not_contains'
  | 'equals'
  | 'starts_with'
  | 'regex'
  | 'json'
  | 'max_tokens'
  | 'prompt_contains'
  | 'prompt_equals'
  | 'snapshot'
  | 'judge';

/** Every assertion, in the order docs, completion and hover list them. */
export const ASSERTION_KINDS: readonly AssertionKind[] = [
  'contains',
  'not_contains',
  'equals',
  'starts_with',
  'regex',
  'json',
  'max_tokens',
  'prompt_contains',
  'prompt_equals',
  'snapshot',
  'judge',
];

interface AssertionBase {
  /** The whole `- kind: value` item in the test file: where a failure is shown. */
  readonly span: Span;
}

/** A text the reply (or, for prompt_*, the formatted prompt) is compared with. */
export interface TextAssertion extends AssertionBase {
  readonly kind: 'contains' | 'not_contains' | 'equals' | 'starts_with' | 'prompt_contains' | 'prompt_equals';
  readonly value: string;
}

/** `regex: PATTERN`; a leading Python inline group such as `(?i)` or `(?ims)` becomes the flags. */
export interface RegexAssertion extends AssertionBase {
  readonly kind: 'regex';
  readonly pattern: string;
}

/** `json: true` (the reply parses as JSON) or `json: { schema: {...} }` (and is valid against the JSON Schema). */
export interface JsonAssertion extends AssertionBase {
  readonly kind: 'json';
  readonly schema?: unknown;
}

/** `max_tokens: N`: the reply counts at most N tokens (the endpoint's completion tokens, else the model's tokenizer). */
export interface MaxTokensAssertion extends AssertionBase {
  readonly kind: 'max_tokens';
  readonly limit: number;
}

/** `snapshot: true`: the reply equals the recorded baseline (recorded by `--update`). */
export interface SnapshotAssertion extends AssertionBase {
  readonly kind: 'snapshot';
}

/** `judge: RUBRIC` or `judge: { rubric, model? }`: graded by a judge model through the same endpoint. */
export interface JudgeAssertion extends AssertionBase {
  readonly kind: 'judge';
  readonly rubric: string;
  /** Default: the model the conversation runs on. */
  readonly model?: string;
}

export type Assertion =
  | TextAssertion
  | RegexAssertion
  | JsonAssertion
  | MaxTokensAssertion
  | SnapshotAssertion
  | JudgeAssertion;

export interface TestTurn {
  readonly input: string;
  readonly expect: readonly Assertion[];
  /** The turn's item in `turns:`. */
  readonly span: Span;
}

export interface TestConversation {
  readonly name: string;
  /** Values for the prompt's variables other than the input key. */
  readonly vars: Readonly<Record<string, string>>;
  /** `history: FILE`: LangChain FileChatMessageHistory JSON the memory starts from, relative to the test file. */
  readonly history?: string;
  /** Where `history:`'s value is written (set with `history`). */
  readonly historySpan?: Span;
  /** Where each `vars:` key is written, by name. */
  readonly varSpans: Readonly<Record<string, Span>>;
  /** How many times the conversation runs (default 1). */
  readonly repeat: number;
  /** The share of runs that must pass, 0..1 (default 1). */
  readonly passRate: number;
  readonly turns: readonly TestTurn[];
  /** The conversation's item in `conversations:`. */
  readonly span: Span;
  readonly nameSpan: Span;
}

/** A problem in a test file, as the language service shows it; codes are documented in docs/prompt-tests.md. */
export type TestFileProblemCode =
  | 'test-yaml-syntax'
  | 'test-unknown-key'
  | 'test-missing-key'
  | 'test-wrong-type'
  | 'test-unknown-assertion'
  | 'test-bad-assertion'
  | 'test-duplicate-name'
  | 'test-duplicate-key'
  | 'test-prompt-missing'
  | 'test-prompt-has-errors'
  | 'test-unknown-variable'
  | 'test-missing-variable'
  | 'test-history-missing'
  /** The test file itself cannot be read (missing, binary, too large): the CLI's run reports it. */
  | 'test-file-unreadable'
  /** The file's recorded baselines (`__snapshots__/`) cannot be read: it does not run, and they are not overwritten. */
  | 'test-snapshot-unreadable';

export interface TestFileProblem {
  readonly code: TestFileProblemCode;
  readonly message: string;
  readonly span: Span;
  readonly severity: 'error' | 'warning';
}

export interface TestFile {
  /** `prompt:` as written: a path relative to the test file. */
  readonly prompt: string;
  readonly promptSpan: Span;
  readonly conversations: readonly TestConversation[];
  /** Problems of the file on its own (YAML, keys, types); problems that need the prompt come from checkTestFile. */
  readonly problems: readonly TestFileProblem[];
  /** Every key written in a known block, in source order: what hover explains. */
  readonly keys: readonly TestFileKey[];
}

/** A key of the file, a conversation, a turn, an assertion (block `assertion`, key its kind) or `judge:`/`json:`'s map. */
export interface TestFileKey {
  readonly block: TestBlock | 'assertion';
  readonly key: string;
  readonly keySpan: Span;
  readonly valueSpan: Span;
}

// ---- a run ----

export interface AssertionOutcome {
  readonly assertion: Assertion;
  readonly pass: boolean;
  /** One line: what was expected and what came, e.g. `reply does not contain "Ada"`. */
  readonly message: string;
  readonly expected?: string;
  readonly actual?: string;
  /** judge: the judge model's reasoning, as it gave it. */
  readonly reasoning?: string;
}

/** A snapshot compared: the recorded baseline and the lines that differ. */
export interface SnapshotOutcome {
  /** Absent: nothing recorded yet (the assertion fails unless `--update`). */
  readonly recorded?: string;
  /** `--update` wrote the reply as the new baseline. */
  readonly updated: boolean;
  readonly diff: readonly DiffLine[];
}

export interface DiffLine {
  readonly op: 'same' | 'removed' | 'added';
  readonly text: string;
}

export interface TurnOutcome {
  readonly index: number;
  readonly input: string;
  /** Absent when the turn failed before a reply. */
  readonly reply?: string;
  readonly prompt?: string;
  readonly messages?: readonly ChatMessage[];
  /** LangChain's verbose trace of the turn ("Prompt after formatting:" …), as `run --verbose` prints it. */
  readonly trace?: string;
  readonly usage?: Usage;
  readonly latencyMs: number;
  readonly assertions: readonly AssertionOutcome[];
  readonly snapshot?: SnapshotOutcome;
  /** The turn failed (endpoint, model, input…): the attempt fails and its later turns do not run. */
  readonly failure?: Failure;
  readonly pass: boolean;
}

/** One run of a conversation (of `repeat`). */
export interface AttemptOutcome {
  readonly turns: readonly TurnOutcome[];
  readonly pass: boolean;
}

export interface ConversationOutcome {
  /** The test file, as given to the runner. */
  readonly file: string;
  readonly conversation: string;
  /** The model it ran on (one outcome per model with `--model` twice or more). */
  readonly model: string;
  readonly attempts: readonly AttemptOutcome[];
  /** Passed attempts / attempts. */
  readonly passRate: number;
  /** passRate ≥ the conversation's pass_rate. */
  readonly pass: boolean;
  readonly durationMs: number;
}

/** A test file that could not run at all (missing prompt, a prompt with errors, broken YAML). */
export interface FileFailure {
  readonly file: string;
  readonly problems: readonly TestFileProblem[];
}

export interface TestRunSummary {
  readonly conversations: number;
  readonly passed: number;
  readonly failed: number;
  readonly assertions: number;
  readonly failedAssertions: number;
}

export interface TestRunReport {
  readonly models: readonly string[];
  readonly outcomes: readonly ConversationOutcome[];
  readonly fileFailures: readonly FileFailure[];
  readonly summary: TestRunSummary;
  readonly startedAt: string;
  readonly durationMs: number;
  /**
   * The run was cancelled: `outcomes` holds the conversations that finished before it was; the ones under
   * way then are left out (their turns so far were told as events), and no baseline was written.
   */
  readonly cancelled?: boolean;
}

/** What the runner tells as it goes, in order per conversation (the CLI's progress lines, the Testing view). */
export type TestRunEvent =
  | { readonly type: 'conversation-started'; readonly file: string; readonly conversation: string; readonly model: string }
  | { readonly type: 'turn-finished'; readonly file: string; readonly conversation: string; readonly model: string; readonly attempt: number; readonly turn: TurnOutcome }
  | { readonly type: 'conversation-finished'; readonly outcome: ConversationOutcome };
