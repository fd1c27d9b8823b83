// Small text helpers shared by the front-matter, body and template parsers. All work on the full file
// text with absolute offsets so that no parser has to slice (and re-offset) the file.

// Local constants, not exports: an imported binding is a getter call per access under tsx/CommonJS,
// which costs more than the rest of a hot loop.
const CR = 13;
const LF = 10;

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
  if (end >= text.length) return { start, end, next: end };
  const next = text.charCodeAt(end) === CR && text.charCodeAt(end + 1) === LF ? end + 2 : end + 1;
  return { start, end, next };
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
    const next = lineEnd >= text.length ? lineEnd : lineEnd === carriageReturn && lineFeed === lineEnd + 1 ? lineEnd + 2 : lineEnd + 1;
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

export function isBlank(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code === 32 || code === 9 || code === 11 || code === 12) continue;
    if (code > 127 && /\s/.test(text.charAt(i))) continue;
    return false;
  }
  return true;
}

/**
 * Python reads a prompt file with universal newlines, so LangChain never sees `\r`: every `\r\n` and
 * lone `\r` becomes `\n`. Template sources and literal text go through this.
 */
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
