// Damaged records: complete lines of a conversation file that are not turn records (written over by
// something else, a bad disk block). Loading skips them; `memory repair` moves them to a side file next to
// the conversation, `<id>.damaged.jsonl`, and rewrites the conversation without them. Nothing is deleted:
// the side file keeps each line's exact bytes and where it came from. An incomplete last record (an
// interrupted save) is not damage: the next save cuts it (store.ts), and repair leaves it as it is.

import { open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Turn } from '../chain/types';
import { decodeRecords } from './records';

/** One line moved aside, as stored in the side file (one JSON object per line). */
export interface MovedRecord {
  /** The conversation file it was taken from. */
  from: string;
  /** Its 1-based line number there at the time. */
  line: number;
  movedAt: string;
  /** The line's text, when it was valid UTF-8 ... */
  text?: string;
  /** ... else its bytes, base64. */
  base64?: string;
}

export interface ConversationState {
  turns: Turn[];
  /** 1-based line numbers of damaged records. */
  damagedLines: number[];
  tornTail: boolean;
}

/** The side file of a conversation's records file. */
export function damagedPathOf(recordsPath: string): string {
  // Asked on every open: a slice, not a regular expression.
  const stem = recordsPath.endsWith('.jsonl') ? recordsPath.slice(0, -'.jsonl'.length) : recordsPath;
  return `${stem}.damaged.jsonl`;
}

/** The whole file decoded, damaged lines included (what `memory show` reports). */
export async function readConversationState(recordsPath: string): Promise<ConversationState> {
  const bytes = await readIfPresent(recordsPath);
  const decoded = decodeRecords(bytes.toString('utf8'));
  return { turns: decoded.turns, damagedLines: decoded.unreadableLines, tornTail: decoded.tornTail };
}

/** The records moved aside so far; lines that are not such records are shown as text. */
export async function readMovedRecords(damagedPath: string): Promise<MovedRecord[]> {
  const text = (await readIfPresent(damagedPath)).toString('utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => parseMoved(line) ?? { from: '?', line: 0, movedAt: '?', text: line });
}

/**
 * Moves the damaged lines of `recordsPath` to `damagedPath` (appended, fsynced first, so a crash leaves
 * them in both files rather than in neither), then replaces the conversation with the rest (temporary
 * file, fsync, rename). The caller holds the conversation's lock. Returns the moved line numbers.
 */
export async function moveDamagedAside(recordsPath: string, damagedPath: string, now = new Date()): Promise<number[]> {
  const bytes = await readIfPresent(recordsPath);
  const damaged = decodeRecords(bytes.toString('utf8')).unreadableLines;
  if (damaged.length === 0) return [];
  const { lines, tail } = splitLines(bytes);
  const isDamaged = new Set(damaged);
  const moved = damaged.map((line) => movedRecord(recordsPath, line, lines[line - 1] ?? Buffer.alloc(0), now));
  await writeDurably(damagedPath, Buffer.from(moved.map((record) => `${JSON.stringify(record)}\n`).join(''), 'utf8'), 'a');
  const kept = lines.filter((_, index) => !isDamaged.has(index + 1)).flatMap((line) => [line, NEWLINE_BYTE]);
  await replaceDurably(recordsPath, Buffer.concat([...kept, tail]));
  return damaged;
}

const NEWLINE = 0x0a;
const NEWLINE_BYTE = Buffer.from([NEWLINE]);

/** Complete lines (without their '\n') and whatever follows the last '\n'. */
function splitLines(bytes: Buffer): { lines: Buffer[]; tail: Buffer } {
  const lines: Buffer[] = [];
  let start = 0;
  for (let end = bytes.indexOf(NEWLINE); end !== -1; end = bytes.indexOf(NEWLINE, start)) {
    lines.push(bytes.subarray(start, end));
    start = end + 1;
  }
  return { lines, tail: bytes.subarray(start) };
}

function movedRecord(from: string, line: number, bytes: Buffer, now: Date): MovedRecord {
  const text = bytes.toString('utf8');
  const exact = Buffer.from(text, 'utf8').equals(bytes);
  return { from, line, movedAt: now.toISOString(), ...(exact ? { text } : { base64: bytes.toString('base64') }) };
}

function parseMoved(line: string): MovedRecord | undefined {
  try {
    const value = JSON.parse(line) as Partial<MovedRecord> | null;
    return typeof value?.from === 'string' && typeof value.line === 'number' ? (value as MovedRecord) : undefined;
  } catch {
    return undefined;
  }
}

/** Writes `data` and fsyncs it before the handle closes. */
async function writeDurably(path: string, data: Buffer, flags: 'a' | 'w'): Promise<void> {
  const handle = await open(path, flags);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Replaces `path` with `data` atomically: temporary file beside it, fsync, rename, fsync the folder. A
 * caller that holds the lock may name the temporary file, so that a leftover of a killed writer is found.
 */
export async function replaceDurably(path: string, data: Buffer, temporary = `${path}.repair-${process.pid}.tmp`): Promise<void> {
  try {
    await writeDurably(temporary, data, 'w');
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  await syncFolder(dirname(path));
}

/** The file's bytes; none when it does not exist yet. */
export async function readIfPresent(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return Buffer.alloc(0);
    throw error;
  }
}

/** Makes a rename durable. Not possible on every platform. */
export async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r').catch(() => undefined);
  if (!handle) return;
  await handle.sync().catch(() => undefined);
  await handle.close();
}
