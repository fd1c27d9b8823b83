// Turns whatever the `openai` SDK (or the socket under it) threw into a ModelError with one clear sentence.
// The SDK's own messages are written for developers ("Connection error.", "terminated"); ours say what
// happened at which endpoint and what to do.

import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { cancelledError, explain, ModelError, quoteServerText, type RetryWait } from './errors';
import { requestedWaitMs } from './retry';
import type { SettingSource } from './settingSource';

/** What the classifier needs to know about the failed call. */
export interface CallContext {
  endpoint: string;
  /** Where the base URL came from, named in messages that say to correct it. */
  endpointSource?: SettingSource;
  model: string;
  /** The route that was called, e.g. /chat/completions. */
  path: string;
  apiKey?: string;
  timeoutMs: number;
  /** Our idle timer fired (the SDK then reports a user abort). */
  timedOut: boolean;
  /** The caller's signal fired. */
  cancelled: boolean;
  /** The response had started streaming before the failure. */
  streaming: boolean;
  /** The clock a Retry-After is counted from. */
  now: () => number;
}

export function classifyError(err: unknown, ctx: CallContext): ModelError {
  if (err instanceof ModelError) return err;
  if (ctx.timedOut) return new ModelError('timeout', explain.timeout(ctx.endpoint, ctx.timeoutMs), { endpoint: ctx.endpoint });
  if (ctx.cancelled || err instanceof APIUserAbortError) return cancelledError();
  if (err instanceof APIConnectionTimeoutError) {
    return new ModelError('timeout', explain.timeout(ctx.endpoint, ctx.timeoutMs), { endpoint: ctx.endpoint });
  }
  if (err instanceof APIConnectionError) return connectionError(err, ctx);
  if (err instanceof APIError) return statusError(err, ctx);
  if (ctx.streaming) return new ModelError('stream-cut', explain.streamCut(ctx.endpoint), { endpoint: ctx.endpoint });
  const detail = quoteServerText(err instanceof Error ? err.message : String(err), ctx.apiKey);
  return new ModelError('unknown', explain.unknown(ctx.endpoint, detail), { endpoint: ctx.endpoint });
}

function connectionError(err: APIConnectionError, ctx: CallContext): ModelError {
  const code = causeCode(err);
  const details = { endpoint: ctx.endpoint };
  if (hasCauseMessage(err, 'bad port')) return new ModelError('connection', explain.blockedPort(ctx.endpoint), details);
  const source = ctx.endpointSource;
  if (code === 'ECONNREFUSED') return new ModelError('connection', explain.refused(ctx.endpoint, source), details);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new ModelError('connection', explain.unresolved(ctx.endpoint, source), details);
  return new ModelError('connection', explain.unreachable(ctx.endpoint, code ?? '', source), details);
}

/** The errno-style code somewhere down the cause chain (undici wraps it: TypeError -> Error{code}). */
function causeCode(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 6 && current && typeof current === 'object'; depth++) {
    const { code, cause, errors } = current as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
    // Happy-eyeballs connects fail with an AggregateError of per-address errors.
    current = cause ?? (Array.isArray(errors) ? errors[0] : undefined);
  }
  return undefined;
}

/** fetch refuses some ports outright (6000, 6667, ...) with a bare "bad port" cause and no errno code. */
function hasCauseMessage(err: unknown, message: string): boolean {
  let current: unknown = err;
  for (let depth = 0; depth < 6 && current instanceof Error; depth++) {
    if (current.message === message) return true;
    current = current.cause;
  }
  return false;
}

function statusError(err: APIError, ctx: CallContext): ModelError {
  const status = err.status;
  const details = { endpoint: ctx.endpoint, status };
  const ep = ctx.endpoint;
  const serverText = quoteServerText(serverMessage(err), ctx.apiKey);
  if (status === 401) return new ModelError('auth', explain.auth(ep, status), details);
  if (status === 403) return new ModelError('forbidden', explain.forbidden(ep, ctx.model), details);
  if (status === 404) return notFound(err, ctx);
  if (status === 429 && err.code === 'insufficient_quota') return new ModelError('quota', explain.quota(ep), details);
  // A 429 or 5xx that says when to come back (Retry-After) gets that time named, however long it is.
  const wait = retryWait(err, ctx);
  const waitDetails = { ...details, retryAfterMs: wait?.waitMs };
  if (status === 429) return new ModelError('rate-limit', explain.rateLimit(ep, wait), waitDetails);
  if (status !== undefined && status >= 400 && status < 500) {
    return new ModelError('bad-request', explain.badRequest(ep, status, serverText), details);
  }
  return new ModelError('server', explain.server(ep, status, serverText, wait), waitDetails);
}

function retryWait(err: APIError, ctx: CallContext): RetryWait | undefined {
  const now = ctx.now();
  const waitMs = requestedWaitMs(err.headers, now);
  return waitMs === undefined ? undefined : { waitMs, now };
}

/** A 404 is an unknown model when the server says so, otherwise a base URL without the API root. */
function notFound(err: APIError, ctx: CallContext): ModelError {
  const details = { endpoint: ctx.endpoint, status: 404 };
  // OpenAI answers a chat model on /completions with 404 "This is a chat model and not supported...".
  if (ctx.path === '/completions' && /chat model/i.test(serverMessage(err))) {
    return new ModelError('model-not-found', explain.chatModelOnCompletions(ctx.endpoint, ctx.model), details);
  }
  const aboutModel = err.code === 'model_not_found' || /model/i.test(serverMessage(err));
  return aboutModel
    ? new ModelError('model-not-found', explain.modelNotFound(ctx.endpoint, ctx.model), details)
    : new ModelError('bad-url', explain.badUrl(ctx.endpoint, ctx.path, ctx.endpointSource), details);
}

function serverMessage(err: APIError): string {
  const body = err.error as { message?: unknown } | undefined;
  return typeof body?.message === 'string' ? body.message : '';
}
