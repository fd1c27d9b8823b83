// The one place that knows what a line is. A line break is `\r\n`, `\n` or a lone `\r`, as Python's
// universal newlines read a prompt file (so LangChain never sees a `\r`) and as
// vscode-languageserver-textdocument counts lines (so positions match the editor's). Every parser, rule
// and feature finds lines through these helpers, with absolute offsets into the full file text, so no one
// has to slice (and re-offset) the file or splits a `\r\n` in two.

// Local constants, not exports: an imported binding is a getter call per access under tsx/CommonJS,
// which costs more than the rest of a hot loop.
const CR = 13;
const LF = 10;

export type LineBreak = '\n' | '\r\n' | '\r';

export function isLineBreakCode(code: number): boolean {
  return code === LF || code === CR;
}

/** A line of the file: `end` excludes the line break, `next` is where the following line starts. */
export interface Line {
  readonly start: number;
  readonly end: number;
  readonly next: number;
}

/** The line starting at `start` (which must be a line start, or any offset for "rest of line"). */
export function lineAt(text: string, start: number): Line {
  let end = start;
  while (end < text.length && !isLineBreakCode(text.charCodeAt(end))) end++;
  return { start, end, next: afterLineBreak(text, end) };
}

/** Lines from `start` (a line start) up to `end`; a line break at `end` does not open another line. */
export function linesBetween(text: string, start: number, end: number): Line[] {
  let carriageReturn = text.indexOf('\r', start);
  if (carriageReturn < 0) return lfLinesBetween(text, start, end);
  const lines: Line[] = [];
  let lineFeed = text.indexOf('\n', start);
  let offset = start;
  while (offset < end) {
    if (carriageReturn >= 0 && carriageReturn < offset) carriageReturn = text.indexOf('\r', offset);
    if (lineFeed >= 0 && lineFeed < offset) lineFeed = text.indexOf('\n', offset);
    const lineEnd = Math.min(carriageReturn < 0 ? text.length : carriageReturn, lineFeed < 0 ? text.length : lineFeed);
    const next = afterLineBreak(text, lineEnd);
    lines.push({ start: offset, end: lineEnd, next });
    offset = next;
  }
  return lines;
}

/** linesBetween for text without `\r`: indexOf finds line ends much faster than a char loop. */
function lfLinesBetween(text: string, start: number, end: number): Line[] {
  const lines: Line[] = [];
  let offset = start;
  while (offset < end) {
    const lineBreak = text.indexOf('\n', offset);
    if (lineBreak < 0) {
      lines.push({ start: offset, end: text.length, next: text.length });
      break;
    }
    lines.push({ start: offset, end: lineBreak, next: lineBreak + 1 });
    offset = lineBreak + 1;
  }
  return lines;
}

/** Where each line starts, the first at 0: what offset <-> line/character conversion needs. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === CR) {
      if (text.charCodeAt(i + 1) === LF) i++;
      starts.push(i + 1);
    } else if (code === LF) {
      starts.push(i + 1);
    }
  }
  return starts;
}

/** Where the line holding `offset` starts. An offset between the `\r` and `\n` of a pair is in the line they end. */
export function lineStartOf(text: string, offset: number): number {
  let start = Math.max(0, Math.min(offset, text.length));
  if (insideCrLf(text, start)) start--;
  while (start > 0 && !isLineBreakCode(text.charCodeAt(start - 1))) start--;
  return start;
}

/** Where the text of the line holding `offset` ends: at its line break, or at the end of the file. */
export function lineEndOf(text: string, offset: number): number {
  let end = Math.max(0, Math.min(offset, text.length));
  if (insideCrLf(text, end)) return end - 1;
  while (end < text.length && !isLineBreakCode(text.charCodeAt(end))) end++;
  return end;
}

/** Where the line after the one holding `offset` starts (the end of the file on the last line). */
export function nextLineStart(text: string, offset: number): number {
  return afterLineBreak(text, lineEndOf(text, offset));
}

/** Past the line break at `offset` (a `\r\n` counts as one); `offset` itself at the end of the file. */
function afterLineBreak(text: string, offset: number): number {
  if (offset >= text.length) return text.length;
  return text.charCodeAt(offset) === CR && text.charCodeAt(offset + 1) === LF ? offset + 2 : offset + 1;
}

function insideCrLf(text: string, offset: number): boolean {
  return offset > 0 && text.charCodeAt(offset) === LF && text.charCodeAt(offset - 1) === CR;
}

/** The line break the file uses (its first one; `\n` when it has none), so that inserted lines match it. */
export function lineBreakOf(text: string): LineBreak {
  const carriageReturn = text.indexOf('\r');
  const lineFeed = text.indexOf('\n');
  if (carriageReturn < 0 || (lineFeed >= 0 && lineFeed < carriageReturn)) return '\n';
  return text.charCodeAt(carriageReturn + 1) === LF ? '\r\n' : '\r';
}

/** `text`, written with `\n` between lines, with the file's own line break instead. */
export function withLineBreak(text: string, lineBreak: LineBreak): string {
  return lineBreak === '\n' || !text.includes('\n') ? text : text.split('\n').join(lineBreak);
}

export function isBlank(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code === 32 || code === 9 || code === 11 || code === 12) continue;
    if (code > 127 && /\s/.test(text.charAt(i))) continue;
    return false;
  }
  return true;
}

/** `source` as Python's universal newlines read it: every `\r\n` and lone `\r` becomes `\n`. */
export function normalizeLineBreaks(source: string): string {
  let carriageReturn = source.indexOf('\r');
  if (carriageReturn < 0) return source;
  // Pieces joined once: the result is a flat string, which the scanners' charCodeAt loops need to be fast
  // (a `+=` rope would be walked on every access), and twice as fast as `replace(/\r\n?/g, '\n')`.
  const pieces: string[] = [];
  let copied = 0;
  while (carriageReturn >= 0) {
    pieces.push(source.slice(copied, carriageReturn));
    copied = source.charCodeAt(carriageReturn + 1) === LF ? carriageReturn + 2 : carriageReturn + 1;
    carriageReturn = source.indexOf('\r', copied);
  }
  pieces.push(source.slice(copied));
  return pieces.join('\n');
}

/** A slice of the file as LangChain reads it (line breaks normalized), and the way back to file offsets. */
export interface NormalizedSlice {
  readonly source: string;
  readonly offsets: FileOffsets;
}

/**
 * Offsets in a normalized slice back to offsets in the file. An object of one class rather than a closure
 * per slice: the scanners' optimized code had inlined one slice's closure, and each new template's closure
 * threw that code away ("wrong call target"); one method is the same call target for every slice.
 */
export class FileOffsets {
  /** `pairs`: for each `\r\n` in the slice, the offset of its `\n` in the normalized text. */
  constructor(
    private readonly start: number,
    private readonly pairs: readonly number[],
  ) {}

  /** Offsets into a text taken as it is (no `\r\n` in it) that starts at `start` in its file (0: the text is the file). */
  static from(start: number): FileOffsets {
    return new FileOffsets(start, noPairs);
  }

  /** The file offset of an offset in the normalized text: after a `\r\n`'s `\n`, past both; at it, at the `\r`. */
  toFile(offset: number): number {
    return this.pairs.length === 0 ? this.start + offset : this.start + offset + countBelow(this.pairs, offset);
  }
}

const noPairs: readonly number[] = [];

/**
 * The text of `span`, normalized. Only `\r\n` changes lengths (a lone `\r` becomes one `\n`), so the map
 * back is the span's start plus the number of `\r\n` pairs before the offset.
 */
export function normalizedSlice(text: string, start: number, end: number): NormalizedSlice {
  const raw = text.slice(start, end);
  const source = normalizeLineBreaks(raw);
  return { source, offsets: source.length === raw.length ? FileOffsets.from(start) : new FileOffsets(start, crLfPositions(text, start, end)) };
}

/** For each `\r\n` between start and end, the offset of its `\n` in the normalized text. */
function crLfPositions(text: string, start: number, end: number): number[] {
  const positions: number[] = [];
  for (let i = text.indexOf('\r\n', start); i >= 0 && i < end - 1; i = text.indexOf('\r\n', i + 2)) {
    positions.push(i - start - positions.length);
  }
  return positions;
}

function countBelow(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((sorted[mid] ?? 0) < value) low = mid + 1;
    else high = mid;
  }
  return low;
}
