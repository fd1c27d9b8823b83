// The durable Conversation: ConversationBufferMemory's turns kept on disk, one append-only JSONL file
// per conversation. Saving a turn costs one small append + fsync however long the conversation is;
// a crash mid-save loses at most that turn; turns on one conversation are serialized across processes.

import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdir, open, rename, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { FileHandle } from 'node:fs/promises';
import type { Conversation, MemoryConfig, Turn } from '../chain/types';
import { storeFailure } from './errors';
import { acquireLock } from './lock';
import { conversationId, conversationIdentity, conversationPaths, type ConversationIdentity, type ConversationPaths } from './paths';
import { encodeRecord } from './records';
import { RecordReader, type ReadOutcome } from './reader';

export { defaultStateDir } from './paths';
export { MemoryStoreError, LockTimeoutError } from './errors';

export interface OpenConversationOptions {
  /** The host's state folder for this workspace (VS Code: workspace storage; CLI: defaultStateDir). */
  stateDir: string;
  workspaceRoot: string;
  /** The `.prompt` file whose conversation this is. */
  filePath: string;
  memory: MemoryConfig;
  /** Told about records that had to be skipped. Default: process.emitWarning. */
  onWarning?: (message: string) => void;
  /** How long a turn waits for another one on the same conversation. */
  lockTimeoutMs?: number;
}

export interface StoredConversation extends Conversation {
  readonly id: string;
  readonly identity: ConversationIdentity;
  /** The JSONL file holding the turns (may not exist yet). */
  readonly recordsPath: string;
}

// Which conversation locks the current async call chain holds, so a turn that already holds the lock
// can append without waiting for itself, while an unrelated caller in the same process still waits.
const heldLocks = new AsyncLocalStorage<ReadonlySet<string>>();

export function openConversation(options: OpenConversationOptions): StoredConversation {
  const identity = conversationIdentity(options.workspaceRoot, options.filePath, options.memory.scope, options.memory.key);
  const id = conversationId(identity);
  const paths = conversationPaths(options.stateDir, id);
  const warn = options.onWarning ?? ((message: string) => process.emitWarning(message, 'PromptChainMemoryWarning'));
  const tornTail = { reported: false };
  const meta = { id, ...identity, workspaceRoot: options.workspaceRoot };
  const reader = new RecordReader(paths.records);

  const withLock = async <T>(fn: () => Promise<T>): Promise<T> => {
    const held = heldLocks.getStore();
    if (held?.has(paths.lock)) return fn();
    await ensureFolder(paths.lock);
    const release = await acquireLock(paths.lock, { timeoutMs: options.lockTimeoutMs });
    try {
      return await heldLocks.run(new Set([...(held ?? []), paths.lock]), fn);
    } finally {
      await release();
    }
  };

  return {
    id,
    identity,
    recordsPath: paths.records,
    withLock,
    load: () => loadTurns(reader, paths.records, warn, tornTail),
    append: (turn) => withLock(() => appendTurn(paths, turn, meta, warn, tornTail)),
    clear: () => withLock(() => clearTurns(paths)),
  };
}

async function loadTurns(reader: RecordReader, recordsPath: string, warn: (message: string) => void, tornTail: { reported: boolean }): Promise<readonly Turn[]> {
  let outcome: ReadOutcome;
  try {
    outcome = await reader.read();
  } catch (error) {
    throw storeFailure('read the conversation from', recordsPath, error);
  }
  // Said once per torn record: the tail stays torn until the next save cuts it, and every load sees it.
  if (outcome.tornTail && !tornTail.reported) {
    tornTail.reported = true;
    warn(`skipped an incomplete last record in ${recordsPath} (a save was interrupted); the ${outcome.turns.length} earlier turns are intact`);
  }
  if (outcome.unreadableLines.length > 0) {
    warn(`skipped unreadable records on lines ${outcome.unreadableLines.join(', ')} of ${recordsPath}`);
  }
  return outcome.turns;
}

async function appendTurn(
  paths: ConversationPaths,
  turn: Turn,
  meta: object,
  warn: (message: string) => void,
  tornTail: { reported: boolean },
): Promise<void> {
  const record = Buffer.from(encodeRecord(turn), 'utf8');
  await ensureFolder(paths.records);
  try {
    const handle = await open(paths.records, 'a+');
    let sizeBefore: number;
    try {
      sizeBefore = (await handle.stat()).size;
      const cut = await cutTornTail(handle, sizeBefore);
      if (cut > 0 && !tornTail.reported) warn(`removed an incomplete last record (${cut} bytes, an interrupted save) from ${paths.records}`);
      // The torn record is gone: a later one (another interrupted save) is worth saying again.
      tornTail.reported = false;
      await writeAll(handle, record);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (sizeBefore === 0) await recordIdentity(paths, meta);
  } catch (error) {
    throw storeFailure('save the turn to', paths.records, error);
  }
}

/**
 * An interrupted save leaves bytes after the last '\n'. Appending behind them would glue the new
 * record onto garbage, so they are cut first. Only the tail is read: the cost is one torn record,
 * never the whole file. Returns the number of bytes removed.
 */
async function cutTornTail(handle: FileHandle, size: number): Promise<number> {
  if (size === 0 || (await byteAt(handle, size - 1)) === NEWLINE) return 0;
  const keep = (await lastNewlineBefore(handle, size)) + 1;
  await handle.truncate(keep);
  return size - keep;
}

const NEWLINE = 0x0a;
const TAIL_CHUNK = 64 * 1024;

async function byteAt(handle: FileHandle, position: number): Promise<number | undefined> {
  const buffer = Buffer.alloc(1);
  const { bytesRead } = await handle.read(buffer, 0, 1, position);
  return bytesRead === 1 ? buffer[0] : undefined;
}

/** Offset of the last '\n' before `end`, or -1 when there is none. Reads backwards chunk by chunk. */
async function lastNewlineBefore(handle: FileHandle, end: number): Promise<number> {
  const buffer = Buffer.alloc(TAIL_CHUNK);
  for (let chunkEnd = end; chunkEnd > 0; chunkEnd -= TAIL_CHUNK) {
    const start = Math.max(0, chunkEnd - TAIL_CHUNK);
    const { bytesRead } = await handle.read(buffer, 0, chunkEnd - start, start);
    const index = buffer.subarray(0, bytesRead).lastIndexOf(NEWLINE);
    if (index >= 0) return start + index;
  }
  return -1;
}

/** One write in practice; the loop only matters if the OS accepts part of the buffer. */
async function writeAll(handle: FileHandle, data: Buffer): Promise<void> {
  for (let offset = 0; offset < data.length; ) {
    const { bytesWritten } = await handle.write(data, offset, data.length - offset);
    offset += bytesWritten;
  }
}

/** Written once, beside the first record, so the folder says which file a conversation belongs to. */
async function recordIdentity(paths: ConversationPaths, meta: object): Promise<void> {
  const temporary = `${paths.meta}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify({ ...meta, createdAt: new Date().toISOString() }, null, 2)}\n`);
  await rename(temporary, paths.meta);
  await syncFolder(dirname(paths.records));
}

async function clearTurns(paths: ConversationPaths): Promise<void> {
  try {
    await unlinkIfPresent(paths.records);
    await unlinkIfPresent(paths.meta);
  } catch (error) {
    throw storeFailure('clear the conversation in', paths.records, error);
  }
}

async function unlinkIfPresent(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

async function ensureFolder(filePath: string): Promise<void> {
  try {
    await mkdir(dirname(filePath), { recursive: true });
  } catch (error) {
    throw storeFailure('create the memory folder', dirname(filePath), error);
  }
}

/** Makes a newly created file's directory entry durable too. Not possible on every platform. */
async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r').catch(() => undefined);
  if (!handle) return;
  await handle.sync().catch(() => undefined);
  await handle.close();
}
