// What an assertion is evaluated against: the turn's reply and formatted prompt, its usage, the model it ran
// on, the snapshot compared for the turn, and the judge. Each kind's evaluator lives in its own file here;
// index.ts dispatches by kind.

import type { Usage } from '../../chain/types';
import type { Assertion, AssertionKind, AssertionOutcome, SnapshotOutcome } from '../types';
import type { JudgeVerdict } from '../judge';

export interface AssertionContext {
  readonly input: string;
  readonly reply: string;
  /** The prompt as text (PromptTemplate.format, or get_buffer_string of the chat messages). */
  readonly prompt: string;
  readonly usage?: Usage;
  /** The model the conversation ran on. */
  readonly model: string;
  /** The turn's snapshot, compared once by the runner; absent when the turn has no `snapshot` assertion. */
  readonly snapshot?: SnapshotOutcome;
  /** Grades the reply against a rubric with `model` (judge.ts); throws only when cancelled. */
  judge(rubric: string, model: string | undefined): Promise<JudgeVerdict>;
}

/** The assertion of one kind. */
export type AssertionOf<K extends AssertionKind> = Assertion & { readonly kind: K };

export type Evaluate<K extends AssertionKind> = (assertion: AssertionOf<K>, ctx: AssertionContext) => AssertionOutcome | Promise<AssertionOutcome>;

export function outcome(assertion: Assertion, pass: boolean, message: string, detail: Omit<AssertionOutcome, 'assertion' | 'pass' | 'message'> = {}): AssertionOutcome {
  return { assertion, pass, message, ...detail };
}
