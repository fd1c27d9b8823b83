// The on-disk form of a turn: one JSON object per line. A line is written with a single write and
// fsync, so after a crash only the last line can be incomplete ("torn"); decoding keeps every complete
// line before it. Only the exchange and its time are stored — never keys, endpoints or settings.

import type { Turn } from '../chain/types';

interface TurnRecord {
  input: string;
  output: string;
  /** ISO time the turn completed. */
  at: string;
}

export function encodeRecord(turn: Turn, at: Date = new Date()): string {
  const record: TurnRecord = { input: turn.input, output: turn.output, at: at.toISOString() };
  // JSON.stringify escapes line breaks inside strings, so the record is exactly one line.
  return `${JSON.stringify(record)}\n`;
}

export interface DecodedRecords {
  turns: Turn[];
  /** The file ended in an incomplete record (an interrupted save). */
  tornTail: boolean;
  /** 1-based numbers of complete lines that are not turn records (damaged by something else). */
  unreadableLines: number[];
}

export function decodeRecords(text: string): DecodedRecords {
  const lines = text.split('\n');
  // After the last '\n' comes either nothing (a clean end) or the torn remains of a record.
  const tail = lines.pop() ?? '';
  const decoded: DecodedRecords = { turns: [], tornTail: tail.length > 0, unreadableLines: [] };
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const turn = decodeLine(line);
    if (turn) decoded.turns.push(turn);
    else decoded.unreadableLines.push(index + 1);
  });
  return decoded;
}

function decodeLine(line: string): Turn | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { input, output } = value as Partial<TurnRecord>;
  return typeof input === 'string' && typeof output === 'string' ? { input, output } : undefined;
}
