// The in-process model's runtime: llama.cpp through its Node binding, node-llama-cpp, loaded on the first
// local turn and never before. The binding is heavy (about 730 MB on linux-x64, its GPU variants included),
// so it is not a dependency of Prompt Chain: users of remote endpoints never install, bundle or load it. It
// is looked for where a local user puts it:
//   1. beside Prompt Chain (`npm i node-llama-cpp@3.21.1` in the project or global folder that has
//      prompt-chain; the repository's own tests install it so);
//   2. the runtime folder in the user's cache (`<cache>/prompt-chain/runtime`), where
//      `prompt-chain models install-runtime` and VS Code's "Prompt Chain: Install Local Model Runtime" put
//      it, because a .vsix cannot carry a native binding for every platform.
// The binding is N-API, so the same files load under Node and under VS Code's Electron.
//
// Only the types below are used, written here from the binding's documented API, so type-checking and the
// build never need the package. The binding is an ES module: it is imported from its resolved file.

import Module, { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ModelError } from '../errors';

/** The node-llama-cpp version Prompt Chain is tested with, and the one the install commands pin. */
export const runtimeVersion = '3.21.1';
export const runtimePackage = 'node-llama-cpp';

export type Token = number;

export interface LlamaModelLike {
  readonly trainContextSize: number;
  readonly fileInfo: { readonly metadata: { readonly tokenizer?: { readonly chat_template?: string } } };
  tokenize(text: string, specialTokens?: boolean): Token[];
  createContext(options: { contextSize?: number; threads?: number; sequences?: number }): Promise<LlamaContextLike>;
  dispose(): Promise<void>;
}

export interface LlamaContextLike {
  readonly contextSize: number;
  getSequence(): LlamaSequenceLike;
  dispose(): Promise<void>;
}

export interface LlamaSequenceLike {
  clearHistory(): Promise<void>;
}

export interface GenerationOptions {
  onTextChunk?: (text: string) => void;
  onToken?: (tokens: Token[]) => void;
  signal?: AbortSignal;
  stopOnAbortSignal?: boolean;
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  seed?: number;
  repeatPenalty?: false | { penalty?: number; frequencyPenalty?: number; presencePenalty?: number };
  customStopTriggers?: readonly string[];
}

export type StopReason = 'eogToken' | 'stopGenerationTrigger' | 'maxTokens' | 'abort' | 'customStopTrigger';

export interface LlamaCompletionLike {
  generateCompletionWithMeta(input: string, options: GenerationOptions): Promise<{ response: string; metadata: { stopReason: StopReason } }>;
  dispose(options?: { disposeSequence?: boolean }): void;
}

/** node-llama-cpp's chat history items: the engine's system / human / ai messages. */
export type ChatHistoryItem = { type: 'system'; text: string } | { type: 'user'; text: string } | { type: 'model'; response: string[] };

export interface ChatWrapperLike {
  generateContextState(options: { chatHistory: ChatHistoryItem[] }): { contextText: { tokenize(tokenizer: unknown): Token[]; toString(): string } };
}

export interface LlamaChatLike {
  generateResponse(history: ChatHistoryItem[], options: GenerationOptions): Promise<{ response: string; metadata: { stopReason: StopReason } }>;
  dispose(options?: { disposeSequence?: boolean }): void;
}

export interface LlamaLike {
  loadModel(options: { modelPath: string }): Promise<LlamaModelLike & { readonly tokenizer: unknown }>;
  readonly cpuMathCores: number;
}

/** What Prompt Chain takes from the package. */
export interface LlamaRuntime {
  getLlama(options: { gpu: false; build: 'never'; logLevel: unknown; logger: (level: unknown, message: string) => void; maxThreads?: number; progressLogs?: boolean }): Promise<LlamaLike>;
  LlamaLogLevel: { readonly error: unknown; readonly warn: unknown };
  LlamaCompletion: new (options: { contextSequence: LlamaSequenceLike }) => LlamaCompletionLike;
  LlamaChat: new (options: { contextSequence: LlamaSequenceLike; chatWrapper: ChatWrapperLike }) => LlamaChatLike;
  JinjaTemplateChatWrapper: new (options: { template: string }) => ChatWrapperLike;
}

export interface RuntimeLocation {
  /** `<cache>/prompt-chain/runtime`: the second place looked in. */
  runtimeDir: string;
  /** Where the first look starts (this module, or the bundle that holds it). Default: this file. */
  from?: string;
}

/** npm's arguments that install the pinned binding into `dir` (its own package folder, outside any project). */
export function runtimeInstallArgs(dir: string): string[] {
  return ['install', '--prefix', dir, '--no-audit', '--no-fund', '--save-exact', `${runtimePackage}@${runtimeVersion}`];
}

/** The one-line advice every "no runtime" message ends with. */
export function installAdvice(runtimeDir: string): string {
  return `install it with \`prompt-chain models install-runtime\` (in VS Code: "Prompt Chain: Install Local Model Runtime"), which runs npm install ${runtimePackage}@${runtimeVersion} in ${runtimeDir}, or set OPENAI_BASE_URL and OPENAI_API_KEY to use an endpoint`;
}

/** The installed package's entry file, or undefined: beside Prompt Chain first, then the runtime folder. */
export function findRuntime(location: RuntimeLocation): string | undefined {
  const starts = [location.from ?? __filename, join(location.runtimeDir, 'package.json')];
  for (const start of starts) {
    try {
      return createRequire(start).resolve(runtimePackage);
    } catch {
      // not installed there
    }
  }
  return undefined;
}

/**
 * Imports the binding's package. A missing package is ModelError('local-runtime') with the install advice;
 * one that fails to load (an unsupported platform, a damaged install) is the same kind with the reason.
 */
export async function importRuntime(location: RuntimeLocation): Promise<LlamaRuntime> {
  const entry = findRuntime(location);
  if (!entry) {
    throw new ModelError('local-runtime', `No local model runtime: the local model needs ${runtimePackage}, which is not installed; ${installAdvice(location.runtimeDir)}.`);
  }
  try {
    return (await nodeImport(pathToFileURL(entry).href)) as LlamaRuntime;
  } catch (error) {
    throw new ModelError('local-runtime', `The local model runtime (${runtimePackage} at ${entry}) does not load on this machine (${oneLine(error)}): reinstall it, or set OPENAI_BASE_URL to use an endpoint.`);
  }
}

/**
 * `import()` from a function Node's own module loader compiles. The language server runs its bundle through
 * V8's code cache (server/src/codeCache.ts), and code deserialized from that cache has no dynamic import of
 * its own ("A dynamic import callback was not specified", even with vm's importModuleDynamically on Node 20);
 * a module compiled by Node's CommonJS loader always has it.
 */
function nodeImport(url: string): Promise<unknown> {
  const filename = join(__dirname, 'prompt-chain-import.cjs');
  const loader = new Module(filename) as Module & { _compile(source: string, filename: string): void };
  loader.filename = filename;
  loader._compile('module.exports = (url) => import(url);', filename);
  return (loader.exports as (url: string) => Promise<unknown>)(url);
}

export function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}
