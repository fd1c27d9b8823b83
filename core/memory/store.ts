// The durable Conversation: ConversationBufferMemory's turns kept on disk, one append-only JSONL file
// per conversation. Saving a turn costs one small append + fsync however long the conversation is;
// a crash mid-save loses at most that turn; turns on one conversation are serialized across processes.
// Every file-system failure, at any step, is a MemoryStoreError naming the folder and what to do.
// The memory class's state (summary, pruning) lives beside the turns, replaced atomically: state.ts says
// why and how, storedState.ts what clear, replaceLast and repair do to it.

import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdir, open, rename, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { FileHandle } from 'node:fs/promises';
import type { Conversation, MemoryConfig, Turn } from '../chain/types';
import { defaultRelocateHint, isLastTurn, storeStep } from './errors';
import { acquireLock, type LockOptions } from './lock';
import { conversationId, conversationIdentity, conversationPaths, type ConversationIdentity, type ConversationPaths } from './paths';
import { encodeRecord } from './records';
import { RecordReader, type ReadOutcome } from './reader';
import { replaceLastRecord } from './replace';
import { damagedPathOf, moveDamagedAside, readConversationState, readMovedRecords, syncFolder, type MovedRecord } from './repair';
import { statePathOf } from './state';
import { clearStoredState, forgetLastTurnState, loadStoredState, moveDamagedStateAside, reportState, saveStoredState, type StateReport, type StateStore } from './storedState';

export { defaultStateDir } from './paths';
export { MemoryStoreError, LockTimeoutError, LastTurnChangedError, memoryFailureKind } from './errors';
export type { MovedRecord } from './repair';
export type { StateReport } from './storedState';

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
  /** How the user points this host at another memory folder, ending failure messages (errors.ts). */
  relocateHint?: string;
  /** The command that repairs this conversation from a terminal. Default: `repairCommandFor(filePath)`. */
  repairCommand?: string;
  /** Where /proc is (lock.ts); for tests of hosts without one. */
  procRoot?: string;
}

/** The whole conversation file as it is, for `memory show`. */
export interface ConversationReport {
  turns: readonly Turn[];
  /** 1-based line numbers of damaged records (skipped by load, moved aside by repairDamaged). */
  damagedLines: number[];
  /** What earlier repairs moved to the side file. */
  movedAside: MovedRecord[];
  /** The memory state the next turn starts from, and why the saved one is not used when it is not. */
  memoryState: StateReport;
}

export interface StoredConversation extends Conversation {
  readonly id: string;
  readonly identity: ConversationIdentity;
  /** The JSONL file holding the turns (may not exist yet). */
  readonly recordsPath: string;
  /** The side file damaged records are moved to (may not exist). */
  readonly damagedPath: string;
  /** The memory class's state beside the records (state.ts; may not exist). */
  readonly statePath: string;
  /** Appends the turns in one write and one fsync, all or none (`memory import`): a failed write is cut back. */
  appendAll(turns: readonly Turn[]): Promise<void>;
  /** What to run to move damaged records aside, as every warning about them says it. */
  readonly repairCommand: string;
  /** Reads the whole file, damaged records and side file included, without warnings. */
  inspect(): Promise<ConversationReport>;
  /** Moves damaged records to the side file, under the lock; the line numbers moved. */
  repairDamaged(): Promise<number[]>;
  /** Moves a damaged memory state aside (`<id>.state.damaged.json`), under the lock; true when it did. */
  repairState(): Promise<boolean>;
}

// Which conversation locks the current async call chain holds, so a turn that already holds the lock
// can append without waiting for itself, while an unrelated caller in the same process still waits.
const heldLocks = new AsyncLocalStorage<ReadonlySet<string>>();

// Conversation files whose damaged records this process has already warned about: the server opens a
// conversation per document and the CLI's load is followed by the turn's, so once is enough.
const warnedDamaged = new Set<string>();

export function openConversation(options: OpenConversationOptions): StoredConversation {
  const identity = conversationIdentity(options.workspaceRoot, options.filePath, options.memory.scope, options.memory.key);
  const id = conversationId(identity);
  const store = storeContext(options, conversationPaths(options.stateDir, id));
  const { paths, damagedPath } = store;
  const meta = { id, ...identity, workspaceRoot: options.workspaceRoot };
  const reader = new RecordReader(paths.records);
  const withLock = <T>(fn: () => Promise<T>) => withConversationLock(store, fn);
  const state = stateStore(store, () => loadTurns(reader, store));
  return {
    id,
    identity,
    recordsPath: paths.records,
    damagedPath,
    repairCommand: store.repairCommand,
    withLock,
    load: () => loadTurns(reader, store),
    append: (turn) => withLock(() => appendTurns(store, [turn], meta)),
    appendAll: (turns) => withLock(() => appendTurns(store, turns, meta)),
    clear: () => withLock(() => clearTurns(store, state)),
    replaceLast: (expected, turn) => withLock(() => replaceLastTurn(store, state, expected, turn)),
    loadState: (atMost) => loadStoredState(state, atMost),
    saveState: (next) => withLock(() => saveStoredState(state, next)),
    statePath: state.statePath,
    inspect: () => inspectConversation(store, state),
    repairDamaged: () => withLock(() => repairDamaged(store)),
    repairState: () => withLock(() => moveDamagedStateAside(state)),
  };
}

function stateStore(store: StoreContext, turns: () => Promise<readonly Turn[]>): StateStore {
  return { statePath: statePathOf(store.paths.records), step: store.step, warn: store.warn, turns, repairCommand: store.repairCommand };
}

/** What the steps of one conversation share. */
interface StoreContext {
  paths: ConversationPaths;
  damagedPath: string;
  /** Ends failure messages: how to point the host at another folder. */
  relocate: string;
  lock: LockOptions;
  /** Runs one file-system step; a failure becomes the store's message for `action`. */
  step: <T>(action: string, path: string, fn: () => Promise<T>) => Promise<T>;
  warn: (message: string) => void;
  tornTail: { reported: boolean };
  /** Named in the warning about damaged records. */
  repairCommand: string;
}

function storeContext(options: OpenConversationOptions, paths: ConversationPaths): StoreContext {
  const relocate = options.relocateHint ?? defaultRelocateHint;
  return {
    paths,
    damagedPath: damagedPathOf(paths.records),
    relocate,
    lock: { timeoutMs: options.lockTimeoutMs, procRoot: options.procRoot },
    step: (action, path, fn) => storeStep(action, path, relocate, fn),
    warn: options.onWarning ?? ((message: string) => process.emitWarning(message, 'PromptChainMemoryWarning')),
    tornTail: { reported: false },
    // Named by warnings and failures about damaged records, and by the memory state's (storedState.ts).
    repairCommand: options.repairCommand ?? repairCommandFor(options.filePath),
  };
}

/**
 * `prompt-chain memory repair FILE`, naming the workspace and memory folder when the host keeps the
 * conversation somewhere the CLI would not look by itself (the editor's storage); words shell-quoted.
 */
export function repairCommandFor(filePath: string, location: { workspaceRoot?: string; stateDir?: string } = {}): string {
  const words = ['prompt-chain', 'memory', 'repair', filePath];
  if (location.workspaceRoot !== undefined) words.push('--workspace', location.workspaceRoot);
  if (location.stateDir !== undefined) words.push('--memory-dir', location.stateDir);
  return words.map(shellWord).join(' ');
}

function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

async function withConversationLock<T>(store: StoreContext, fn: () => Promise<T>): Promise<T> {
  const { paths, step } = store;
  const held = heldLocks.getStore();
  if (held?.has(paths.lock)) return fn();
  await ensureFolder(paths.lock, store.relocate);
  const release = await step('lock the conversation', paths.lock, () => acquireLock(paths.lock, store.lock));
  let result: T;
  try {
    result = await heldLocks.run(new Set([...(held ?? []), paths.lock]), fn);
  } catch (error) {
    // The turn's own failure is the one to report; a lock left behind is broken by the next turn.
    await release().catch(() => undefined);
    throw error;
  }
  await step('unlock the conversation', paths.lock, release);
  return result;
}

async function repairDamaged(store: StoreContext): Promise<number[]> {
  const { paths, damagedPath } = store;
  const moved = await store.step('move damaged records aside', paths.records, () => moveDamagedAside(paths.records, damagedPath));
  // Damage found later (written by something else again) is worth saying again.
  warnedDamaged.delete(paths.records);
  return moved;
}

async function loadTurns(reader: RecordReader, store: StoreContext): Promise<readonly Turn[]> {
  const recordsPath = store.paths.records;
  const outcome: ReadOutcome = await store.step('read the conversation', recordsPath, () => reader.read());
  // Said once per torn record: the tail stays torn until the next save cuts it, and every load sees it.
  if (outcome.tornTail && !store.tornTail.reported) {
    store.tornTail.reported = true;
    store.warn(`skipped an incomplete last record in ${recordsPath} (a save was interrupted); the ${outcome.turns.length} earlier turns are intact`);
  }
  if (outcome.unreadableLines.length > 0 && !warnedDamaged.has(recordsPath)) {
    warnedDamaged.add(recordsPath);
    const lines = outcome.unreadableLines;
    store.warn(
      `skipped ${lines.length === 1 ? 'a damaged record' : `${lines.length} damaged records`} (line${lines.length === 1 ? '' : 's'} ${lines.join(', ')}) ` +
        `of ${recordsPath}; run "${store.repairCommand}" to move them aside`,
    );
  }
  return outcome.turns;
}

async function inspectConversation(store: StoreContext, memory: StateStore): Promise<ConversationReport> {
  const { damagedPath } = store;
  const state = await store.step('read the conversation', store.paths.records, () => readConversationState(store.paths.records));
  const movedAside = await store.step('read the damaged records', damagedPath, () => readMovedRecords(damagedPath));
  // Judged against the turns the file holds now, as a turn would judge it.
  const memoryState = await reportState({ ...memory, turns: async () => state.turns });
  return { turns: state.turns, damagedLines: state.damagedLines, movedAside, memoryState };
}

async function appendTurns(store: StoreContext, turns: readonly Turn[], meta: object): Promise<void> {
  if (turns.length === 0) return;
  const { paths, step, warn, tornTail } = store;
  const at = new Date();
  const records = Buffer.from(turns.map((turn) => encodeRecord(turn, at)).join(''), 'utf8');
  await ensureFolder(paths.records, store.relocate);
  const handle = await step('save the turn', paths.records, () => open(paths.records, 'a+'));
  let sizeBefore: number;
  try {
    sizeBefore = (await step('save the turn', paths.records, () => handle.stat())).size;
    const cut = await step('save the turn', paths.records, () => cutTornTail(handle, sizeBefore));
    if (cut > 0 && !tornTail.reported) warn(`removed an incomplete last record (${cut} bytes, an interrupted save) from ${paths.records}`);
    // The torn record is gone: a later one (another interrupted save) is worth saying again.
    tornTail.reported = false;
    await step('save the turn', paths.records, () => writeAllOrNone(handle, records, sizeBefore - cut));
  } finally {
    await handle.close().catch(() => undefined);
  }
  if (sizeBefore === 0) await step('save the turn', paths.meta, () => recordIdentity(paths, meta));
}

/** Writes and syncs `data` at the end; a failure (disk full, a size limit) cuts the file back to `size`. */
async function writeAllOrNone(handle: FileHandle, data: Buffer, size: number): Promise<void> {
  try {
    await writeAll(handle, data);
    await handle.sync();
  } catch (error) {
    await handle.truncate(size).catch(() => undefined);
    throw error;
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

async function clearTurns(store: StoreContext, memory: StateStore): Promise<void> {
  const { paths, step } = store;
  // The state first: a crash in between leaves turns without a state (derived again), never the reverse.
  await clearStoredState(memory);
  await step('clear the conversation', paths.records, async () => {
    await unlinkIfPresent(paths.records);
    await unlinkIfPresent(paths.meta);
  });
}

async function unlinkIfPresent(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

async function ensureFolder(filePath: string, relocate: string): Promise<void> {
  const folder = dirname(filePath);
  await storeStep('create the memory folder', folder, relocate, () => mkdir(folder, { recursive: true }), true);
}

/** Retry / Edit and resend: the new turn takes the last one's place (replace.ts), under the lock. */
async function replaceLastTurn(store: StoreContext, memory: StateStore, expected: Turn, turn: Turn): Promise<void> {
  const { paths } = store;
  // A state that accounts for the replaced turn goes first (storedState.ts); only when the replace will be allowed.
  if (isLastTurn(await memory.turns(), expected)) await forgetLastTurnState(memory);
  await store.step('replace the last turn', paths.records, () => replaceLastRecord(paths.records, expected, turn, store.repairCommand));
}
