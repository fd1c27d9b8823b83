// What the Redis and Postgres adapters share: the client's view of the URL (without Prompt Chain's own
// query options), a driver's failure as one HistoryStoreError line naming the store by its display URL
// (never the password), bounded waits that honour cancellation, and the checks of what they read and write.
// (The refusals of readonly and of a cancelled turn are localStore.ts's, shared with the local stores.)

import { cancelledError } from '../../model/errors';
import { oneLine } from '../../text/excerpt';
import { passwordForms, STORE_OPTION_NAMES } from '../historyUrl';
import { decodeMessages } from '../messageDicts';
import { HistoryStoreError, type HistoryErrorKind, type HistoryMessage, type HistoryTarget } from '../types';

/** How long a connection attempt may take before the store is reported unreachable. */
export const CONNECT_TIMEOUT_MS = 5_000;
/** How long one command may wait for its reply (a lock held by another writer, a stalled server). */
export const COMMAND_TIMEOUT_MS = 30_000;

/** The URL as the database client should see it: the target's URL without Prompt Chain's options. */
export function clientUrl(target: HistoryTarget): string {
  const url = new URL(target.url);
  for (const name of STORE_OPTION_NAMES) url.searchParams.delete(name);
  return url.toString();
}

/** A store error whose reason (a driver's message) is one line and can never show the password. */
export function storeError(target: HistoryTarget, kind: HistoryErrorKind, what: string, reason?: string): HistoryStoreError {
  const detail = reason === undefined ? '' : `: ${withoutPassword(target, oneLine(reason))}`;
  return new HistoryStoreError(kind, `${what} ${target.display}${detail}`);
}

function withoutPassword(target: HistoryTarget, text: string): string {
  // historyUrl.ts finds the password, whatever it holds, in each form a driver may quote it.
  return passwordForms(target.url).reduce((cleaned, form) => cleaned.split(form).join('***'), text);
}

/** Waits for `work` unless the signal fires first (then `onCancel` drops what is in flight). */
export async function unlessCancelled<T>(work: Promise<T>, signal: AbortSignal | undefined, onCancel: () => void): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) {
    onCancel();
    work.catch(() => undefined);
    throw cancelledError();
  }
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

/** A session's stored dicts, oldest first, read (the first bad one is `invalid-data` naming it). */
export function readMessages(target: HistoryTarget, sessionId: string, raws: readonly string[]): HistoryMessage[] {
  return decodeMessages(raws, `${target.display} session ${JSON.stringify(sessionId)}`);
}

/** Checks a turn's dicts before anything is sent: nothing LangChain could not read is ever stored. */
export function checkNewMessages(target: HistoryTarget, json: readonly string[]): void {
  decodeMessages(json, `${target.display} (new messages)`);
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message || err.name : String(err);
}
