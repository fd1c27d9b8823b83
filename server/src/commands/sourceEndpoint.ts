// The endpoint a command on a `.prompt` sends to, as a chat turn does: the user's endpoint and key, with
// where each came from for the failure messages. Refused before anything is read or sent when it cannot be
// used (a base URL that is not one, OpenAI's endpoint without a key).

import type { FailureSources } from '../../../core/chain/failure';
import type { LanguageModel } from '../../../core/chain/types';
import { createOpenAIModel } from '../../../core/model/openaiModel';
import { endpointOf, failureSources } from '../endpoint';
import { engineFailure } from '../failures';
import type { PromptSource } from './promptSource';

export interface SourceEndpoint {
  readonly model: LanguageModel;
  readonly sources: FailureSources;
}

export function sourceEndpoint(source: PromptSource): SourceEndpoint {
  const endpoint = endpointOf(source.settings);
  const sources = failureSources(endpoint, source.prompt, source.config);
  if (endpoint.problem) throw engineFailure(endpoint.problem, sources);
  const model = createOpenAIModel({ apiKey: endpoint.apiKey, baseURL: endpoint.baseURL, endpointSource: endpoint.source, maxReplyChars: source.settings.maxReplyChars });
  return { model, sources };
}
