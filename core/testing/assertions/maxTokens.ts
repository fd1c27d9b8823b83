// `max_tokens: N`: the reply counts at most N tokens — the endpoint's own count of completion tokens when
// it sends usage, else the model's tokenizer (OpenAI's newer encoding for a model it does not know).

import { modelWindow } from '../../tokens/contextWindows';
import { countTokens } from '../../tokens/tokenCounter';
import { outcome, type Evaluate } from './context';

export const evaluateMaxTokens: Evaluate<'max_tokens'> = (assertion, ctx) => {
  const fromEndpoint = ctx.usage?.completionTokens;
  const tokens = fromEndpoint ?? countTokens(ctx.reply, modelWindow(ctx.model, 0).encoding);
  const expected = `at most ${assertion.limit} tokens`;
  if (tokens === undefined) return outcome(assertion, false, 'the reply\'s tokens cannot be counted: the endpoint sent no usage and the tokenizer is not installed', { expected });
  const counted = fromEndpoint === undefined ? 'counted by the tokenizer' : 'as the endpoint counts them';
  const pass = tokens <= assertion.limit;
  const message = `reply has ${tokens} token${tokens === 1 ? '' : 's'} (${counted}), ${pass ? 'within' : 'over'} the limit of ${assertion.limit}`;
  return outcome(assertion, pass, message, { expected, actual: String(tokens) });
};
