// The refusals every history store and its callers share — a read-only attachment's (one wording for
// the four adapters, the engine's conversation and the CLI's export) and a cancelled turn's — and, for the
// two stores on local files (SQLite, file), a file-system or database failure as one HistoryStoreError line
// naming the store by its display URL (the path; these URLs hold no password). Redis and Postgres import
// the refusals only; their driver failures are serverStore.ts's.

import { cancelledError } from '../../model/errors';
import { oneLine } from '../../text/excerpt';
import { HistoryStoreError, type HistoryErrorKind, type HistoryTarget } from '../types';

/** `readonly` attachments never write: refused before the store is touched. */
export function refuseReadonly(target: HistoryTarget, action: string): void {
  if (target.options.readonly) throw new HistoryStoreError('readonly', `Cannot ${action}: ${target.display} is attached read-only (readonly in its URL); attach it without readonly to write.`);
}

/** A cancelled turn writes nothing: checked before the one step that makes a write visible. */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelledError();
}

// errno codes that mean "this store cannot be used as configured", not "it went away".
const SETUP_CODES: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  EISDIR: 'it is a folder',
  ENOTDIR: 'a part of the path is not a folder',
  ENOSPC: 'no space left on the device',
  ENOENT: 'the folder does not exist',
};

/** A failed file-system or database step as one line: what was being done, where, and why. */
export function storeFailure(target: HistoryTarget, what: string, error: unknown, kind: HistoryErrorKind = 'unreachable'): HistoryStoreError {
  if (error instanceof HistoryStoreError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reason = (code && SETUP_CODES[code]) ?? oneLine(error instanceof Error ? error.message : String(error)).slice(0, 300);
  return new HistoryStoreError(kind, `Cannot ${what} ${target.display}: ${reason}${code && SETUP_CODES[code] ? ` (${code})` : ''}`);
}
