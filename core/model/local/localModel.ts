// The model port implemented in-process, on llama.cpp (node-llama-cpp, loaded on first use: runtime.ts):
// chat prompts go through the model's own chat template, the Jinja text in its GGUF metadata
// (`tokenizer.chat_template`), and completion prompts are sent as raw text, exactly as formatted. The reply
// streams through `onToken`; the caller's AbortSignal stops generation; usage is counted by the model's
// own tokenizer (the prompt as the template renders it, and each generated token).
//
// A pool owns what is costly: the binding (about 1 s to load) and each model file with its context (the
// weights are mapped, the KV cache allocated once). Hosts create one pool for their lifetime (the language
// server) or their run (the CLI) and ask it for a LanguageModel per call. One model answers one call at a
// time: calls to the same file queue.
//
// Parameters are OpenAI's, mapped to llama.cpp's sampler: temperature (unset: 0.8, llama.cpp's own
// default, since an unset value here would mean greedy decoding), top_p, seed, max_tokens, stop (matched
// here on the streamed text, as OpenAI does: stopSequences.ts), presence_penalty and frequency_penalty (no other repeat
// penalty: none unless asked, as with OpenAI). A prompt longer than the context is refused, never shifted:
// llama.cpp would otherwise drop the start of the conversation without a word.

import { availableParallelism } from 'node:os';
import type { ChatMessage, LanguageModel, ModelReply, ModelRequest } from '../../chain/types';
import { cancelledError, explain, ModelError } from '../errors';
import { defaultMaxReplyChars } from '../limits';
import { StopSequences } from './stopSequences';
import { localModelLabel, modelFilePath, type LocalModelRef } from './modelRef';
import {
  importRuntime,
  oneLine,
  type ChatHistoryItem,
  type ChatWrapperLike,
  type GenerationOptions,
  type LlamaContextLike,
  type LlamaLike,
  type LlamaModelLike,
  type LlamaRuntime,
  type LlamaSequenceLike,
  type RuntimeLocation,
} from './runtime';

/** llama.cpp's default temperature, used when the file sets none. */
export const defaultLocalTemperature = 0.8;
/** The most context a local model is given, whatever it was trained for: the KV cache grows with it. */
export const maxLocalContext = 8192;

/** The context a model runs with: its trained window, at most maxLocalContext. The context-window rule uses it too. */
export function localContextSize(trainContextSize: number): number {
  return Math.max(1, Math.min(trainContextSize, maxLocalContext));
}

/**
 * Threads for generation: half the cores, at most 8, at least 1. llama.cpp's default of a thread per core
 * competes with the host's own work (the editor, the language server): on 2 cores it was measured at about
 * 300 ms per token under load, against 12 ms with one thread.
 */
export function localThreads(cores = availableParallelism()): number {
  return Math.max(1, Math.min(8, Math.floor(cores / 2)));
}

export interface LocalPoolOptions extends RuntimeLocation {
  /** The model file for a model reference: downloads a hub model into the cache; a relative path is found from `baseDir` (download.ts). */
  modelFile: (ref: LocalModelRef, signal: AbortSignal | undefined, baseDir: string | undefined) => Promise<string>;
  /** Default localThreads(). */
  threads?: number;
  /** llama.cpp's warnings and errors, for the host's log (never stdout). Default: dropped. */
  log?: (message: string) => void;
}

export interface LocalModelOptions {
  /** The model file the calls run on (core/model/endpoint.ts localModelFor decides it from the call's model name). */
  ref: LocalModelRef;
  /** The folder a relative `local:./model.gguf` is found from: the prompt file's. Default: the current folder. */
  baseDir?: string;
  /** A longer reply fails the turn ('reply-too-large'). Default 1,000,000. */
  maxReplyChars?: number;
}

interface Loaded {
  readonly path: string;
  readonly model: LlamaModelLike & { readonly tokenizer: unknown };
  readonly context: LlamaContextLike;
  readonly sequence: LlamaSequenceLike;
}

export class LocalModelPool {
  private runtime?: Promise<{ runtime: LlamaRuntime; llama: LlamaLike }>;
  private readonly models = new Map<string, Promise<Loaded>>();
  /** Per model, the end of the last call made: one model answers one call at a time (its one sequence). */
  private readonly queues = new Map<string, Promise<void>>();

  constructor(private readonly options: LocalPoolOptions) {}

  /** A LanguageModel on this pool. */
  model(options: LocalModelOptions): LanguageModel {
    return { invoke: (request) => this.invoke(request, options) };
  }

  /**
   * Frees every loaded model and its context. The llama.cpp instance stays: node-llama-cpp shares it within
   * the process (getLlama), so disposing it here would pull it from under any other user.
   */
  async dispose(): Promise<void> {
    const loaded = await Promise.allSettled(this.models.values());
    this.models.clear();
    for (const result of loaded) {
      if (result.status !== 'fulfilled') continue;
      await result.value.context.dispose();
      await result.value.model.dispose();
    }
  }

  private invoke(request: ModelRequest, options: LocalModelOptions): Promise<ModelReply> {
    if (request.signal?.aborted) return Promise.reject(cancelledError());
    const ref = options.ref;
    // Calls take their place in the model's queue when they are made, so they run in the order they came.
    const key = JSON.stringify(ref.kind === 'path' ? [modelFilePath(ref, options.baseDir)] : [ref.repo, ref.revision, ref.file]);
    const previous = this.queues.get(key) ?? Promise.resolve();
    const run = untilAborted(previous, request.signal).then(async () => {
      const path = await this.options.modelFile(ref, request.signal, options.baseDir);
      if (request.signal?.aborted) throw cancelledError();
      const loaded = await this.load(path);
      return this.generate(loaded, request, localModelLabel(ref), options.maxReplyChars ?? defaultMaxReplyChars);
    });
    // The next call waits for this one to end, not for a waiting call that was cancelled meanwhile.
    this.queues.set(key, Promise.all([previous, run.catch(() => undefined)]).then(() => undefined));
    return run;
  }

  private async binding(): Promise<{ runtime: LlamaRuntime; llama: LlamaLike }> {
    this.runtime ??= (async () => {
      const runtime = await importRuntime(this.options);
      const log = this.options.log ?? (() => undefined);
      try {
        const llama = await runtime.getLlama({
          gpu: false,
          // Never build from source or download: the prebuilt binary from the npm registry, or a clear failure.
          build: 'never',
          progressLogs: false,
          logLevel: runtime.LlamaLogLevel.warn,
          logger: (_level, message) => log(message.trim()),
          maxThreads: this.options.threads ?? localThreads(),
        });
        return { runtime, llama };
      } catch (error) {
        throw new ModelError('local-runtime', `The local model runtime cannot run on this machine (${process.platform}-${process.arch}: ${oneLine(error)}); set OPENAI_BASE_URL to use an endpoint.`);
      }
    })();
    // A failed load is tried again by the next turn (the user may have installed the runtime meanwhile).
    this.runtime.catch(() => (this.runtime = undefined));
    return this.runtime;
  }

  private load(path: string): Promise<Loaded> {
    let loading = this.models.get(path);
    if (!loading) {
      loading = this.loadNow(path);
      this.models.set(path, loading);
      loading.catch(() => this.models.delete(path));
    }
    return loading;
  }

  private async loadNow(path: string): Promise<Loaded> {
    const { llama } = await this.binding();
    let model: LlamaModelLike & { readonly tokenizer: unknown };
    try {
      model = await llama.loadModel({ modelPath: path });
    } catch (error) {
      throw new ModelError('local-model', `The local model ${path} cannot be loaded (${oneLine(error)}): check that it is a complete GGUF file that fits in this machine's memory, or choose a smaller one.`);
    }
    try {
      const context = await model.createContext({ contextSize: localContextSize(model.trainContextSize), threads: this.options.threads ?? localThreads(), sequences: 1 });
      return { path, model, context, sequence: context.getSequence() };
    } catch (error) {
      await model.dispose();
      throw new ModelError('local-model', `The local model ${path} has no room to run (${oneLine(error)}): free memory or choose a smaller model.`);
    }
  }

  private async generate(loaded: Loaded, request: ModelRequest, label: string, maxReplyChars: number): Promise<ModelReply> {
    const { runtime } = await this.binding();
    if (request.signal?.aborted) throw cancelledError();
    const prompt = request.api === 'chat' ? chatPrompt(runtime, loaded, request.messages ?? [], label) : undefined;
    const promptTokens = prompt ? prompt.tokens : loaded.model.tokenize(request.prompt ?? '').length;
    const room = loaded.context.contextSize - promptTokens;
    if (room < 1) {
      throw new ModelError('bad-request', `The prompt has ${promptTokens} tokens, and ${label} runs with a ${loaded.context.contextSize}-token context, which leaves no room for a reply: shorten the prompt or keep fewer turns in memory (a window or token_buffer memory), or use a model with a larger context.`, { endpoint: label });
    }
    // The caller's signal, and the cap on the reply's length, both stop generation.
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    request.signal?.addEventListener('abort', onAbort, { once: true });
    let length = 0;
    let completionTokens = 0;
    let tooLong = false;
    const reply = new StopSequences(request.parameters.stop ?? [], (piece) => request.onToken?.(piece));
    const options: GenerationOptions = {
      ...sampling(request, room),
      signal: stop.signal,
      stopOnAbortSignal: false,
      onToken: (tokens) => (completionTokens += tokens.length),
      onTextChunk: (chunk) => {
        if (tooLong || !chunk) return;
        length += chunk.length;
        if (length > maxReplyChars) {
          tooLong = true;
          stop.abort();
        } else if (!reply.push(chunk)) {
          // A stop sequence: the reply is complete.
          stop.abort();
        }
      },
    };
    try {
      // The turn starts from an empty context: a stored conversation is the prompt's, not the sequence's.
      await loaded.sequence.clearHistory();
      await (prompt ? prompt.generate(options) : complete(runtime, loaded, request.prompt ?? '', options));
      reply.end();
    } catch (error) {
      if (tooLong) throw new ModelError('reply-too-large', explain.replyTooLarge(label, maxReplyChars), { endpoint: label });
      if (request.signal?.aborted) throw cancelledError();
      if (reply.stoppedAt === undefined) throw new ModelError('local-model', `${label} failed mid-reply (${oneLine(error)}): run the turn again (nothing was saved to memory).`, { endpoint: label });
    } finally {
      request.signal?.removeEventListener('abort', onAbort);
    }
    const text = reply.reply;
    if (!text) throw new ModelError('empty', explain.empty(label, label), { endpoint: label });
    return { text, usage: { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens } };
  }
}

/** `waiting` settled, or a cancelled error as soon as the signal aborts (a queued call need not wait its turn to fail). */
function untilAborted(waiting: Promise<unknown>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return waiting.then(() => undefined);
  if (signal.aborted) return Promise.reject(cancelledError());
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(cancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
    void waiting.finally(() => {
      signal.removeEventListener('abort', onAbort);
      if (signal.aborted) reject(cancelledError());
      else resolve();
    });
  });
}

/** OpenAI's sampling parameters in llama.cpp's terms; max_tokens at most what the context has room for. */
function sampling(request: ModelRequest, room: number): GenerationOptions {
  const p = request.parameters;
  const penalties = p.presence_penalty !== undefined || p.frequency_penalty !== undefined;
  return {
    temperature: p.temperature ?? defaultLocalTemperature,
    ...(p.top_p !== undefined && { topP: p.top_p }),
    ...(p.seed !== undefined && { seed: p.seed }),
    maxTokens: Math.min(p.max_tokens ?? room, room),
    repeatPenalty: penalties ? { penalty: 1, presencePenalty: p.presence_penalty ?? 0, frequencyPenalty: p.frequency_penalty ?? 0 } : false,
  };
}

async function complete(runtime: LlamaRuntime, loaded: Loaded, prompt: string, options: GenerationOptions): Promise<{ response: string }> {
  const completion = new runtime.LlamaCompletion({ contextSequence: loaded.sequence });
  try {
    return await completion.generateCompletionWithMeta(prompt, options);
  } finally {
    completion.dispose({ disposeSequence: false });
  }
}

interface ChatPrompt {
  tokens: number;
  generate(options: GenerationOptions): Promise<{ response: string }>;
}

/** The messages through the model's own chat template; its rendering is what the prompt tokens count. */
function chatPrompt(runtime: LlamaRuntime, loaded: Loaded, messages: readonly ChatMessage[], label: string): ChatPrompt {
  const template = loaded.model.fileInfo.metadata.tokenizer?.chat_template;
  if (!template) {
    throw new ModelError('local-model', `${label} has no chat template in its GGUF metadata (tokenizer.chat_template), so chat messages cannot be sent to it: write the prompt as a completion prompt, or use an instruction-tuned model.`, { endpoint: label });
  }
  let wrapper: ChatWrapperLike;
  try {
    wrapper = new runtime.JinjaTemplateChatWrapper({ template });
  } catch (error) {
    throw new ModelError('local-model', `${label}'s chat template cannot be read (${oneLine(error)}): use another model file.`, { endpoint: label });
  }
  const history = chatHistory(messages);
  const tokens = wrapper.generateContextState({ chatHistory: history }).contextText.tokenize(loaded.model.tokenizer).length;
  return {
    tokens,
    generate: async (options) => {
      const chat = new runtime.LlamaChat({ contextSequence: loaded.sequence, chatWrapper: wrapper });
      try {
        return await chat.generateResponse(history, options);
      } finally {
        chat.dispose({ disposeSequence: false });
      }
    },
  };
}

/** LangChain's system / human / ai messages as node-llama-cpp's history, ending with the reply to write. */
export function chatHistory(messages: readonly ChatMessage[]): ChatHistoryItem[] {
  const items: ChatHistoryItem[] = messages.map((message) => {
    if (message.type === 'system') return { type: 'system', text: message.content };
    if (message.type === 'human') return { type: 'user', text: message.content };
    return { type: 'model', response: [message.content] };
  });
  items.push({ type: 'model', response: [] });
  return items;
}
