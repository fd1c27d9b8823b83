// The text assertions' shared shape: a reply (or prompt) tested against a value, said in one line either way.

import { quotedExcerpt } from '../../text/excerpt';
import type { TextAssertion, AssertionOutcome } from '../types';
import { outcome } from './context';

/**
 * `holds`: whether `subject` (reply, prompt) `verb`s the value ("contains", "starts with", "equals");
 * `negated` assertions (not_contains) pass when it does not.
 */
export function textOutcome(assertion: TextAssertion, actual: string, holds: boolean, subject: string, verb: string, negated = false): AssertionOutcome {
  const message = `${subject} ${holds ? verb : `does not ${bare(verb)}`} ${quotedExcerpt(assertion.value)}`;
  return outcome(assertion, holds !== negated, message, { expected: assertion.value, actual });
}

/** "contains" -> "contain", "starts with" -> "start with", "equals" -> "equal". */
function bare(verb: string): string {
  return verb.replace(/^(\w+)s\b/, '$1');
}
