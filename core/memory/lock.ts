// A cross-process lock: a file that exists while a turn runs. It serializes turns on one conversation
// between the VS Code extension, the language server and any number of CLI runs.
//
// The file is never observed half-written: its content goes to a temporary file first, which is then
// hard-linked to the lock path (link() fails with EEXIST when the lock is held, exactly like O_EXCL).
// So a lock file that is empty or not a lock record was not written by a live holder, and is stale at
// once. On file systems without hard links, an O_EXCL create followed by a write is the fallback; there an
// unreadable lock is only judged stale after UNREADABLE_STALE_MS, since its writer may still be writing.
//
// The record names its process beyond its pid, because pids are reused (after a crash or a reboot a
// stale lock can name a live, unrelated process): the boot id (/proc/sys/kernel/random/boot_id) and the
// process's start time (field 22 of /proc/<pid>/stat, in clock ticks since boot). A lock whose pid is
// alive but whose boot id or start time differ is stale. Where /proc is absent (macOS, Windows), both are
// missing from the record and only the pid is checked, as before.

import { randomBytes } from 'node:crypto';
import { link, open, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { LockTimeoutError } from './errors';

export type ReleaseLock = () => Promise<void>;

export interface LockOptions {
  /** How long to wait for another holder before giving up with a LockTimeoutError. */
  timeoutMs?: number;
  /** Where the kernel's process table is mounted (default `/proc`); a missing folder means "no /proc". */
  procRoot?: string;
}

/** Who holds a lock: enough to tell this process from a later one that got the same pid. */
export interface LockOwner {
  pid: number;
  host: string;
  /** The kernel's boot id when the lock was taken; absent without /proc. */
  bootId?: string;
  /** The holder's start time (clock ticks since boot, /proc/<pid>/stat field 22); absent without /proc. */
  startTime?: string;
  acquiredAt: string;
  /** Tells two acquisitions by the same process apart, so a release never removes a successor's lock. */
  token: string;
}

interface HeldLock {
  text: string;
  owner?: LockOwner;
  ageMs: number;
}

/** What one acquisition has learnt about the folder and this process. */
interface Attempt {
  procRoot: string;
  /** False once link() turned out unsupported here: locks in this folder may then be seen half-written. */
  atomic: boolean;
}

export const DEFAULT_LOCK_TIMEOUT_MS = 120_000;
const POLL_MIN_MS = 5;
const POLL_MAX_MS = 100;
// Without atomic creation, the owner is written right after the file is created; unreadable for this
// long means its writer died. Also the life of a `.break` lock, which is held for a few system calls.
const UNREADABLE_STALE_MS = 10_000;
// A pid on another machine (shared folder) cannot be checked; only age can make its lock stale.
const FOREIGN_STALE_MS = 10 * 60_000;
// link() errors that mean "this file system has no hard links", not "you may not".
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK']);

export async function acquireLock(lockPath: string, options: LockOptions = {}): Promise<ReleaseLock> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  const attempt: Attempt = { procRoot: options.procRoot ?? '/proc', atomic: true };
  const ownerText = JSON.stringify(await newOwner(attempt.procRoot));
  for (let round = 0; ; round++) {
    if (await createExclusive(lockPath, ownerText, attempt)) return () => releaseLock(lockPath, ownerText);
    const held = await readHeld(lockPath);
    if (!held) continue; // released between our attempt and the read: try again at once
    if ((await isStale(held, attempt)) && (await breakStaleLock(lockPath, held.text, attempt))) continue;
    if (Date.now() >= deadline) throw new LockTimeoutError(busyMessage(lockPath, held, timeoutMs));
    await delay(Math.min(POLL_MAX_MS, POLL_MIN_MS * 2 ** round));
  }
}

/** This process as a lock owner. */
export async function newOwner(procRoot = '/proc'): Promise<LockOwner> {
  const [bootId, startTime] = await Promise.all([readBootId(procRoot), readStartTime(procRoot, process.pid)]);
  return {
    pid: process.pid,
    host: hostname(),
    ...(bootId !== undefined && { bootId }),
    ...(startTime !== undefined && { startTime }),
    acquiredAt: new Date().toISOString(),
    token: randomBytes(8).toString('hex'),
  };
}

/** Creates `path` holding `text` only if it does not exist. False when it already exists. */
async function createExclusive(path: string, text: string, attempt: Attempt): Promise<boolean> {
  if (!attempt.atomic) return createWithExcl(path, text);
  const temporary = `${path}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, text, { flag: 'wx' });
  } catch (error) {
    await unlink(temporary).catch(() => undefined); // a full disk can leave it created but empty
    throw error;
  }
  try {
    await link(temporary, path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code === 'EEXIST') return false;
    if (!NO_HARD_LINKS.has(code)) throw error;
    attempt.atomic = false;
    return createWithExcl(path, text);
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}

/** The fallback without hard links: O_EXCL, then the content (briefly observable empty). */
async function createWithExcl(path: string, text: string): Promise<boolean> {
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
    const owner = JSON.parse(text) as Partial<LockOwner> | null;
    return typeof owner?.pid === 'number' && typeof owner.host === 'string' ? (owner as LockOwner) : undefined;
  } catch {
    return undefined;
  }
}

async function isStale(held: HeldLock, attempt: Attempt): Promise<boolean> {
  const owner = held.owner;
  // Written atomically, a lock is never seen before its record: unreadable means not a live holder's.
  if (!owner) return attempt.atomic || held.ageMs > UNREADABLE_STALE_MS;
  if (owner.host !== hostname()) return held.ageMs > FOREIGN_STALE_MS;
  return !(await isSameProcessAlive(owner, attempt.procRoot));
}

/** The owner's process is still running: its pid is alive, and it is the same process (not a reuse). */
async function isSameProcessAlive(owner: LockOwner, procRoot: string): Promise<boolean> {
  const bootId = await readBootId(procRoot);
  if (owner.bootId !== undefined && bootId !== undefined && owner.bootId !== bootId) return false;
  if (!isAlive(owner.pid)) return false;
  if (owner.startTime === undefined) return true;
  const startTime = await readStartTime(procRoot, owner.pid);
  return startTime === undefined || startTime === owner.startTime;
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readBootId(procRoot: string): Promise<string | undefined> {
  const text = await readFile(`${procRoot}/sys/kernel/random/boot_id`, 'utf8').catch(() => undefined);
  return text?.trim() || undefined;
}

/** Field 22 of /proc/<pid>/stat. The command name (field 2) may hold spaces and ')': fields are counted after the last ')'. */
export async function readStartTime(procRoot: string, pid: number): Promise<string | undefined> {
  const text = await readFile(`${procRoot}/${pid}/stat`, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const startTime = fields[22 - 3];
  return startTime && /^\d+$/.test(startTime) ? startTime : undefined;
}

/**
 * Removes a stale lock, but only the one we judged stale: two waiters could otherwise both judge it,
 * and the slower one would delete the lock the faster one has just taken. A short-lived `.break` lock
 * makes "check it is still the same, then delete" one step. True when the way is clear to retry.
 */
async function breakStaleLock(lockPath: string, staleText: string, attempt: Attempt): Promise<boolean> {
  const breaker = `${lockPath}.break`;
  if (!(await createExclusive(breaker, JSON.stringify(await newOwner(attempt.procRoot)), attempt))) {
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
