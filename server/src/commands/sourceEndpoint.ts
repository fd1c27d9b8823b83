// The model a command on a `.prompt` runs on, as a chat turn does: the user's endpoint and key, or the
// in-process model (core/model/endpoint.ts decides), with where each setting came from for the failure
// messages. Refused before anything is read or sent when it cannot be used (a base URL that is not one,
// OpenAI's endpoint without a key, a malformed local model name).

import type { FailureSources } from '../../../core/chain/failure';
import type { LanguageModel } from '../../../core/chain/types';
import { createModel } from '../../../core/model/createModel';
import { problemFor } from '../../../core/model/endpoint';
import { endpointOf, failureSources } from '../endpoint';
import type { PromptServer } from '../server';
import { folderOfDocument } from '../workspaceRoots';
import { engineFailure } from '../failures';
import type { PromptSource } from './promptSource';

export interface SourceEndpoint {
  readonly model: LanguageModel;
  readonly sources: FailureSources;
}

export function sourceEndpoint(server: PromptServer, source: PromptSource): SourceEndpoint {
  const endpoint = endpointOf(source.settings);
  const sources = failureSources(endpoint, source.prompt, source.config);
  const problem = problemFor(source.config.model, endpoint);
  if (problem) throw engineFailure(problem, sources);
  const baseDir = folderOfDocument(source.uri);
  const model = createModel(endpoint, {
    maxReplyChars: source.settings.maxReplyChars,
    localPool: () => server.localModels.get(),
    ...(baseDir && { baseDir }),
  });
  return { model, sources };
}
