// `judge: RUBRIC`: a judge model grades the reply against the rubric (../judge.ts makes the call); the
// verdict's reasoning is kept in the outcome, pass or fail.

import { quotedExcerpt } from '../../text/excerpt';
import { outcome, type Evaluate } from './context';

export const evaluateJudge: Evaluate<'judge'> = async (assertion, ctx) => {
  const verdict = await ctx.judge(assertion.rubric, assertion.model);
  const rubric = quotedExcerpt(assertion.rubric, 60);
  if ('problem' in verdict) return outcome(assertion, false, `the judge (${verdict.model}) gave no verdict on ${rubric}: ${verdict.problem}`, { expected: assertion.rubric, actual: ctx.reply, ...(verdict.reply !== undefined && { reasoning: verdict.reply }) });
  const message = `the judge (${verdict.model}) ${verdict.pass ? 'passed' : 'failed'} the reply on ${rubric}`;
  return outcome(assertion, verdict.pass, message, { expected: assertion.rubric, actual: ctx.reply, reasoning: verdict.reasoning });
};
