// The model port implemented with the `openai` SDK: chat api -> chat completions with the messages,
// completion api -> completions with the prompt string. Always asks for a stream; the caller's AbortSignal
// cancels; an idle timer (reset by every piece of the body) turns a silent server into a timeout, because
// the SDK's own timeout stops counting once the response headers arrive. Works with any OpenAI-compatible
// server (Ollama, LM Studio, vLLM, llama.cpp) through the base URL.
//
// The SDK sends the request and turns an error status into a typed error; its retries are replaced by
// ours (retry.ts: bounded Retry-After waits) and its stream parser by ours (replyBody.ts: one message per
// malformed answer, a cap on the reply). Its logger is silenced: a host's stdout may be a protocol, and
// what went wrong is said once, by the error.

import OpenAI from 'openai';
import type { LanguageModel, ModelReply, ModelRequest } from '../chain/types';
import { classifyError, type CallContext } from './classifyError';
import { cancelledError } from './errors';
import { openAIBaseURL, resolveEndpoint, type SettingSource } from './endpoint';
import { defaultMaxReplyChars, defaultTimeoutMs, maxTimerMs } from './limits';
import { readReplyBody } from './replyBody';
import { chatRequestBody, completionRequestBody, serializedChatBody, serializedCompletionBody } from './requestBody';
import { defaultRetryPolicy, retryDecision, type RetryPolicy } from './retry';

export { chatRequestBody, completionRequestBody } from './requestBody';

export interface OpenAIModelOptions {
  /** The user's key. Without one, OpenAI's endpoint fails with missing-key and others get a placeholder. */
  apiKey?: string;
  /** Default: OpenAI's. Hosts resolve both with resolveEndpoint; this module reads no environment. */
  baseURL?: string;
  /** Where `baseURL` came from (resolveEndpoint's `source`), named by a message that says to correct it. */
  endpointSource?: SettingSource;
  /** Longest silence tolerated before the first chunk and between chunks. Default 60 s, at most 2^31-1 ms. */
  timeoutMs?: number;
  /** Retries for 408/409/429/5xx and connection failures before the reply starts. Default 2. */
  maxRetries?: number;
  /** The longest Retry-After waited for before a retry; a longer one fails at once, naming it. Default 10 s. */
  maxRetryWaitMs?: number;
  /** A longer reply fails the turn ('reply-too-large') and stops the download. Default 1,000,000. */
  maxReplyChars?: number;
  /** The clock that "run the turn again after HH:MM:SS" counts from. Default Date.now. */
  now?: () => number;
}

const jsonContent = { 'content-type': 'application/json' };

const silentLogger = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined };

interface CallSettings {
  endpoint: string;
  endpointSource?: SettingSource;
  apiKey: string;
  timeoutMs: number;
  maxReplyChars: number;
  retry: RetryPolicy;
  now: () => number;
}

export function createOpenAIModel(opts: OpenAIModelOptions = {}): LanguageModel {
  // OpenAI's endpoint named, not left to the rule's default: unnamed, the rule would call it the local model,
  // with no problem, and the request would go to OpenAI with the placeholder for a key.
  const { baseURL, label, apiKey, problem } = resolveEndpoint({ baseUrl: opts.baseURL ?? openAIBaseURL, apiKey: opts.apiKey, env: {} });
  // Refused before anything is sent: a bad URL, or OpenAI's endpoint without a key.
  if (problem) return { invoke: () => Promise.reject(problem) };
  const client = sdkClient(baseURL, apiKey);
  const settings = callSettings(label, apiKey, opts);
  return { invoke: (request) => new ModelCall(client, request, settings).run() };
}

/** The SDK as every call here uses it: no retries of its own (retry.ts decides), and silent. */
export function sdkClient(baseURL: string, apiKey: string): OpenAI {
  // logLevel 'off' also wins over OPENAI_LOG, which would otherwise make the SDK log to the console.
  return new OpenAI({ apiKey, baseURL, maxRetries: 0, logger: silentLogger, logLevel: 'off' });
}

/** The options with their defaults; a value no timer or counter can take (NaN, 3e9 ms) is bounded here. */
function callSettings(endpoint: string, apiKey: string, opts: OpenAIModelOptions): CallSettings {
  return {
    endpoint,
    ...(opts.endpointSource && { endpointSource: opts.endpointSource }),
    apiKey,
    timeoutMs: Math.min(positive(opts.timeoutMs) ?? defaultTimeoutMs, maxTimerMs),
    maxReplyChars: Math.floor(positive(opts.maxReplyChars) ?? defaultMaxReplyChars),
    retry: {
      maxRetries: Math.floor(nonNegative(opts.maxRetries) ?? defaultRetryPolicy.maxRetries),
      maxWaitMs: Math.min(nonNegative(opts.maxRetryWaitMs) ?? defaultRetryPolicy.maxWaitMs, maxTimerMs),
    },
    now: opts.now ?? Date.now,
  };
}

/** One request: owns the abort controller, the idle timer, the retries and what the failure context needs. */
class ModelCall {
  private readonly controller = new AbortController();
  private readonly ctx: CallContext;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly client: OpenAI,
    private readonly request: ModelRequest,
    private readonly settings: CallSettings,
  ) {
    const path = request.api === 'chat' ? '/chat/completions' : '/completions';
    const { endpoint, endpointSource, apiKey, timeoutMs, now } = settings;
    this.ctx = { endpoint, endpointSource, apiKey, timeoutMs, now, model: request.model, path, timedOut: false, cancelled: false, streaming: false };
  }

  async run(): Promise<ModelReply> {
    const signal = this.request.signal;
    if (signal?.aborted) throw cancelledError();
    const onAbort = () => this.abort('cancelled');
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const response = await this.openWithRetries();
      this.ctx.streaming = true;
      return await readReplyBody(response, {
        endpoint: this.ctx.endpoint,
        model: this.ctx.model,
        apiKey: this.settings.apiKey,
        maxReplyChars: this.settings.maxReplyChars,
        onToken: this.request.onToken,
        onData: () => this.armTimer(),
      });
    } catch (err) {
      throw classifyError(err, this.ctx);
    } finally {
      clearTimeout(this.timer);
      // Whatever is left of the body (after a cap, a malformed chunk, [DONE]) is not read: close the connection.
      this.controller.abort();
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** The response headers of a 2xx, after the retries the policy allows; the idle timer runs only while we wait on the server. */
  private async openWithRetries(): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      this.armTimer();
      try {
        return await this.open();
      } catch (err) {
        const decision = retryDecision(err, attempt, this.settings.retry, this.settings.now());
        if (!decision.retry || this.controller.signal.aborted) throw err;
        clearTimeout(this.timer);
        await this.pause(decision.waitMs);
        if (this.controller.signal.aborted) throw cancelledError();
      }
    }
  }

  private open(): Promise<Response> {
    const { request } = this;
    const { signal } = this.controller;
    // The SDK sends a string body verbatim when a content-type is set (and resends it on a retry): ours is
    // JSON.stringify of the same object, made incrementally (requestBody.ts). The object still decides
    // `stream`, which the SDK reads from its first argument.
    if (request.api === 'chat') {
      const options = { signal, body: serializedChatBody(request), headers: jsonContent };
      return this.client.chat.completions.create(chatRequestBody({ ...request, messages: [] }), options).asResponse();
    }
    const options = { signal, body: serializedCompletionBody(request), headers: jsonContent };
    return this.client.completions.create(completionRequestBody({ ...request, prompt: '' }), options).asResponse();
  }

  /** Sleeps before a retry; cancelling the turn ends the sleep at once. */
  private pause(ms: number): Promise<void> {
    const signal = this.controller.signal;
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(sleep);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const sleep = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  private armTimer(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.abort('timedOut'), this.ctx.timeoutMs);
  }

  private abort(reason: 'cancelled' | 'timedOut'): void {
    if (this.controller.signal.aborted) return;
    this.ctx[reason] = true;
    this.controller.abort();
  }
}

function positive(value: number | undefined): number | undefined {
  return value !== undefined && value > 0 && Number.isFinite(value) ? value : undefined;
}

function nonNegative(value: number | undefined): number | undefined {
  return value !== undefined && value >= 0 && Number.isFinite(value) ? value : undefined;
}
