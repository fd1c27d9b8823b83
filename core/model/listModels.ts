// The models an endpoint serves, from its GET /models through the `openai` SDK: what Select Model and the
// completion of `model:` offer. One short request, no retries (a list that cannot be had now is replaced
// by the configured one, so waiting would only delay the picker) and a timer of its own, since a silent
// server must not hold the picker for a turn's minute.

import { classifyError, type CallContext } from './classifyError';
import type { Endpoint } from './endpoint';
import { sdkClient } from './openaiModel';

/** Long enough for a local server that is loading, short enough for a picker. */
export const listModelsTimeoutMs = 10_000;

export interface ListModelsOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  now?: () => number;
}

/** The ids the endpoint lists, sorted, each once. Throws a ModelError (endpoint refused, down, silent…). */
export async function listEndpointModels(endpoint: Endpoint, options: ListModelsOptions = {}): Promise<string[]> {
  if (endpoint.problem) throw endpoint.problem;
  const ctx = callContext(endpoint, options);
  const controller = new AbortController();
  const timer = setTimeout(() => {
    ctx.timedOut = true;
    controller.abort();
  }, ctx.timeoutMs);
  const onAbort = () => {
    ctx.cancelled = true;
    controller.abort();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const page = await sdkClient(endpoint.baseURL, endpoint.apiKey).models.list({ signal: controller.signal });
    return modelIds(page.data);
  } catch (error) {
    throw classifyError(error, ctx);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}

/** A server that answers /models with something else than a list (an HTML page) lists none. */
function modelIds(data: unknown): string[] {
  if (!Array.isArray(data)) return [];
  const ids = data.map((model: unknown) => (model as { id?: unknown } | null)?.id).filter((id): id is string => typeof id === 'string' && id !== '');
  return [...new Set(ids)].sort();
}

function callContext(endpoint: Endpoint, options: ListModelsOptions): CallContext {
  return {
    endpoint: endpoint.label,
    endpointSource: endpoint.source,
    model: '',
    path: '/models',
    apiKey: endpoint.apiKey,
    timeoutMs: options.timeoutMs ?? listModelsTimeoutMs,
    timedOut: false,
    cancelled: options.signal?.aborted ?? false,
    streaming: false,
    now: options.now ?? Date.now,
  };
}
