// A piece of someone else's text (a tag, a header line, a value) quoted in a one-line message: an
// InteropError, a "not carried" line, a diagnostic. The message stays one line whatever the piece holds:
// line breaks show as `\n` / `\r` (and U+0085, U+2028, U+2029 as their escapes), tabs as `\t`, other
// control characters as displaySafe escapes them, and a long piece is cut to its first `max` characters
// with an ellipsis. Short single-line pieces come back unchanged inside the backticks.

import { displaySafe } from './displaySafe';

const LINE_BREAKS = /[\n\r\t\u0085\u2028\u2029]/g;
const BREAK_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u0085': '\\x85', '\u2028': '\\u2028', '\u2029': '\\u2029' };

/** `text` in backticks, on one line and at most `max` characters of it (then `…`). */
export function quotedExcerpt(text: string, max = 80): string {
  return `\`${oneLine(text.length > max ? `${text.slice(0, max)}…` : text)}\``;
}

/** `text` on one line: line breaks and tabs escaped, other controls as displaySafe shows them. */
export function oneLine(text: string): string {
  return displaySafe(text.replace(LINE_BREAKS, (char) => BREAK_ESCAPES[char] ?? char));
}
