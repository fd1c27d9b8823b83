// `starts_with: TEXT`: the reply begins with TEXT.

import type { Evaluate } from './context';
import { textOutcome } from './textMatch';

export const evaluateStartsWith: Evaluate<'starts_with'> = (assertion, ctx) => textOutcome(assertion, ctx.reply, ctx.reply.startsWith(assertion.value), 'reply', 'starts with');
