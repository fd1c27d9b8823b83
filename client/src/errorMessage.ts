// What a failed request says to the user, and what it says to the program. The server answers every failure
// with one clear sentence (core/model/errors.ts) and, in the error's `data`, a FailureData with its kind
// (server/src/protocol.ts): the client shows the sentence and picks its actions by the kind, never by the text.
// Pure (no `vscode`): vscode-languageclient's ResponseError is read by its shape.

import type { FailureData, FailureKind, SettingSource } from '../../server/src/protocol';

export interface Failure {
  message: string;
  /** The typed failure, when the server sent one. */
  data?: FailureData;
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return typeof error === 'string' && error ? error : 'Prompt Chain: the request failed for an unknown reason.';
}

export function failureOf(error: unknown): Failure {
  const data = typeof error === 'object' && error !== null ? (error as { data?: unknown }).data : undefined;
  return isFailureData(data) ? { message: errorMessage(error), data } : { message: errorMessage(error) };
}

const failureKinds: ReadonlySet<string> = new Set<FailureKind>([
  'auth', 'endpoint', 'model', 'rate-limit', 'timeout', 'memory', 'file-has-errors', 'input', 'file', 'reply', 'cancelled', 'interop', 'history',
]);
const settingKinds: ReadonlySet<string> = new Set<SettingSource['kind']>(['setting', 'environment', 'flag', 'default']);

/** `data` comes back over the wire: checked field by field before anything acts on it. */
export function isFailureData(value: unknown): value is FailureData {
  if (typeof value !== 'object' || value === null) return false;
  const data = value as Partial<Record<keyof FailureData, unknown>>;
  if (typeof data.kind !== 'string' || !failureKinds.has(data.kind)) return false;
  if (data.reason !== undefined && typeof data.reason !== 'string') return false;
  if (data.retryAfterMs !== undefined && typeof data.retryAfterMs !== 'number') return false;
  if (data.diagnostics !== undefined && !Array.isArray(data.diagnostics)) return false;
  return data.setting === undefined || isSettingSource(data.setting);
}

function isSettingSource(value: unknown): value is SettingSource {
  if (typeof value !== 'object' || value === null) return false;
  const source = value as Partial<Record<keyof SettingSource, unknown>>;
  return typeof source.kind === 'string' && settingKinds.has(source.kind) && typeof source.name === 'string' && source.name !== '';
}
