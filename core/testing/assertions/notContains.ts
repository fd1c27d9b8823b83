// `not_contains: TEXT`: the reply does not hold TEXT ("I don't know" after the name was given).

import type { Evaluate } from './context';
import { textOutcome } from './textMatch';

export const evaluateNotContains: Evaluate<'not_contains'> = (assertion, ctx) => textOutcome(assertion, ctx.reply, ctx.reply.includes(assertion.value), 'reply', 'contains', true);
