// The durable Conversation's loadState / saveState and what clear, replaceLast and repair do to the
// memory state (state.ts holds the file format and the rules; store.ts the turns and the lock). Every
// file-system step is a MemoryStoreError through the store's `step`; a state that cannot be trusted is
// said in one line (once per problem, per process) and not used, so the engine derives it again.

import { rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { HistoryEntry, MemoryState } from '../chain/types';
import { syncFolder } from './repair';
import {
  chooseState,
  damagedStatePathOf,
  mismatchOf,
  nextStateFile,
  plainState,
  readStateFile,
  removeStateFile,
  savedState,
  withoutLastTurn,
  writeStateFile,
  type StateFile,
  type StateReading,
} from './state';

export interface StateStore {
  statePath: string;
  /** Runs one file-system step; a failure becomes the store's message for `action`. */
  step: <T>(action: string, path: string, fn: () => Promise<T>) => Promise<T>;
  warn: (message: string) => void;
  /** The stored turns, as `load` hands them back. */
  turns: () => Promise<readonly HistoryEntry[]>;
  /**
   * A runnable command that moves a damaged state aside, said in the warning. Absent where there is none
   * to run (a shared history's session): the next saved state replaces the damaged file anyway.
   */
  repairCommand?: string;
}

/** What `inspect` says about the state. */
export interface StateReport {
  /** The state the next turn starts from (undefined: none, or none that can be trusted). */
  state?: MemoryState;
  /** Why the saved state is not used, when it is not. */
  problem?: string;
}

// Problems already said, per state file: the server asks every turn and on every change of stored turns.
const said = new Map<string, string>();

export async function loadStoredState(store: StateStore, atMost?: number): Promise<MemoryState | undefined> {
  const { state, problem } = await reportState(store, atMost);
  if (problem && said.get(store.statePath) !== problem) {
    said.set(store.statePath, problem);
    store.warn(problem);
  }
  return state;
}

export async function reportState(store: StateStore, atMost?: number): Promise<StateReport> {
  const reading = await read(store);
  if (reading.kind === 'absent') return {};
  const turns = await store.turns();
  if (reading.kind === 'damaged') return { problem: problemLine(store, `is damaged (${reading.reason})`, turns.length, true) };
  const chosen = chooseState(reading.file, turns, atMost);
  if (!chosen.problem) return chosen.state ? { state: plainState(chosen.state) } : {};
  const what = `does not match the stored turns: ${chosen.problem}`;
  if (!chosen.state) return { problem: problemLine(store, what, turns.length, false) };
  const problem = `the memory state ${store.statePath} ${what}; the one saved after turn ${chosen.state.turns} is used, and the turns after it are caught up on the next turn (none is lost)`;
  return { state: plainState(chosen.state), problem };
}

function problemLine(store: StateStore, what: string, storedTurns: number, damaged: boolean): string {
  const fix = damaged && store.repairCommand !== undefined ? `; run "${store.repairCommand}" to move it aside` : '';
  return `the memory state ${store.statePath} ${what}; not used: what the prompt sees is derived again from the ${storedTurns} stored turns on the next turn (none is lost)${fix}`;
}

/** Saves `state` after the turns it accounts for; the caller holds the lock. */
export async function saveStoredState(store: StateStore, state: MemoryState): Promise<void> {
  const turns = await store.turns();
  const next = savedState(state, turns);
  // The engine's promise: a state is saved only over turns that are stored. Anything else is a bug.
  const mismatch = mismatchOf(next, turns);
  if (mismatch) throw new Error(`refusing to save a memory state that does not match the stored turns: ${mismatch}`);
  const reading = await read(store);
  const file = nextStateFile(reading.kind === 'read' ? reading.file : undefined, next, turns, new Date());
  await store.step('save the memory state', store.statePath, () => writeStateFile(store.statePath, file));
  said.delete(store.statePath);
}

/**
 * Before the last stored turn is replaced (Retry, Edit and resend): the states that account for it are
 * dropped first, so a crash before the replacement lands leaves a state that merely owes that turn.
 */
export async function forgetLastTurnState(store: StateStore): Promise<void> {
  const reading = await read(store);
  if (reading.kind !== 'read') return;
  const turns = await store.turns();
  const file = withoutLastTurn(reading.file, turns);
  if (sameStates(file, reading.file)) return;
  await store.step('save the memory state', store.statePath, () => (file ? writeStateFile(store.statePath, file) : removeStateFile(store.statePath)));
}

function sameStates(a: StateFile | undefined, b: StateFile): boolean {
  return a !== undefined && a.current === b.current && a.previous === b.previous;
}

export async function clearStoredState(store: StateStore): Promise<void> {
  await store.step('clear the memory state', store.statePath, () => removeStateFile(store.statePath));
  said.delete(store.statePath);
}

/** `memory repair`: a damaged state file is moved aside (kept); true when it was. */
export async function moveDamagedStateAside(store: StateStore): Promise<boolean> {
  const reading = await read(store);
  if (reading.kind !== 'damaged') return false;
  const aside = damagedStatePathOf(store.statePath);
  await store.step('move the damaged memory state aside', store.statePath, async () => {
    await rename(store.statePath, aside);
    await syncFolder(dirname(aside));
  });
  said.delete(store.statePath);
  return true;
}

function read(store: StateStore): Promise<StateReading> {
  return store.step('read the memory state', store.statePath, () => readStateFile(store.statePath));
}
