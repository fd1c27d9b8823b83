// How LangChain's token-pruning memories count their buffer (`llm.get_num_tokens_from_messages`), for the
// rules about `max_token_limit`: a completion model sums `get_num_tokens(get_buffer_string([m]))` per
// message; ChatOpenAI counts each message as 3 tokens plus its role and content, and 3 to prime the reply,
// so even an empty buffer counts 3.

import type { Api } from '../../core/format/model';
import type { EncodingName } from '../../core/tokens/contextWindows';
import { countTokens } from '../../core/tokens/tokenCounter';

const tokensPerMessage = 3;
const tokensToPrimeReply = 3;
/** `user` and `assistant` are one token in both encodings. */
const roleTokens = 1;

/** What an empty buffer counts: pruning pops from an empty list while this is over the limit. */
export function emptyBufferTokens(api: Api): number {
  return api === 'chat' ? tokensToPrimeReply : 0;
}

/**
 * What the smallest real exchange counts (a one-token input and a one-token reply): a limit below it
 * prunes every exchange as soon as it is saved. Undefined when the tokenizer is not installed.
 */
export function smallestExchangeTokens(api: Api, prefixes: { humanPrefix: string; aiPrefix: string }, encoding: EncodingName): number | undefined {
  if (api === 'chat') return tokensToPrimeReply + 2 * (tokensPerMessage + roleTokens + 1);
  const human = countTokens(`${prefixes.humanPrefix}: x`, encoding);
  const ai = countTokens(`${prefixes.aiPrefix}: x`, encoding);
  return human === undefined || ai === undefined ? undefined : human + ai;
}
