// The model port every host uses for a turn, a summary or a judge: each call goes where core/model/endpoint.ts
// says, in-process on the local model (a `local…` model name, or nothing configured) or to the endpoint with
// the `openai` SDK. One call may run locally and the next remotely (a summary model, a model compared side
// by side), so the choice is made per call, by the call's model name. A call that cannot run fails with its
// problem before anything is loaded or sent.

import type { LanguageModel } from '../chain/types';
import { localModelFor, problemFor, runsLocally, type Endpoint } from './endpoint';
import type { LocalModelPool } from './local/localModel';
import { createOpenAIModel } from './openaiModel';

export interface ModelOptions {
  /** The remote endpoint's longest silence (openaiModel.ts). */
  timeoutMs?: number;
  /** A longer reply fails the turn, remote or local. */
  maxReplyChars?: number;
  /** The host's local models (local/pool.ts), asked for only when a call runs locally. */
  localPool: () => LocalModelPool;
  /** The folder a relative `local:./model.gguf` is found from: the prompt file's. Default: the current folder. */
  baseDir?: string;
}

export function createModel(endpoint: Endpoint, options: ModelOptions): LanguageModel {
  let remote: LanguageModel | undefined;
  return {
    invoke(request) {
      const problem = problemFor(request.model, endpoint);
      if (problem) return Promise.reject(problem);
      if (runsLocally(request.model, endpoint)) {
        const ref = localModelFor(request.model, endpoint);
        const { baseDir, maxReplyChars } = options;
        return options.localPool().model({ ref, ...(baseDir && { baseDir }), ...(maxReplyChars !== undefined && { maxReplyChars }) }).invoke(request);
      }
      remote ??= createOpenAIModel({ apiKey: endpoint.apiKey, baseURL: endpoint.baseURL, endpointSource: endpoint.source, timeoutMs: options.timeoutMs, maxReplyChars: options.maxReplyChars });
      return remote.invoke(request);
    },
  };
}
