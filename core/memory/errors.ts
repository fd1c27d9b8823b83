// Failures of the durable memory store, worded for the person who has to act on them. Every file-system
// step of the store (lock, mkdir, open, append, fsync, read, rename, unlink) ends in one of these, so a
// read-only, unwritable or full memory folder is a one-line message, never a "bug" with a stack trace.

import { dirname } from 'node:path';
import type { HistoryEntry, Turn } from '../chain/types';

/** The kind every host reports store failures under (CLI exit 1, LSP `data.kind`). */
export const memoryFailureKind = 'memory';

/** The store could not be read or written, or a conversation stayed locked too long. */
export class MemoryStoreError extends Error {
  override readonly name = 'MemoryStoreError';
  readonly kind = memoryFailureKind;
  /** The errno code behind it (`EROFS`, `ENOSPC`, …), when a file-system call failed. */
  readonly code: string | undefined;

  constructor(message: string, code?: string) {
    super(message);
    this.code = code;
  }
}

/** Another turn held the conversation's lock for longer than the caller was willing to wait. */
export class LockTimeoutError extends MemoryStoreError {}

/**
 * A turn meant to take the place of the conversation's last one (Retry, Edit and resend) found another
 * last turn: another run came in between, or the conversation was cleared. Nothing is replaced.
 */
export class LastTurnChangedError extends MemoryStoreError {}

/** Whether `expected` is exactly the last of `turns`: the one check a replace is allowed by. */
export function isLastTurn(turns: readonly HistoryEntry[], expected: Turn): boolean {
  const last = turns.at(-1);
  return last !== undefined && 'input' in last && last.input === expected.input && last.output === expected.output;
}

/** The refusal of a replace whose turn is no longer the last one; `outcome` says what did not happen. */
export function lastTurnChangedError(outcome: 'nothing was sent' | 'nothing was saved'): LastTurnChangedError {
  return new LastTurnChangedError(
    `The conversation's last turn is no longer the one to replace (another run came in between, or memory was cleared); ${outcome}: run the turn again from the conversation as it is now.`,
  );
}

/**
 * How the person can point the host at another folder, said after what to fix ("… or <hint>"). The CLI
 * names --memory-dir; a host whose folder the user cannot choose passes ''.
 */
export const defaultRelocateHint = "set XDG_STATE_HOME (or the CLI's --memory-dir) to a writable folder";

interface Problem {
  /** What is wrong with the folder, after its path. */
  state: string;
  /** What to do, before the relocate hint. */
  fix: string;
}

const problems: Record<string, Problem> = {
  EROFS: { state: 'is on a read-only file system', fix: 'make the folder writable' },
  EACCES: { state: 'is not accessible to this user (permission denied)', fix: 'give this user read and write access to the folder' },
  EPERM: { state: 'does not permit the operation', fix: 'give this user read and write access to the folder' },
  ENOSPC: { state: 'is on a full disk', fix: 'free some space on its disk' },
  EDQUOT: { state: 'is over its disk quota', fix: 'free some space under your quota' },
  ENOTDIR: { state: 'has a parent path that is not a folder', fix: 'remove or rename the file in the way' },
  EEXIST: { state: 'has a file where a folder should be', fix: 'remove or rename the file in the way' },
  EISDIR: { state: 'has a folder where a file should be', fix: 'remove or rename the folder in the way' },
  ELOOP: { state: 'has a symbolic link loop in its path', fix: 'fix the link' },
  EMFILE: { state: 'cannot be opened: too many open files', fix: 'close other programs or raise the open-file limit' },
  ENFILE: { state: 'cannot be opened: too many open files', fix: 'close other programs or raise the open-file limit' },
};

/**
 * "cannot save the turn: /x/memory/conversations is on a read-only file system (EROFS): make the folder
 * writable or set --memory-dir to a writable folder". `path` is the file or folder the call failed on;
 * the message names the memory folder holding it.
 */
export function storeFailure(action: string, path: string, error: unknown, relocate = defaultRelocateHint, isFolder = false): MemoryStoreError {
  if (error instanceof MemoryStoreError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const folder = isFolder ? path : dirname(path);
  const problem = code === undefined ? undefined : problems[code];
  const or = relocate ? ` or ${relocate}` : '';
  if (problem) return new MemoryStoreError(`cannot ${action}: ${folder} ${problem.state} (${code}): ${problem.fix}${or}`, code);
  const reason = code ? `file system error (${code})` : String((error as Error | undefined)?.message ?? error);
  return new MemoryStoreError(`cannot ${action}: ${path}: ${reason}: check the memory folder ${folder}${or}`, code);
}

/** Runs one file-system step, turning a failed system call into the store's message (a bug stays a bug). */
export async function storeStep<T>(action: string, path: string, relocate: string, step: () => Promise<T>, isFolder = false): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (!isSystemError(error) && !(error instanceof MemoryStoreError)) throw error;
    throw storeFailure(action, path, error, relocate, isFolder);
  }
}

/** An errno failure of a system call (EROFS, ENOSPC, …), as opposed to Node's own ERR_* or a bug. */
function isSystemError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code);
}
