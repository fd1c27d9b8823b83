// Replacing a conversation's last turn (Retry, Edit and resend) without a new record type: the JSONL
// file stays one `{input, output, at}` record per line, which other tools read. The file is rewritten
// whole — its bytes up to the start of the last line, then the new record — to a temporary file that is
// fsynced and renamed over it (repair.ts), so a crash at any point leaves either the old file or the new
// one. Every other line, damaged ones included, is kept byte for byte. The caller holds the lock.
// The rename gives the file a new inode: the reader (reader.ts) reads it again into a new array, so the
// chain engine's per-array memory rendering (core/chain/memory.ts) never sees a last element change.

import type { Turn } from '../chain/types';
import { isLastTurn, LastTurnChangedError, lastTurnChangedError } from './errors';
import { decodeRecords, encodeRecord } from './records';
import { readIfPresent, replaceDurably } from './repair';

const NEWLINE = 0x0a;

/**
 * Puts `turn` in the place of the file's last record when that record is `expected`. A file that does
 * not end in a complete turn record (an interrupted save, a damaged last line) is refused: what the
 * reader shows as the last turn is then not the last line, and guessing which line to cut could lose one.
 */
export async function replaceLastRecord(recordsPath: string, expected: Turn, turn: Turn, repairCommand: string): Promise<void> {
  const bytes = await readIfPresent(recordsPath);
  if (bytes.length === 0) throw lastTurnChangedError('nothing was saved');
  if (bytes[bytes.length - 1] !== NEWLINE) {
    throw new LastTurnChangedError(
      `cannot replace the last turn: ${recordsPath} ends in an incomplete record (an interrupted save); nothing was saved: send the turn as a new one, which removes it.`,
    );
  }
  const start = bytes.lastIndexOf(NEWLINE, bytes.length - 2) + 1;
  const decoded = decodeRecords(bytes.toString('utf8', start));
  if (decoded.turns.length !== 1) {
    throw new LastTurnChangedError(
      `cannot replace the last turn: the last line of ${recordsPath} is not a turn record; nothing was saved: run "${repairCommand}" to move it aside, then try again.`,
    );
  }
  if (!isLastTurn(decoded.turns, expected)) throw lastTurnChangedError('nothing was saved');
  await replaceDurably(recordsPath, Buffer.concat([bytes.subarray(0, start), Buffer.from(encodeRecord(turn), 'utf8')]));
}
