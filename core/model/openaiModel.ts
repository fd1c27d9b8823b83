// The model port implemented with the `openai` SDK: chat api -> chat completions with the messages,
// completion api -> completions with the prompt string. Always streams; the caller's AbortSignal cancels;
// an idle timer (reset by every streamed chunk) turns a silent server into a timeout, because the SDK's own
// timeout stops counting once the response headers arrive. Works with any OpenAI-compatible server
// (Ollama, LM Studio, vLLM, llama.cpp) through the base URL.

import OpenAI from 'openai';
import type { ChatCompletionCreateParamsStreaming, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { CompletionCreateParamsStreaming } from 'openai/resources/completions';
import type { ChatMessage, LanguageModel, ModelReply, ModelRequest, Usage } from '../chain/types';
import type { ModelParameters } from '../format/model';
import { classifyError, type CallContext } from './classifyError';
import { cancelledError, explain, ModelError } from './errors';
import { resolveEndpoint } from './endpoint';

export interface OpenAIModelOptions {
  /** The user's key. Without one, OpenAI's endpoint fails with missing-key and others get a placeholder. */
  apiKey?: string;
  /** Default: OpenAI's. Hosts resolve both with resolveEndpoint; this module reads no environment. */
  baseURL?: string;
  /** Longest silence tolerated before the first chunk and between chunks. Default 60 s. */
  timeoutMs?: number;
  /** SDK retries for 408/409/429/5xx and connection failures before the stream starts. Default 2. */
  maxRetries?: number;
}

const defaultTimeoutMs = 60_000;
/**
 * LangChain's OpenAI completion LLM sends temperature 0.7 and max_tokens 256 unless told otherwise;
 * without them the completions endpoint stops after 16 tokens.
 */
const completionDefaults: ModelParameters = { temperature: 0.7, max_tokens: 256 };

export function createOpenAIModel(opts: OpenAIModelOptions = {}): LanguageModel {
  const { baseURL, label, apiKey, problem } = resolveEndpoint({ baseUrl: opts.baseURL, apiKey: opts.apiKey, env: {} });
  // Refused before anything is sent: a bad URL, or OpenAI's endpoint without a key.
  if (problem) return { invoke: () => Promise.reject(problem) };
  const client = new OpenAI({ apiKey, baseURL, maxRetries: opts.maxRetries ?? 2 });
  const settings = { endpoint: label, apiKey, timeoutMs: opts.timeoutMs ?? defaultTimeoutMs };
  return { invoke: (request) => new ModelCall(client, request, settings).run() };
}

type Chunk = OpenAI.Chat.Completions.ChatCompletionChunk | OpenAI.Completions.Completion;

/** One streamed request: owns the abort controller, the idle timer and what the failure context needs. */
class ModelCall {
  private readonly controller = new AbortController();
  private readonly ctx: CallContext;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly client: OpenAI,
    private readonly request: ModelRequest,
    settings: { endpoint: string; apiKey?: string; timeoutMs: number },
  ) {
    const path = request.api === 'chat' ? '/chat/completions' : '/completions';
    this.ctx = { ...settings, model: request.model, path, timedOut: false, cancelled: false, streaming: false };
  }

  async run(): Promise<ModelReply> {
    const signal = this.request.signal;
    if (signal?.aborted) throw cancelledError();
    const onAbort = () => this.abort('cancelled');
    signal?.addEventListener('abort', onAbort, { once: true });
    this.armTimer();
    try {
      return await this.stream();
    } catch (err) {
      throw classifyError(err, this.ctx);
    } finally {
      clearTimeout(this.timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private async stream(): Promise<ModelReply> {
    const chunks = await this.open();
    this.ctx.streaming = true;
    let text = '';
    let usage: Usage | undefined;
    let finished = false;
    for await (const chunk of chunks) {
      this.armTimer();
      const piece = chunkText(chunk);
      if (piece) {
        text += piece;
        this.request.onToken?.(piece);
      }
      finished ||= Boolean(chunk.choices[0]?.finish_reason);
      if (chunk.usage) usage = toUsage(chunk.usage);
    }
    // The SDK ends an aborted stream quietly instead of throwing; the classifier knows why it was aborted.
    if (this.controller.signal.aborted) throw new Error('aborted');
    // A body that ends without a finish reason was cut (the SDK does not insist on [DONE]): never keep it.
    if (!finished) throw new ModelError('stream-cut', explain.streamCut(this.ctx.endpoint), { endpoint: this.ctx.endpoint });
    if (!text) throw new ModelError('empty', explain.empty(this.ctx.endpoint, this.ctx.model), { endpoint: this.ctx.endpoint });
    return usage ? { text, usage } : { text };
  }

  private open(): Promise<AsyncIterable<Chunk>> {
    const { request } = this;
    const options = { signal: this.controller.signal };
    if (request.api === 'chat') return this.client.chat.completions.create(chatRequestBody(request), options);
    return this.client.completions.create(completionRequestBody(request), options);
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

const streamed = { stream: true as const, stream_options: { include_usage: true } };

/**
 * The chat completions body as sent; the SDK serializes it with JSON.stringify (the bench's scripted model
 * serializes this same body, so both libraries are measured consuming the request as the SDK does).
 */
export function chatRequestBody(request: ModelRequest): ChatCompletionCreateParamsStreaming {
  const messages = request.messages ?? [];
  // A plain loop into a sized array: this runs over the whole conversation on every turn.
  const wire = new Array<ChatCompletionMessageParam>(messages.length);
  for (let i = 0; i < messages.length; i++) wire[i] = toWireMessage(messages[i]!);
  return { model: request.model, ...streamed, ...definedParameters(request.parameters), messages: wire };
}

/** The completions body as sent, with LangChain's OpenAI() defaults under the file's parameters. */
export function completionRequestBody(request: ModelRequest): CompletionCreateParamsStreaming {
  const parameters = definedParameters({ ...completionDefaults, ...definedParameters(request.parameters) });
  return { model: request.model, ...streamed, ...parameters, prompt: request.prompt ?? '' };
}

function chunkText(chunk: Chunk): string {
  const choice = chunk.choices[0];
  if (!choice) return '';
  return 'delta' in choice ? (choice.delta?.content ?? '') : (choice.text ?? '');
}

function toUsage(usage: OpenAI.Completions.CompletionUsage): Usage {
  return { promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens, totalTokens: usage.total_tokens };
}

/** Parameters the file sets, and only those: an absent key lets the server apply its own default. */
function definedParameters(parameters: ModelParameters): ModelParameters {
  return Object.fromEntries(Object.entries(parameters).filter(([, value]) => value !== undefined && value !== null));
}

const wireRoles = { system: 'system', human: 'user', ai: 'assistant' } as const;

function toWireMessage(message: ChatMessage): ChatCompletionMessageParam {
  return { role: wireRoles[message.type], content: message.content };
}
