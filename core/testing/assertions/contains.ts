// `contains: TEXT`: the reply holds TEXT (case and spacing as written).

import type { Evaluate } from './context';
import { textOutcome } from './textMatch';

export const evaluateContains: Evaluate<'contains'> = (assertion, ctx) => textOutcome(assertion, ctx.reply, ctx.reply.includes(assertion.value), 'reply', 'contains');
