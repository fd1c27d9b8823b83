// Each rule's findings, computed once per PromptContext and asked for by everything that speaks about
// them: the diagnostics, and the hover, which states the error the diagnostics predict for a variable
// rather than working out its own (the two once disagreed about `{history}` against `chat_history`).

import type { PromptContext } from '../context';
import { rules } from './index';
import type { Prediction, Rule, RuleFinding } from './rule';

const computed = new WeakMap<PromptContext, Map<Rule, readonly RuleFinding[]>>();

/** `rule.check(ctx)`, once per context; throws as the check does (the diagnostics report that). */
export function findingsOf(ctx: PromptContext, rule: Rule): readonly RuleFinding[] {
  let byRule = computed.get(ctx);
  if (!byRule) computed.set(ctx, (byRule = new Map()));
  let findings = byRule.get(rule);
  if (!findings) byRule.set(rule, (findings = rule.check(ctx)));
  return findings;
}

/**
 * What LangChain raises at run time because of template variable `name`, as the rules predict it, each
 * error once. Only rules without long work are asked (those with `prepare` tokenize; none of them is
 * about one variable), so a hover never waits for a token count.
 */
export function predictedErrors(ctx: PromptContext, name: string): Prediction[] {
  const byError = new Map<string, Prediction>();
  for (const rule of rules) {
    if (rule.prepare) continue;
    for (const { predicts } of safely(ctx, rule)) {
      if (predicts?.variables.includes(name) && !byError.has(predicts.error)) byError.set(predicts.error, predicts);
    }
  }
  return [...byError.values()];
}

/** A failing rule predicts nothing here; the diagnostics say it failed. */
function safely(ctx: PromptContext, rule: Rule): readonly RuleFinding[] {
  try {
    return findingsOf(ctx, rule);
  } catch {
    return [];
  }
}
