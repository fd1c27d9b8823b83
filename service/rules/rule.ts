// The shape of a diagnostic rule. A rule looks at one PromptContext and reports findings at model spans;
// `validate` turns findings into LSP diagnostics and `getCodeActions` asks the rule that reported a
// diagnostic for its quick fixes. Each rule lives in its own file with a stable code and a default severity.

import type { CodeAction, Diagnostic } from 'vscode-languageserver-types';
import type { Severity, Span } from '../../core/format/model';
import type { PromptContext } from '../context';
import type { Steps } from '../../core/steps';

export interface RuleFinding {
  readonly span: Span;
  readonly message: string;
  /** Overrides the rule's default severity for this one finding. */
  readonly severity?: Severity;
  /** What the rule's quick fixes need; it travels with the diagnostic to the client and back. */
  readonly data?: Record<string, unknown>;
  /** The run-time error this finding foresees; the hover over those variables states it (./findings.ts). */
  readonly predicts?: Prediction;
}

/** LangChain's error at run time because of some template variables, in LangChain's exact words. */
export interface Prediction {
  readonly variables: readonly string[];
  /** e.g. `Missing some input keys: {'history'}`, as LangChain raises it. */
  readonly error: string;
  /** Raised only when a run passes no value for the variable (one beside `input_key`). */
  readonly unlessGiven?: boolean;
}

export interface Rule {
  /** Stable: documented in docs/diagnostics.md, printed by `prompt-chain check`. */
  readonly code: string;
  readonly severity: Severity;
  check(ctx: PromptContext): RuleFinding[];
  /**
   * Work that can take long (tokenizing), done in steps before `check` so a host can pause between them;
   * `check` then finds it done. Without it `check` does the work itself.
   */
  prepare?(ctx: PromptContext): Steps<void>;
  /** With `prepare`: whether its work is done for this context, so `check` is quick. */
  prepared?(ctx: PromptContext): boolean;
  /**
   * With `prepare`: the findings without its work, from what is quick to know (an estimate), for a host
   * that answers before the work is done (the server, past its deadline) and tells the client again after.
   */
  provisional?(ctx: PromptContext): RuleFinding[];
  /** Quick fixes for one diagnostic this rule reported (possibly for an older version of the text). */
  fixes?(ctx: PromptContext, diagnostic: Diagnostic): CodeAction[];
}
