// `prompt_contains: TEXT`: the formatted prompt holds TEXT — proof that memory reached the model
// (`Human: My name is Ada.` in the second turn's prompt).

import type { Evaluate } from './context';
import { textOutcome } from './textMatch';

export const evaluatePromptContains: Evaluate<'prompt_contains'> = (assertion, ctx) => textOutcome(assertion, ctx.prompt, ctx.prompt.includes(assertion.value), 'prompt', 'contains');
