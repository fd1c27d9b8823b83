// What the Redis and Postgres adapters share: the client's view of the URL (without Prompt Chain's own
// query options), failures as one-line HistoryStoreErrors naming the store by its display URL (never the
// password), cancellation, and the decoding of the raw JSON a store returns.

import { cancelledError } from '../../model/errors';
import { oneLine } from '../../text/excerpt';
import { HistoryStoreError, type HistoryErrorKind, type HistoryMessage, type HistoryTarget } from '../types';

/** messageDicts.ts's `decodeMessages`: a session's stored dicts, oldest first; `where` names them in errors. */
export type DecodeMessages = (raws: readonly string[], where: string) => HistoryMessage[];

/** How long a connection attempt may take before the store is reported unreachable. */
export const CONNECT_TIMEOUT_MS = 5_000;
/** How long one command may wait for its reply (a lock held by another writer, a stalled server). */
export const COMMAND_TIMEOUT_MS = 30_000;

// Prompt Chain's query options (historyUrl.ts): the database client must not read them as its own.
const STORE_OPTIONS = ['prefix', 'table', 'schema', 'dialect', 'ttl', 'readonly'];

/** The URL as the database client should see it: the target's URL without Prompt Chain's options. */
export function clientUrl(target: HistoryTarget): string {
  const url = new URL(target.url);
  for (const name of STORE_OPTIONS) url.searchParams.delete(name);
  return url.toString();
}

/** A store error whose reason (a driver's message) is one line and can never show the password. */
export function storeError(target: HistoryTarget, kind: HistoryErrorKind, what: string, reason?: string): HistoryStoreError {
  const detail = reason === undefined ? '' : `: ${withoutPassword(target, oneLine(reason))}`;
  return new HistoryStoreError(kind, `${what} ${target.display}${detail}`);
}

function withoutPassword(target: HistoryTarget, text: string): string {
  const password = passwordOf(target);
  return password ? text.split(password).join('***') : text;
}

function passwordOf(target: HistoryTarget): string {
  try {
    return decodeURIComponent(new URL(target.url).password);
  } catch {
    return '';
  }
}

/** `readonly` attachments never write: append and clear are refused before anything is sent. */
export function refuseWhenReadonly(target: HistoryTarget, action: string): void {
  if (target.options.readonly) throw new HistoryStoreError('readonly', `Cannot ${action}: ${target.display} is attached read-only.`);
}

export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelledError();
}

/** Waits for `work` unless the signal fires first (then `onCancel` drops what is in flight). */
export async function unlessCancelled<T>(work: Promise<T>, signal: AbortSignal | undefined, onCancel: () => void): Promise<T> {
  throwIfCancelled(signal);
  if (!signal) return work;
  let stop: (() => void) | undefined;
  const cancelled = new Promise<never>((_, reject) => {
    stop = () => {
      onCancel();
      reject(cancelledError());
    };
    signal.addEventListener('abort', stop, { once: true });
  });
  try {
    return await Promise.race([work, cancelled]);
  } finally {
    signal.removeEventListener('abort', stop!);
    work.catch(() => undefined);
  }
}

/** How a session is named in the codec's `invalid-data` errors. */
export function sessionWhere(target: HistoryTarget, sessionId: string): string {
  return `${target.display} session ${JSON.stringify(sessionId)}`;
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message || err.name : String(err);
}
