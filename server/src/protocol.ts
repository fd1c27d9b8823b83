// Custom protocol between the Prompt Chain language server and its clients, declared once and imported
// by both sides (server/src, client/src). Standard LSP covers everything else.
//
// Commands go through workspace/executeCommand with a single argument object. The API key never travels
// in a command: the server reads it from its environment (OPENAI_API_KEY), which the VS Code client sets
// from SecretStorage when it spawns the server; other editors set the variable themselves.

import type { ChatMessage, Turn, TurnResult } from '../../core/chain/types';
import { defaultMaxReplyChars } from '../../core/model/limits';
import { defaultServiceSettings } from '../../service/context';

export const Commands = {
  /** Run one chat turn of a `.prompt` file with the workspace's memory. Args: RunTurnParams. Returns RunTurnResult. */
  runTurn: 'promptChain.runTurn',
  /** Forget the stored conversation of a file. Args: { uri }. Returns { cleared: number }. */
  clearMemory: 'promptChain.clearMemory',
  /** The stored conversation of a file. Args: { uri }. Returns ShowMemoryResult. */
  showMemory: 'promptChain.showMemory',
} as const;

export interface RunTurnParams {
  uri: string;
  input: string;
  variables?: Record<string, string>;
  /** Chooses the streaming token the server reports progress under (see ReplyChunkNotification). */
  turnId?: string;
}

/** What runTurn answers: the engine's TurnResult as is. */
export type RunTurnResult = TurnResult;

export interface ShowMemoryResult {
  memoryKey: string;
  turns: Turn[];
  /** Present when the conversation file has records that could not be read (they are not in `turns`). */
  damaged?: DamagedRecords;
}

/** Damaged records of a stored conversation: skipped by every load until repaired. */
export interface DamagedRecords {
  count: number;
  /** 1-based line numbers in the conversation file. */
  lines: number[];
  /** The command that moves them aside (`prompt-chain memory repair FILE`). */
  repairCommand: string;
}

/**
 * Server -> client, while a runTurn request is in flight: the formatted prompt once (before the model call),
 * then each streamed piece of the reply. Sent for every runTurn; `turnId` echoes RunTurnParams.turnId
 * (or the uri when none was given) so a client can route it to the right panel.
 */
export const TurnProgressNotification = 'promptChain/turnProgress';
export type TurnProgress =
  | { turnId: string; kind: 'prompt'; prompt: string; messages?: ChatMessage[] }
  | { turnId: string; kind: 'token'; text: string };

/**
 * Client -> server, in initialize's `initializationOptions`. Everything is optional; other editors send nothing.
 */
export interface InitializationOptions {
  /**
   * Folder for stored conversations (VS Code: the extension's workspace storage). Default: the CLI's
   * `$XDG_STATE_HOME/prompt-chain/<hash of the workspace root>`, so the CLI and the server share turns.
   */
  stateDir?: string;
  /** Push diagnostics only: how long after the last edit a document is validated, in ms. Default 200. */
  diagnosticsDelayMs?: number;
  /**
   * The endpoint chat turns (and the API key) are sent to, from the user's own editor configuration; else
   * OPENAI_BASE_URL, else OpenAI's. Start-up options are the only settings a client passes without being
   * asked per resource, which is why the endpoint is read here and not from workspace/configuration.
   */
  baseUrl?: string;
  /**
   * The client promises that whatever it answers to workspace/configuration for `baseUrl` is the user's
   * own (user/machine-level) value, never a workspace's. Only then is that `baseUrl` used, and it wins over
   * `baseUrl` above. The VS Code client sets it (its middleware rewrites `baseUrl` to the user-level value);
   * editors that merge project-local configuration into the settings they answer with must not.
   */
  configurationIsUserLevel?: boolean;
}

/** Settings the server reads per resource with workspace/configuration, section `promptChain`. */
export interface PromptChainSettings {
  /** Model when the file names none. */
  defaultModel: string;
  /** Model when a completion prompt names none. */
  defaultCompletionModel: string;
  /** Memory key when the file's memory block names none. */
  defaultMemoryKey: string;
  /** Models offered in completion of `model:`. */
  models: string[];
  /**
   * OpenAI-compatible endpoint. Read only from a client that declares `configurationIsUserLevel`; the server
   * replaces it with the user's endpoint (see InitializationOptions) before anything reads it.
   */
  baseUrl: string;
  /** Context window assumed for unknown models, in tokens. */
  contextWindow: number;
  /** A longer reply fails the turn (kind 'reply-too-large') and leaves memory untouched; in characters. */
  maxReplyChars: number;
  trace: { server: 'off' | 'messages' | 'verbose' };
}

export const defaultSettings: PromptChainSettings = {
  ...defaultServiceSettings,
  baseUrl: '',
  maxReplyChars: defaultMaxReplyChars,
  trace: { server: 'off' },
};
