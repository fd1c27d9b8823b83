// `prompt_equals: TEXT`: the formatted prompt is exactly TEXT (the whole of what LangChain sends, as text).

import type { Evaluate } from './context';
import { textOutcome } from './textMatch';

export const evaluatePromptEquals: Evaluate<'prompt_equals'> = (assertion, ctx) => textOutcome(assertion, ctx.prompt, ctx.prompt === assertion.value, 'prompt', 'equals');
