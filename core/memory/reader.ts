// Reads a conversation's records incrementally. The first load reads the whole file; later loads read
// only the bytes appended since (by this process or another) and push the new turns onto the same array,
// so a turn costs O(new records), not O(conversation), and the chain engine renders only what was added
// (core/chain/memory.ts caches per array). A file that was cleared — replaced, truncated, or rewritten
// under the consumed bytes — is read again from the start into a new array.
// The file is read with synchronous calls: decoding what was read blocks the thread far longer than
// reading it does, and four round trips through the thread pool cost more than a short conversation's
// whole turn.

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { Turn } from '../chain/types';
import { decodeRecords } from './records';

export interface ReadOutcome {
  turns: readonly Turn[];
  /** The file ends in an incomplete record (an interrupted save, or one still being written). */
  tornTail: boolean;
  /** 1-based line numbers of damaged records read this time. */
  unreadableLines: number[];
}

interface Consumed {
  ino: number;
  /** Bytes consumed: always the end of a complete line. */
  size: number;
  /** The last consumed line, to recognise a file cleared and refilled past the same size. */
  lastLine: Buffer;
  lines: number;
  turns: Turn[];
}

const NEWLINE = 0x0a;

export class RecordReader {
  private consumed: Consumed | undefined;

  constructor(private readonly path: string) {}

  read(): Promise<ReadOutcome> {
    try {
      return Promise.resolve(this.readNow());
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * The read itself, synchronous from start to end: two reads can never interleave, so neither takes the
   * other's new records (no queue needed).
   */
  private readNow(): ReadOutcome {
    let handle: number;
    try {
      handle = openSync(this.path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      this.consumed = undefined;
      return { turns: [], tornTail: false, unreadableLines: [] };
    }
    try {
      return this.readFrom(handle);
    } finally {
      closeSync(handle);
    }
  }

  private readFrom(handle: number): ReadOutcome {
    const { ino, size } = fstatSync(handle);
    let consumed = this.consumed;
    if (!consumed || !this.stillValid(handle, consumed, ino, size)) {
      consumed = { ino, size: 0, lastLine: Buffer.alloc(0), lines: 0, turns: [] };
    }
    this.consumed = consumed;
    if (size === consumed.size) return { turns: consumed.turns, tornTail: false, unreadableLines: [] };
    const added = readRange(handle, consumed.size, size);
    const end = added.lastIndexOf(NEWLINE) + 1;
    const decoded = decodeRecords(added.toString('utf8', 0, end));
    // The first read hands back the decoded array itself; later ones append to it in place.
    if (consumed.size === 0 && consumed.turns.length === 0) consumed.turns = decoded.turns;
    else for (const turn of decoded.turns) consumed.turns.push(turn);
    // Lines read before these number the damaged ones among them (the decoder counts from 1).
    const linesBefore = consumed.lines;
    if (end > 0) {
      consumed.lastLine = Buffer.from(added.subarray(added.lastIndexOf(NEWLINE, end - 2) + 1, end));
      // Each '\n' byte decodes to one '\n' (it is never part of a multi-byte sequence): the decoder's count.
      consumed.lines += decoded.lines;
    }
    const unreadableLines = linesBefore === 0 ? decoded.unreadableLines : decoded.unreadableLines.map((line) => line + linesBefore);
    consumed.size += end;
    return { turns: consumed.turns, tornTail: end < added.length, unreadableLines };
  }

  private stillValid(handle: number, consumed: Consumed, ino: number, size: number): boolean {
    if (consumed.ino !== ino || size < consumed.size) return false;
    if (consumed.size === 0) return true;
    const line = readRange(handle, consumed.size - consumed.lastLine.length, consumed.size);
    return line.equals(consumed.lastLine);
  }
}

function readRange(handle: number, start: number, end: number): Buffer {
  // Not zero-filled: every byte handed on is one read from the file.
  const buffer = Buffer.allocUnsafe(end - start);
  let offset = 0;
  while (offset < buffer.length) {
    const bytesRead = readSync(handle, buffer, offset, buffer.length - offset, start + offset);
    if (bytesRead === 0) break;
    offset += bytesRead;
  }
  return buffer.subarray(0, offset);
}
