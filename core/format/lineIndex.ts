// Offset <-> 0-based line/character conversion for hosts without a TextDocument (the CLI, tests).
// Lines are ./text.ts's, counted exactly as vscode-languageserver-textdocument counts them, so positions
// printed by the CLI match the ones the editor shows.

import type { Span } from './model';
import { isLineBreakCode, lineStarts } from './text';
import { keepShape } from '../shapes';

export interface LinePosition {
  line: number;
  character: number;
}

export class LineIndex {
  private readonly lineStarts: number[];

  constructor(private readonly text: string) {
    this.lineStarts = lineStarts(text);
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  positionAt(offset: number): LinePosition {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const line = this.lineOf(clamped);
    const lineStart = this.lineStarts[line] ?? 0;
    return { line, character: this.beforeLineBreak(clamped, lineStart) - lineStart };
  }

  offsetAt(position: LinePosition): number {
    if (position.line >= this.lineStarts.length) return this.text.length;
    if (position.line < 0) return 0;
    const lineStart = this.lineStarts[position.line] ?? 0;
    if (position.character <= 0) return lineStart;
    const nextLineStart = this.lineStarts[position.line + 1] ?? this.text.length;
    return this.beforeLineBreak(Math.min(lineStart + position.character, nextLineStart), lineStart);
  }

  rangeAt(span: Span): { start: LinePosition; end: LinePosition } {
    return { start: this.positionAt(span.start), end: this.positionAt(span.end) };
  }

  /** The greatest line whose start is <= offset (binary search). */
  private lineOf(offset: number): number {
    let low = 0;
    let high = this.lineStarts.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.lineStarts[mid] ?? 0) > offset) high = mid;
      else low = mid + 1;
    }
    return low - 1;
  }

  /** A position can't sit inside or after a line break: move it to the end of the line's text. */
  private beforeLineBreak(offset: number, lineStart: number): number {
    let result = offset;
    while (result > lineStart && isLineBreakCode(this.text.charCodeAt(result - 1))) result--;
    return result;
  }
}

// Built for one look-up pass over a text and dropped: its methods' optimized code must outlive it (../shapes.ts).
keepShape(new LineIndex(''));
