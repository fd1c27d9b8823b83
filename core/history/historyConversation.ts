// One session of a shared chat history as the chain engine's Conversation. The store holds the messages,
// in LangChain's own format, and is re-read on every load (the application may have appended since); a
// turn appends its human and AI messages in one `store.append`, encoded as the session already writes
// them. What only this machine derives — the memory class's state (summary, token pruning) — and the
// lock that serializes our turns live in the local state folder, keyed by the store's display URL and the
// session, never by the password.

import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdir } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import type { Conversation, HistoryEntry, MemoryState, Turn } from '../chain/types';
import { defaultRelocateHint, storeStep } from '../memory/errors';
import { acquireLock } from '../memory/lock';
import { statePathOf } from '../memory/state';
import { clearStoredState, loadStoredState, saveStoredState, type StateStore } from '../memory/storedState';
import { encodeTurn, writeStyle } from './messageDicts';
import { sessionEntries, type SessionEntries } from './sessionEntries';
import { refuseReadonly } from './stores/localStore';
import { HistoryStoreError, type ChatHistoryStore, type HistoryMessage, type HistoryTarget } from './types';

export interface HistoryConversationOptions {
  store: ChatHistoryStore;
  sessionId: string;
  /** The host's state folder (the CLI's defaultStateDir, the editor's workspace storage). */
  stateDir: string;
  /** Told about a memory state that cannot be trusted. Default: process.emitWarning. */
  onWarning?: (message: string) => void;
  lockTimeoutMs?: number;
  /** How the user points this host at another state folder, ending failure messages. */
  relocateHint?: string;
}

export interface HistoryConversation extends Conversation<HistoryEntry> {
  readonly target: HistoryTarget;
  readonly sessionId: string;
  /** The session's messages as the store holds them now (for show and export). */
  messages(signal?: AbortSignal): Promise<readonly HistoryMessage[]>;
}

// The locks this async call chain holds: the turn holds its lock while the engine saves the state.
const heldLocks = new AsyncLocalStorage<ReadonlySet<string>>();

export function openHistoryConversation(options: HistoryConversationOptions): HistoryConversation {
  const { store, sessionId } = options;
  const target = store.target;
  const where = `session ${JSON.stringify(sessionId)} of ${target.display}`;
  const base = historyStatePath(options.stateDir, target, sessionId);
  const lockPath = `${base}.lock`;
  const relocate = options.relocateHint ?? defaultRelocateHint;
  let seen: SessionEntries | undefined;
  const load = async (signal?: AbortSignal): Promise<SessionEntries> => {
    seen = sessionEntries(await store.messages(sessionId, signal), seen, where);
    return seen;
  };
  const state: StateStore = {
    statePath: statePathOf(`${base}.jsonl`),
    step: (action, path, fn) => storeStep(action, path, relocate, fn),
    warn: options.onWarning ?? ((message) => process.emitWarning(message, 'PromptChainMemoryWarning')),
    // No repair command: `memory repair` is the local store's, a clear would delete the application's
    // messages, and the display URL has no password to run with. The next saved state replaces it.
    turns: async () => (seen ?? (await load())).entries,
  };
  const withLock = <T>(fn: () => Promise<T>) => withHistoryLock(lockPath, options.lockTimeoutMs, relocate, fn);
  const readOnly = target.options.readonly ? `not saved: ${target.display} is attached read-only` : undefined;
  return {
    target,
    sessionId,
    ...(readOnly ? { readOnly } : {}),
    messages: async (signal) => (await load(signal)).messages,
    load: async (signal) => (await load(signal)).entries,
    append: async (turn: Turn) => {
      refuseReadonly(target, 'save the turn');
      // Encoded as the session's last message is (the application reads its own dialect back), as this
      // turn loaded it under the lock.
      const style = writeStyle((seen ?? (await load())).messages, target.options.dialect);
      await store.append(sessionId, encodeTurn(turn, style));
    },
    replaceLast: async () => {
      throw new HistoryStoreError('unsupported', `${where} is append-only here: Retry and Edit and resend would rewrite its last turn, which the application may already have read. Send the message again as a new turn.`);
    },
    clear: async () => {
      refuseReadonly(target, 'clear the session');
      await withLock(async () => {
        await store.clear(sessionId);
        seen = undefined;
        await clearStoredState(state);
      });
    },
    loadState: (atMost) => loadStoredState(state, atMost),
    saveState: (next: MemoryState) => withLock(() => saveStoredState(state, next)),
    withLock,
  };
}

/**
 * Where the session's local files live, without the state folder's extension: one readable stem (kind
 * and session, made file-name-safe) and a hash of the display URL and session (never the URL itself: a
 * user name, a host or a path is nobody's business in a folder listing, and the password is not in it).
 */
export function historyStatePath(stateDir: string, target: HistoryTarget, sessionId: string): string {
  const hash = createHash('sha256').update(`${target.display}\0${sessionId}`).digest('hex').slice(0, 16);
  const stem = `${target.kind}-${sessionId}`.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 48);
  return join(stateDir, 'histories', `${stem}-${hash}`);
}

async function withHistoryLock<T>(lockPath: string, timeoutMs: number | undefined, relocate: string, fn: () => Promise<T>): Promise<T> {
  const held = heldLocks.getStore();
  if (held?.has(lockPath)) return fn();
  await storeStep('create the memory folder', dirname(lockPath), relocate, () => mkdir(dirname(lockPath), { recursive: true }), true);
  const release = await storeStep('lock the conversation', lockPath, relocate, () => acquireLock(lockPath, { timeoutMs }));
  let result: T;
  try {
    result = await heldLocks.run(new Set([...(held ?? []), lockPath]), fn);
  } catch (error) {
    await release().catch(() => undefined);
    throw error;
  }
  await storeStep('unlock the conversation', lockPath, relocate, release);
  return result;
}
