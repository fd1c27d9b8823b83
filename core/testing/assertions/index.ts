// Every assertion kind's evaluator, by kind: the one place an assertion is evaluated.

import type { Assertion, AssertionKind, AssertionOutcome } from '../types';
import type { AssertionContext, AssertionOf, Evaluate } from './context';
import { evaluateContains } from './contains';
import { evaluateNotContains } from './notContains';
import { evaluateEquals } from './equals';
import { evaluateStartsWith } from './startsWith';
import { evaluateRegex } from './regex';
import { evaluateJson } from './json';
import { evaluateMaxTokens } from './maxTokens';
import { evaluatePromptContains } from './promptContains';
import { evaluatePromptEquals } from './promptEquals';
import { evaluateSnapshot } from './snapshot';
import { evaluateJudge } from './judge';

export type { AssertionContext } from './context';

const evaluators: { readonly [K in AssertionKind]: Evaluate<K> } = {
  contains: evaluateContains,
  not_contains: evaluateNotContains,
  equals: evaluateEquals,
  starts_with: evaluateStartsWith,
  regex: evaluateRegex,
  json: evaluateJson,
  max_tokens: evaluateMaxTokens,
  prompt_contains: evaluatePromptContains,
  prompt_equals: evaluatePromptEquals,
  snapshot: evaluateSnapshot,
  judge: evaluateJudge,
};

export async function evaluateAssertion(assertion: Assertion, ctx: AssertionContext): Promise<AssertionOutcome> {
  const evaluate = evaluators[assertion.kind] as Evaluate<AssertionKind>;
  return evaluate(assertion as AssertionOf<AssertionKind>, ctx);
}
