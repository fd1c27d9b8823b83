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
  /** Complete lines read (each ended by its '\n'). */
  lines: number;
}

export function decodeRecords(text: string): DecodedRecords {
  const decoded: DecodedRecords = { turns: [], tornTail: false, unreadableLines: [], lines: 0 };
  // Line by line with indexOf rather than split: a conversation file is read whole on every fresh open,
  // and the array of every line would be made only to be thrown away.
  let start = 0;
  let lineNumber = 0;
  for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
    lineNumber++;
    const line = text.slice(start, end);
    start = end + 1;
    if (isBlank(line)) continue;
    const turn = decodeLine(line);
    if (turn) decoded.turns.push(turn);
    else decoded.unreadableLines.push(lineNumber);
  }
  // After the last '\n' comes either nothing (a clean end) or the torn remains of a record.
  decoded.tornTail = start < text.length;
  decoded.lines = lineNumber;
  return decoded;
}

/** A record starts with `{`; anything else is checked for being only white space. */
function isBlank(line: string): boolean {
  return line.charCodeAt(0) !== 0x7b && line.trim() === '';
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
