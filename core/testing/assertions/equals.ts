// `equals: TEXT`: the reply is exactly TEXT, whitespace included (a model's trailing newline counts: use
// `regex` to allow it).

import type { Evaluate } from './context';
import { textOutcome } from './textMatch';

export const evaluateEquals: Evaluate<'equals'> = (assertion, ctx) => textOutcome(assertion, ctx.reply, ctx.reply === assertion.value, 'reply', 'equals');
