// The memory class's state (its summary, how many messages it pruned) kept beside a conversation's turns,
// in `<id>.state.json`, so that loading never summarizes again nor calls the model.
//
// Why a file replaced whole rather than a record appended to the JSONL: the turn records stay exactly
// `{input, output, at}` (other tools, and LangChain apps, read them), and only the newest state matters.
// A state is small (a summary is one model reply), so rewriting it costs O(summary) per turn, where an
// append-only log would store every summary ever made and need compacting. The write is atomic: a
// temporary file beside it, fsync, rename over the old one, fsync of the folder; a kill -9 at any point
// leaves the old state or the new one, never a torn one. The temporary file has one fixed name: writes
// hold the conversation's lock, and a leftover from a killed writer is overwritten by the next save.
//
// A state is saved after the turns it accounts for are durable, and is trusted only while it matches
// them: it names how many turns it accounts for and a fingerprint of the last of them. A state that
// claims more turns than are stored, or whose last turn is not the stored one, or that cannot be read,
// is reported and not used: the engine derives it again from the full history (which is never lost).
// The file keeps the state before the newest one too, so that Retry (replaceLast) of the last turn goes
// back to the state that did not account for it, instead of summarizing the whole history again.

import { createHash } from 'node:crypto';
import { readFile, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { HistoryEntry, MemoryBasis, MemoryState } from '../chain/types';
import type { MemoryType } from '../format/model';
import { replaceDurably, syncFolder } from './repair';

/** A state as stored: the state and the fingerprint of the last turn it accounts for ('' for none). */
export interface SavedState extends MemoryState {
  lastTurn: string;
}

/** What `<id>.state.json` holds. Never keys, endpoints or settings: only what the memory derived. */
export interface StateFile {
  version: 1;
  /** The newest state. */
  current: SavedState;
  /** The newest one before it that accounts for fewer turns (what Retry of the last turn goes back to). */
  previous?: SavedState;
  savedAt: string;
}

export type StateReading = { kind: 'absent' } | { kind: 'damaged'; reason: string } | { kind: 'read'; file: StateFile };

/** The state file beside a conversation's records file. */
export function statePathOf(recordsPath: string): string {
  const stem = recordsPath.endsWith('.jsonl') ? recordsPath.slice(0, -'.jsonl'.length) : recordsPath;
  return `${stem}.state.json`;
}

/** Where a damaged state file is moved by `memory repair` (kept, never deleted). */
export function damagedStatePathOf(statePath: string): string {
  return statePath.replace(/\.json$/, '.damaged.json');
}

/**
 * Identifies a stored entry exactly: a state is trusted only over the very entries it was made from. An
 * exchange hashes as it always has; a lone message (shared histories only) hashes its type and content.
 */
export function turnFingerprint(turn: HistoryEntry | undefined): string {
  if (!turn) return '';
  const identity = 'lone' in turn ? [turn.lone.type, turn.lone.content, 'lone'] : [turn.input, turn.output];
  return createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 32);
}

export function savedState(state: MemoryState, turns: readonly HistoryEntry[]): SavedState {
  return { ...copyState(state), lastTurn: turnFingerprint(state.turns > 0 ? turns[state.turns - 1] : undefined) };
}

/** The plain MemoryState of a saved one, without the fingerprint. */
export function plainState(saved: SavedState): MemoryState {
  return copyState(saved);
}

function copyState(state: MemoryState): MemoryState {
  const basis: MemoryBasis = { type: state.basis.type };
  if (state.basis.maxTokenLimit !== undefined) basis.maxTokenLimit = state.basis.maxTokenLimit;
  if (state.basis.summaryPrompt !== undefined) basis.summaryPrompt = state.basis.summaryPrompt;
  if (state.basis.model !== undefined) basis.model = state.basis.model;
  const copy: MemoryState = { basis, turns: state.turns, prunedMessages: state.prunedMessages };
  if (state.summary !== undefined) copy.summary = state.summary;
  return copy;
}

export async function readStateFile(path: string): Promise<StateReading> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'absent' };
    throw error;
  }
  return decodeStateFile(text);
}

export function decodeStateFile(text: string): StateReading {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'damaged', reason: 'not JSON' };
  }
  if (!isObject(value) || value.version !== 1) return { kind: 'damaged', reason: 'not a state file of this version' };
  const current = decodeSaved(value.current);
  if (!current) return { kind: 'damaged', reason: 'its state is malformed' };
  const previous = value.previous === undefined ? undefined : decodeSaved(value.previous);
  if (value.previous !== undefined && !previous) return { kind: 'damaged', reason: 'its previous state is malformed' };
  const savedAt = typeof value.savedAt === 'string' ? value.savedAt : '';
  return { kind: 'read', file: { version: 1, current, ...(previous && { previous }), savedAt } };
}

const memoryTypes: readonly MemoryType[] = ['buffer', 'buffer_window', 'summary', 'summary_buffer', 'token_buffer'];

function decodeSaved(value: unknown): SavedState | undefined {
  if (!isObject(value) || !isObject(value.basis)) return undefined;
  const { basis, turns, prunedMessages, summary, lastTurn } = value;
  if (!memoryTypes.includes(basis.type as MemoryType)) return undefined;
  if (!isCount(turns) || !isCount(prunedMessages) || prunedMessages > 2 * turns) return undefined;
  if (summary !== undefined && typeof summary !== 'string') return undefined;
  if (typeof lastTurn !== 'string') return undefined;
  if (!optional(basis.maxTokenLimit, isCount) || !optional(basis.summaryPrompt, isString) || !optional(basis.model, isString)) return undefined;
  return { ...copyState(value as unknown as MemoryState), lastTurn };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

function optional(value: unknown, check: (value: unknown) => boolean): boolean {
  return value === undefined || check(value);
}

/** Why a saved state cannot be trusted over the stored turns; undefined when it can. */
export function mismatchOf(saved: SavedState, turns: readonly HistoryEntry[]): string | undefined {
  if (saved.turns > turns.length) return `it accounts for ${saved.turns} turns but ${turns.length} are stored`;
  if (saved.lastTurn !== turnFingerprint(saved.turns > 0 ? turns[saved.turns - 1] : undefined)) {
    return `stored turn ${saved.turns} is not the one it was made from`;
  }
  return undefined;
}

export interface ChosenState {
  state?: SavedState;
  /** Why the newest state was not used (said once to the user), when it was not. */
  problem?: string;
}

/**
 * The newest saved state that matches the stored turns and accounts for at most `atMost` of them. The
 * newest one accounting for more than `atMost` (a Retry formats without the last turn) is passed over
 * silently: it is right, only not for this turn. One that does not match the turns is a problem.
 */
export function chooseState(file: StateFile, turns: readonly HistoryEntry[], atMost = turns.length): ChosenState {
  let problem: string | undefined;
  for (const saved of [file.current, file.previous]) {
    if (!saved) continue;
    const mismatch = mismatchOf(saved, turns);
    if (mismatch) {
      problem ??= mismatch;
      continue;
    }
    if (saved.turns <= atMost) return { state: saved, ...(problem && { problem }) };
  }
  return problem ? { problem } : {};
}

/**
 * The file after saving `next`: the one before it is the newest of the old states that still matches
 * the stored turns and accounts for fewer turns than `next` (so Retry of `next`'s last turn finds it).
 */
export function nextStateFile(old: StateFile | undefined, next: SavedState, turns: readonly HistoryEntry[], now: Date): StateFile {
  const previous = [old?.current, old?.previous].find((saved) => saved && saved.turns < next.turns && !mismatchOf(saved, turns));
  return { version: 1, current: next, ...(previous && { previous }), savedAt: now.toISOString() };
}

/**
 * The file once the last stored turn is to be replaced: states accounting for it are dropped, the one
 * before stays. Undefined: nothing is left to keep (the file is removed).
 */
export function withoutLastTurn(file: StateFile, turns: readonly HistoryEntry[]): StateFile | undefined {
  const kept = [file.current, file.previous].filter((saved): saved is SavedState => !!saved && saved.turns < turns.length && !mismatchOf(saved, turns));
  const [current, previous] = kept;
  if (!current) return undefined;
  return { version: 1, current, ...(previous && { previous }), savedAt: file.savedAt };
}

/** Writes the state file atomically: temporary file, fsync, rename over the old one, fsync the folder. */
export async function writeStateFile(path: string, file: StateFile): Promise<void> {
  // One fixed temporary name (writes hold the lock): removeStateFile finds a killed writer's leftover.
  await replaceDurably(path, Buffer.from(`${JSON.stringify(file)}\n`), `${path}.tmp`);
}

/** Removes the state file (and a leftover temporary one), durably. */
export async function removeStateFile(path: string): Promise<void> {
  await unlinkIfPresent(`${path}.tmp`);
  if (await unlinkIfPresent(path)) await syncFolder(dirname(path));
}

async function unlinkIfPresent(path: string): Promise<boolean> {
  try {
    await unlink(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return false;
  }
}
