// One template (a completion body or a chat message) from a slice of the file, in either format.
// Scanners work on the source LangChain receives (line breaks normalized, as Python's universal newlines
// do) and report spans through a mapper back to the file, which only `\r\n` makes non-trivial.

import type { Span, Template, TemplateFormat } from './model';
import { scanFString } from './fstring';
import { scanMustache } from './mustache';
import { normalizeLineBreaks } from './text';

export function parseTemplate(text: string, span: Span, format: TemplateFormat): Template {
  const raw = text.slice(span.start, span.end);
  const source = normalizeLineBreaks(raw);
  const toFile = offsetMapper(text, span, source.length !== raw.length);
  if (format === 'mustache') {
    const { variables, problems } = scanMustache(source, toFile);
    return { format, source, span, parts: [{ kind: 'mustache', source }], variables, problems };
  }
  const { parts, variables, problems } = scanFString(source, toFile);
  return { format, source, span, parts, variables, problems };
}

/** Maps an offset in the normalized source back to the file; only `\r\n` changes lengths. */
function offsetMapper(text: string, span: Span, changed: boolean): (offset: number) => number {
  if (!changed) return (offset) => span.start + offset;
  const removedBefore = crlfPositions(text, span);
  return (offset) => span.start + offset + countBelow(removedBefore, offset);
}

/** For each `\r\n` in the span, the offset of its `\n` in the normalized source. */
function crlfPositions(text: string, span: Span): number[] {
  const positions: number[] = [];
  for (let i = text.indexOf('\r\n', span.start); i >= 0 && i < span.end - 1; i = text.indexOf('\r\n', i + 2)) {
    positions.push(i - span.start - positions.length);
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
