// `regex: PATTERN`: the reply has a match, searched as Python's `re.search` does (anywhere in the reply);
// the pattern is compiled by the one decider the parser also checks with (../pattern.ts).

import { quotedExcerpt } from '../../text/excerpt';
import { compilePattern } from '../pattern';
import { outcome, type Evaluate } from './context';

export const evaluateRegex: Evaluate<'regex'> = (assertion, ctx) => {
  const compiled = compilePattern(assertion.pattern);
  const expected = assertion.pattern;
  if ('error' in compiled) return outcome(assertion, false, `the pattern ${quotedExcerpt(expected)} is not valid: ${compiled.error}`, { expected });
  const match = compiled.regex.exec(ctx.reply);
  const message = match ? `reply matches ${quotedExcerpt(expected)} (${quotedExcerpt(match[0], 40)})` : `reply does not match ${quotedExcerpt(expected)}`;
  return outcome(assertion, match !== null, message, { expected, actual: ctx.reply });
};
