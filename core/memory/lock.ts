// A cross-process lock made of a file created with O_EXCL. It serializes turns on one conversation
// between the VS Code extension, the language server and any number of CLI runs. The file holds who
// took it, so a lock left behind by a killed process is recognised (its pid is dead) and broken.

import { randomBytes } from 'node:crypto';
import { open, readFile, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { LockTimeoutError } from './errors';

export type ReleaseLock = () => Promise<void>;

export interface LockOptions {
  /** How long to wait for another holder before giving up with a LockTimeoutError. */
  timeoutMs?: number;
}

interface LockOwner {
  pid: number;
  host: string;
  acquiredAt: string;
  /** Tells two acquisitions by the same process apart, so a release never removes a successor's lock. */
  token: string;
}

interface HeldLock {
  text: string;
  owner?: LockOwner;
  ageMs: number;
}

export const DEFAULT_LOCK_TIMEOUT_MS = 120_000;
const POLL_MIN_MS = 5;
const POLL_MAX_MS = 100;
// The owner is written right after the file is created; empty for this long means its writer died.
const UNREADABLE_STALE_MS = 10_000;
// A pid on another machine (shared folder) cannot be checked; only age can make its lock stale.
const FOREIGN_STALE_MS = 10 * 60_000;

export async function acquireLock(lockPath: string, options: LockOptions = {}): Promise<ReleaseLock> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  const ownerText = JSON.stringify(newOwner());
  for (let attempt = 0; ; attempt++) {
    if (await createExclusive(lockPath, ownerText)) return () => releaseLock(lockPath, ownerText);
    const held = await readHeld(lockPath);
    if (!held) continue; // released between our attempt and the read: try again at once
    if (isStale(held) && (await breakStaleLock(lockPath, held.text))) continue;
    if (Date.now() >= deadline) throw new LockTimeoutError(busyMessage(lockPath, held, timeoutMs));
    await delay(Math.min(POLL_MAX_MS, POLL_MIN_MS * 2 ** attempt));
  }
}

function newOwner(): LockOwner {
  return { pid: process.pid, host: hostname(), acquiredAt: new Date().toISOString(), token: randomBytes(8).toString('hex') };
}

/** Creates `path` only if it does not exist, filled with `text`. False when it already exists. */
async function createExclusive(path: string, text: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(text);
  } catch (error) {
    await handle.close();
    await unlink(path).catch(() => undefined);
    throw error;
  }
  await handle.close();
  return true;
}

async function readHeld(lockPath: string): Promise<HeldLock | undefined> {
  try {
    const [text, info] = await Promise.all([readFile(lockPath, 'utf8'), stat(lockPath)]);
    return { text, owner: parseOwner(text), ageMs: Date.now() - info.mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(text) as Partial<LockOwner>;
    return typeof owner.pid === 'number' && typeof owner.host === 'string' ? (owner as LockOwner) : undefined;
  } catch {
    return undefined;
  }
}

function isStale(held: HeldLock): boolean {
  if (!held.owner) return held.ageMs > UNREADABLE_STALE_MS;
  if (held.owner.host !== hostname()) return held.ageMs > FOREIGN_STALE_MS;
  return !isAlive(held.owner.pid);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes a stale lock, but only the one we judged stale: two waiters could otherwise both judge it,
 * and the slower one would delete the lock the faster one has just taken. A short-lived `.break` lock
 * makes "check it is still the same, then delete" one step. True when the way is clear to retry.
 */
async function breakStaleLock(lockPath: string, staleText: string): Promise<boolean> {
  const breaker = `${lockPath}.break`;
  if (!(await createExclusive(breaker, JSON.stringify(newOwner())))) {
    const held = await readHeld(breaker);
    if (held && held.ageMs > UNREADABLE_STALE_MS) await unlink(breaker).catch(() => undefined);
    return false;
  }
  try {
    const current = await readHeld(lockPath);
    if (current?.text === staleText) await unlink(lockPath).catch(ignoreMissing);
    return true;
  } finally {
    await unlink(breaker).catch(() => undefined);
  }
}

async function releaseLock(lockPath: string, ownerText: string): Promise<void> {
  const held = await readHeld(lockPath).catch(() => undefined);
  // Someone may have judged us stale and taken over; their lock is not ours to remove.
  if (held?.text === ownerText) await unlink(lockPath).catch(ignoreMissing);
}

function busyMessage(lockPath: string, held: HeldLock, timeoutMs: number): string {
  const owner = held.owner;
  const who = owner ? `process ${owner.pid}${owner.host === hostname() ? '' : ` on ${owner.host}`}` : 'another process';
  return (
    `conversation is busy: ${who} has been running a turn for ${seconds(held.ageMs)} ` +
    `(waited ${seconds(timeoutMs)}); try again when it finishes, or delete ${lockPath} if no prompt-chain process is running`
  );
}

function seconds(ms: number): string {
  return `${Math.max(0, Math.round(ms / 1000))} s`;
}

function ignoreMissing(error: NodeJS.ErrnoException): void {
  if (error.code !== 'ENOENT') throw error;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
