// The one mapping from what the engine throws (ChainError, ModelError, the store's and the file reader's
// errors, the interop layer's) to the failure kind every host reacts to: the language server puts it in a RequestFailed's
// `data`, the CLI prints it with --json and exits by it, the client picks its action by it (Set API Key,
// Open Settings at `setting`, Retry, Show Problems) and never by the message's text.

import { ModelError, type ModelErrorKind } from '../model/errors';
import type { SettingSource } from '../model/settingSource';
import { MemoryStoreError, LockTimeoutError, LastTurnChangedError } from '../memory/errors';
import { PromptFileError } from '../files/readPromptFile';
import { InteropError } from '../interop/types';
import { HistoryStoreError } from '../history/types';
import { ChainError, type ChainErrorKind } from './errors';

export type FailureKind =
  | 'auth'
  | 'endpoint'
  | 'model'
  | 'rate-limit'
  | 'timeout'
  | 'memory'
  | 'file-has-errors'
  | 'input'
  | 'file'
  | 'reply'
  | 'cancelled'
  /** A file that cannot be exported or imported (InteropError); `reason` is its kind. */
  | 'interop'
  /** A shared chat history refused or failed (HistoryStoreError); `reason` is its HistoryErrorKind. */
  | 'history'
  /** The in-process model (node-llama-cpp) could not run the turn; `reason` is local-runtime, local-download or local-model. */
  | 'local';

export interface Failure {
  kind: FailureKind;
  /** The finer cause: the ModelErrorKind, ChainErrorKind, or the store's errno code / `lock-timeout` / `last-turn-changed`. */
  reason?: string;
  /** One line: what happened, where, what to do. */
  message: string;
  /** The setting to change, and where its current value came from. */
  setting?: SettingSource;
  /** rate-limit: how long the endpoint asked to wait. */
  retryAfterMs?: number;
}

/** Where the settings a failure may name came from, as the host resolved them. */
export interface FailureSources {
  /** The base URL's source (resolveEndpoint's `source`). */
  endpoint?: SettingSource;
  /** The key's source (resolveEndpoint's `keySource`). */
  apiKey?: SettingSource;
  /** The setting that gave the model, when the file names none (e.g. `promptChain.defaultModel`). */
  model?: SettingSource;
}

const modelKinds: Record<ModelErrorKind, FailureKind> = {
  'missing-key': 'auth',
  auth: 'auth',
  forbidden: 'auth',
  'model-not-found': 'model',
  'bad-request': 'model',
  'bad-url': 'endpoint',
  connection: 'endpoint',
  server: 'endpoint',
  'stream-cut': 'endpoint',
  'bad-stream': 'endpoint',
  'not-openai': 'endpoint',
  unknown: 'endpoint',
  'rate-limit': 'rate-limit',
  quota: 'rate-limit',
  timeout: 'timeout',
  'reply-too-large': 'reply',
  empty: 'reply',
  cancelled: 'cancelled',
  'local-runtime': 'local',
  'local-download': 'local',
  'local-model': 'local',
};

const chainKinds: Record<ChainErrorKind, FailureKind> = {
  'invalid-prompt': 'file-has-errors',
  'no-model': 'model',
  'input-key': 'input',
  'missing-input': 'input',
  'placeholder-not-list': 'input',
  'messages-in-text': 'input',
  'summary-prompt': 'file-has-errors',
};

/** The failure an engine error stands for; undefined for anything else (a bug, which hosts report as one). */
export function failureOf(error: unknown, sources: FailureSources = {}): Failure | undefined {
  if (error instanceof ModelError) return modelFailure(error, sources);
  if (error instanceof ChainError) {
    const kind = chainKinds[error.kind];
    const message = error.hint ? `${error.message} ${error.hint}` : error.message;
    return withSetting({ kind, reason: error.kind, message }, kind === 'model' ? sources.model : undefined);
  }
  if (error instanceof MemoryStoreError) {
    return { kind: 'memory', reason: memoryReason(error), message: error.message };
  }
  if (error instanceof PromptFileError) return { kind: 'file', message: error.message };
  if (error instanceof InteropError) return { kind: 'interop', reason: error.kind, message: error.message };
  if (error instanceof HistoryStoreError) return { kind: 'history', reason: error.kind, message: error.message };
  return undefined;
}

function memoryReason(error: MemoryStoreError): string {
  if (error instanceof LockTimeoutError) return 'lock-timeout';
  if (error instanceof LastTurnChangedError) return 'last-turn-changed';
  return error.code ?? 'store';
}

function modelFailure(error: ModelError, sources: FailureSources): Failure {
  const kind = modelKinds[error.kind];
  const failure: Failure = { kind, reason: error.kind, message: error.message };
  if (error.retryAfterMs !== undefined) failure.retryAfterMs = error.retryAfterMs;
  return withSetting(failure, settingFor(kind, error.kind, sources));
}

/** The setting to open: the key for auth, the base URL for endpoint faults, the default model for a model the file does not name. */
function settingFor(kind: FailureKind, reason: ModelErrorKind, sources: FailureSources): SettingSource | undefined {
  if (kind === 'auth' && reason !== 'forbidden') return sources.apiKey;
  if (kind === 'endpoint' && reason !== 'stream-cut' && reason !== 'bad-stream') return sources.endpoint;
  if (kind === 'model' && reason === 'model-not-found') return sources.model;
  return undefined;
}

function withSetting(failure: Failure, setting: SettingSource | undefined): Failure {
  return setting ? { ...failure, setting } : failure;
}
