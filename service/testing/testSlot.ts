// Where the cursor is in a test file while a key or a value is being typed, found from indentation: the
// line's key (or the value after `key:`) and the chain of keys above it — the nearest line left of it that
// ends in `key:`, then that line's, up to the top. `conversations` › `turns` › `expect` is an assertion.
// Block-style YAML only (what people type); inside a `{ … }` flow map there is no slot.

import type { Span } from '../../core/format/model';
import { isLineBreakCode, lineStartOf } from '../../core/format/text';
import type { TestBlock } from '../../core/testing/testSchema';

export type TestSlot =
  | { readonly kind: 'key'; readonly block: TestBlock | 'assertion' | 'vars'; readonly replace: Span }
  | { readonly kind: 'value'; readonly block: TestBlock | 'assertion' | 'vars'; readonly key: string; readonly replace: Span };

/** `indent`, `- ` markers, then a key being typed, or `key:` and a value being typed. */
const keyLine = /^([ ]*)((?:-[ ]+)*)([\w-]*)$/;
const valueLine = /^([ ]*)((?:-[ ]+)*)([\w-]+):[ ]*([^\s#{[]*)$/;

export function testSlotAt(text: string, offset: number): TestSlot | undefined {
  const lineStart = lineStartOf(text, offset);
  const typed = text.slice(lineStart, offset);
  const value = valueLine.exec(typed);
  if (value) {
    const column = value[1]!.length + value[2]!.length;
    const replace = { start: offset - value[4]!.length, end: offset };
    return { kind: 'value', block: blockOf(parentKeys(text, lineStart, column, dashOf(value[1]!, value[2]!))), key: value[3]!, replace };
  }
  const key = keyLine.exec(typed);
  if (!key) return undefined;
  const column = key[1]!.length + key[2]!.length;
  const replace = { start: offset - key[3]!.length, end: offset };
  return { kind: 'key', block: blockOf(parentKeys(text, lineStart, column, dashOf(key[1]!, key[2]!))), replace };
}

function blockOf(keys: readonly string[]): TestBlock | 'assertion' | 'vars' {
  const path = keys.join('/');
  if (path === 'conversations') return 'conversation';
  if (path === 'conversations/vars') return 'vars';
  if (path === 'conversations/turns') return 'turn';
  if (path === 'conversations/turns/expect') return 'assertion';
  if (path === 'conversations/turns/expect/judge') return 'judge';
  if (path === 'conversations/turns/expect/json') return 'json';
  return 'file';
}

interface Above {
  /** Column of its first key (after any `- `). */
  readonly column: number;
  /** Column of its last `- `, when it starts a list item. */
  readonly dash?: number;
  readonly key?: string;
  readonly opensBlock: boolean;
}

/** The column of the last `- ` of a line's markers, if it has any. */
function dashOf(indent: string, dashes: string): number | undefined {
  return dashes.length > 0 ? indent.length + dashes.lastIndexOf('-') : undefined;
}

/**
 * The keys that own a key at `column` on the line starting at `lineStart` (in the list item whose `-` is at
 * `dash`, if it starts one), outermost first. Walks up once: linear in the lines above.
 */
function parentKeys(text: string, lineStart: number, keyColumn: number, itemDash: number | undefined): string[] {
  const keys: string[] = [];
  let column = keyColumn;
  let dash = itemDash;
  for (let end = lineStart; end > 0 && (column > 0 || dash !== undefined); ) {
    const start = lineStartOf(text, end - 1);
    const line = describe(text.slice(start, lineEndBefore(text, end)));
    end = start;
    if (!line) continue;
    // the line that starts the item our key is a later key of
    if (line.column === column && line.dash !== undefined && dash === undefined) dash = line.dash;
    if (line.column >= column || (dash !== undefined && line.column > dash)) continue;
    // `expect:` then `- contains: …` may share a column
    if (line.key === undefined || !line.opensBlock || line.column > (dash ?? column - 1)) break;
    keys.unshift(line.key);
    column = line.column;
    dash = line.dash;
  }
  return keys;
}

function lineEndBefore(text: string, next: number): number {
  let end = next;
  while (end > 0 && isLineBreakCode(text.charCodeAt(end - 1))) end--;
  return end;
}

function describe(line: string): Above | undefined {
  if (line.trim() === '' || line.trimStart().startsWith('#')) return undefined;
  const match = /^([ ]*)((?:-[ ]+)*)/.exec(line)!;
  const column = match[0].length;
  const dashes = match[2]!;
  const dash = dashes.length > 0 ? match[1]!.length + dashes.lastIndexOf('-') : undefined;
  const key = /^([\w-]+)[ ]*:(?:[ ]+|$)(.*)$/.exec(line.slice(column));
  const rest = key?.[2]?.trim() ?? '';
  const opensBlock = key !== null && (rest === '' || rest.startsWith('#'));
  return { column, ...(dash !== undefined && { dash }), ...(key && { key: key[1]! }), opensBlock };
}
