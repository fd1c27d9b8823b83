// The part of a rule that counts tokens (context-window-exceeded, memory-limit-exceeds-window): its
// findings computed once per context, in steps a host can pause (`prepare`), or at once (`check`); known
// without counting where cheap bounds settle them (`prepared`); and, for a host that answers before the
// count is done, what the rule can say without it (`provisional`).

import type { PromptContext } from '../context';
import { runSteps, type Steps } from '../../core/steps';
import type { Rule, RuleFinding } from './rule';

export interface CountedFindings {
  /** The findings, counting as needed. */
  findings(ctx: PromptContext): Steps<RuleFinding[]>;
  /** Whether cheap bounds already say there is nothing to report (then nothing is counted). */
  settledUncounted(ctx: PromptContext): boolean;
  /** What to report before the count is done. */
  provisional(ctx: PromptContext): RuleFinding[];
}

export function countedRule(counted: CountedFindings): Pick<Rule, 'prepare' | 'check' | 'prepared' | 'provisional'> {
  const assessed = new WeakMap<PromptContext, RuleFinding[]>();
  function* assess(ctx: PromptContext): Steps<RuleFinding[]> {
    let findings = assessed.get(ctx);
    if (!findings) {
      findings = yield* counted.findings(ctx);
      assessed.set(ctx, findings);
    }
    return findings;
  }
  return {
    *prepare(ctx) {
      yield* assess(ctx);
    },
    check: (ctx) => runSteps(assess(ctx)),
    prepared(ctx) {
      if (assessed.has(ctx)) return true;
      if (!counted.settledUncounted(ctx)) return false;
      assessed.set(ctx, []);
      return true;
    },
    provisional: (ctx) => assessed.get(ctx) ?? counted.provisional(ctx),
  };
}
