// `import { check, runTurn } from 'prompt-chain'`: the engine the CLI runs, as a library. A thin facade: the
// file is read by the reader every host shares, checked by the language service, and run by the chain engine
// with the durable store, exactly as `prompt-chain check` and `prompt-chain run` do; nothing is decided here.
// The endpoint and key come only from the options and the environment, never from the file.

import { resolve } from 'node:path';
import type { ChainConfig, ChatMessage, Conversation, MemoryConfig, TurnResult } from '../core/chain/types';
import { runTurn as runChainTurn, previewTurn as previewChainTurn, type TurnPreview } from '../core/chain/run';
import { defaultStateDir, openConversation, repairCommandFor, type StoredConversation } from '../core/memory/store';
import { createInMemoryConversation, type InMemoryConversation } from '../core/memory/inMemory';
import { problemFor, resolveEndpoint } from '../core/model/endpoint';
import { createModel } from '../core/model/createModel';
import { createLocalPool } from '../core/model/local/pool';
import type { LocalModelPool } from '../core/model/local/localModel';
import { defaultMaxReplyChars } from '../core/model/limits';
import type { FileDiagnostic } from '../cli/src/output';
import { diagnosticsOf, loadRunnableSource, loadSource, type EngineOptions, type LoadedSource, type PromptSource } from './source';

export type { FileDiagnostic, SeverityName } from '../cli/src/output';
export type { ChatMessage, Conversation, MemoryCall, Turn, TurnResult, TurnTimings, Usage } from '../core/chain/types';
export type { TurnPreview } from '../core/chain/run';
export type { InMemoryConversation } from '../core/memory/inMemory';
export type { StoredConversation, ConversationReport } from '../core/memory/store';
export type { Failure, FailureKind } from '../core/chain/failure';
export type { EngineOptions, PromptSource } from './source';
export { failureOf } from '../core/chain/failure';
export { ChainError } from '../core/chain/errors';
export { ModelError } from '../core/model/errors';
export { MemoryStoreError } from '../core/memory/store';
export { PromptFileError } from '../core/files/readPromptFile';
export { PromptHasErrorsError } from './source';

/**
 * The diagnostics `prompt-chain check --json` reports for one file (or text): code, severity, message and a
 * 1-based range, sorted by position. A text source is named by its `path`, else `<text>`.
 */
export async function check(source: PromptSource, options: EngineOptions = {}): Promise<FileDiagnostic[]> {
  const loaded = await loadSource(source, options);
  return diagnosticsOf(loaded);
}

/** Where a turn's conversation is kept. */
export interface ConversationOptions {
  /**
   * The conversation to use instead of the file's stored one, e.g. `inMemoryConversation()`; `false`: none
   * (the turn sees empty memory and stores nothing). Default: the durable store `prompt-chain run` uses,
   * for a file (or a text source with a `path`); none for a text source without one.
   */
  conversation?: Conversation | false;
  /** The workspace the conversation belongs to, as `run --workspace`. Default: the current folder. */
  workspace?: string;
  /** The folder conversations are kept in, as `run --memory-dir`. Default: the one shared with the CLI and the editor. */
  memoryDir?: string;
}

export interface TurnInputs extends EngineOptions, ConversationOptions {
  /** The chat input: the value of the input key, and the human turn memory stores. */
  input: string;
  /** Values for the template's other variables (`run --var NAME=VALUE`). */
  variables?: Readonly<Record<string, string>>;
  /** Overrides the file's `model:` (`run --model`). */
  model?: string;
}

export interface RunTurnOptions extends TurnInputs {
  /** The endpoint (`run --base-url`); default OPENAI_BASE_URL from `env`, else OpenAI's with a key, else the local model (docs/local-model.md). */
  baseUrl?: string;
  /** The key; default OPENAI_API_KEY from `env`. */
  apiKey?: string;
  /** Where OPENAI_BASE_URL and OPENAI_API_KEY are read. Default: process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Longest silence from the endpoint, before the first piece of the reply and between pieces. Default 60 s. */
  timeoutMs?: number;
  /** A longer reply fails the turn and nothing is stored. Default 1,000,000. */
  maxReplyChars?: number;
  signal?: AbortSignal;
  /** Called with each streamed piece of the reply, in order. */
  onToken?(token: string): void;
  /** Called once the prompt is formatted, before the model is called (a chat prompt's messages too). */
  onPrompt?(prompt: string, messages?: ChatMessage[]): void;
}

/** The library's local models, loaded on the first local turn and kept for the process (as the CLI's run keeps them). */
let localPool: LocalModelPool | undefined;

/**
 * One chat turn, as `prompt-chain run` runs it: the file's stored conversation loaded, the prompt formatted,
 * the model called (streamed), the turn stored after a complete reply. The result holds the reply, the prompt
 * sent (and its messages for a chat prompt), LangChain's verbose trace, the usage and the memory's own calls.
 */
export async function runTurn(source: PromptSource, options: RunTurnOptions): Promise<TurnResult> {
  const loaded = await loadRunnableSource(source, options);
  const env = options.env ?? process.env;
  const endpoint = resolveEndpoint({ baseUrl: options.baseUrl, baseUrlSource: { kind: 'setting', name: 'baseUrl' }, apiKey: options.apiKey, env });
  const config = configWithModel(loaded, options);
  // Refused before anything is sent: a base URL that is not one, OpenAI's endpoint without a key, a bad local model name.
  const problem = problemFor(config.model, endpoint);
  if (problem) throw problem;
  // Where core/model/endpoint.ts sends each call: the endpoint, or in-process on the local model.
  const model = createModel(endpoint, {
    ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
    maxReplyChars: options.maxReplyChars ?? defaultMaxReplyChars,
    localPool: () => (localPool ??= createLocalPool({ env })),
  });
  return runChainTurn({
    prompt: loaded.context.prompt,
    config,
    input: options.input,
    variables: { ...options.variables },
    conversation: conversationOf(loaded, options, config.memory),
    model,
    signal: options.signal,
    onPrompt: options.onPrompt,
    onToken: options.onToken,
  });
}

/** The prompt a turn would send now, with the stored memory filled in (`run --dry-run`): nothing is sent or stored. */
export async function previewTurn(source: PromptSource, options: TurnInputs): Promise<TurnPreview> {
  const loaded = await loadRunnableSource(source, options);
  const config = configWithModel(loaded, options);
  return previewChainTurn({ prompt: loaded.context.prompt, config, input: options.input, variables: { ...options.variables }, conversation: conversationOf(loaded, options, config.memory) });
}

/**
 * The file's durable conversation, the one `runTurn` and `prompt-chain run` use (undefined for `memory: false`,
 * or text without a path): `load()` its turns, `clear()` it (`prompt-chain memory clear`), `inspect()` it.
 */
export async function fileConversation(source: PromptSource, options: EngineOptions & Pick<ConversationOptions, 'workspace' | 'memoryDir'> = {}): Promise<StoredConversation | undefined> {
  const loaded = await loadSource(source, options);
  return storedConversationOf(loaded, options, loaded.context.config.memory);
}

/** A conversation held in this process only (LangChain's default memory): pass it as `conversation`. */
export function inMemoryConversation(): InMemoryConversation {
  return createInMemoryConversation();
}

function configWithModel(loaded: LoadedSource, options: TurnInputs): ChainConfig {
  return { ...loaded.context.config, model: options.model ?? loaded.context.config.model };
}

function conversationOf(loaded: LoadedSource, options: ConversationOptions, memory: MemoryConfig | undefined): Conversation | undefined {
  if (options.conversation === false || !memory) return undefined;
  return options.conversation || storedConversationOf(loaded, options, memory);
}

function storedConversationOf(loaded: LoadedSource, options: Pick<ConversationOptions, 'workspace' | 'memoryDir'>, memory: MemoryConfig | undefined): StoredConversation | undefined {
  if (loaded.path === undefined || !memory) return undefined;
  const workspaceRoot = resolve(options.workspace ?? '.');
  return openConversation({
    stateDir: options.memoryDir === undefined ? defaultStateDir(workspaceRoot) : resolve(options.memoryDir),
    workspaceRoot,
    filePath: resolve(loaded.path),
    memory,
    relocateHint: 'set the memoryDir option to a writable folder',
    repairCommand: repairCommandFor(loaded.path, { workspaceRoot: options.workspace, stateDir: options.memoryDir }),
  });
}
