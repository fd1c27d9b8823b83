// Where the cursor is in the front matter's YAML, read from the lines themselves: while a key is being
// typed the YAML is usually invalid, so the parsed fields cannot be relied on. Block style only — the
// style the docs and quick fixes write.

import type { Span } from '../../core/format/model';
import { lineStartOf, linesBetween } from '../../core/format/text';

export type YamlSlot =
  /** Typing a key; `path` is its parent's path ([] at the top level). */
  | {
      readonly kind: 'key';
      readonly path: readonly string[];
      readonly indent: number;
      readonly replace: Span;
      /** Keys written on the other lines of the same block. */
      readonly siblings: readonly string[];
    }
  /** Typing the value of the key at `path`. */
  | { readonly kind: 'value'; readonly path: readonly string[]; readonly replace: Span }
  /** Typing a `- item` of the list at `path`. */
  | { readonly kind: 'item'; readonly path: readonly string[]; readonly replace: Span };

const keyLine = /^(\s*)([\w-]+)\s*:/;

export function yamlSlotAt(text: string, yaml: Span, offset: number): YamlSlot | undefined {
  if (offset < yaml.start || offset > yaml.end) return undefined;
  const lineStart = Math.max(yaml.start, lineStartOf(text, offset));
  const before = text.slice(lineStart, offset);
  const wordEnd = offset + (/^[^\s:#]*/.exec(text.slice(offset, Math.min(yaml.end, offset + 200)))?.[0].length ?? 0);
  const item = /^(\s*)-\s+(["']?)([^\s:#"']*)$/.exec(before);
  if (item) {
    const start = offset - (item[3]?.length ?? 0);
    const path = parentPath(text, yaml.start, lineStart, (item[1] ?? '').length, true);
    return { kind: 'item', path, replace: { start, end: wordEnd } };
  }
  const key = /^(\s*)([\w-]*)$/.exec(before);
  if (key) {
    const indent = (key[1] ?? '').length;
    const path = parentPath(text, yaml.start, lineStart, indent, false);
    const siblings = siblingKeys(text, yaml, lineStart, indent);
    return { kind: 'key', path, indent, replace: { start: lineStart + indent, end: wordEnd }, siblings };
  }
  const value = /^(\s*)([\w-]+)\s*:\s*(["']?)([^\s#"']*)$/.exec(before);
  if (!value) return undefined;
  const path = [...parentPath(text, yaml.start, lineStart, (value[1] ?? '').length, false), value[2] ?? ''];
  return { kind: 'value', path, replace: { start: offset - (value[4]?.length ?? 0), end: wordEnd } };
}

/**
 * The keys of the blocks enclosing a line at `indent`: each nearest line above that is less indented
 * (a list may sit at its key's own indent, so the first step of an item allows equal indentation).
 */
function parentPath(text: string, yamlStart: number, lineStart: number, indent: number, isItem: boolean): string[] {
  const path: string[] = [];
  let limit = isItem ? indent + 1 : indent;
  let end = lineStart - 1;
  while (end > yamlStart && limit > 0) {
    const start = Math.max(yamlStart, lineStartOf(text, end));
    const match = keyLine.exec(text.slice(start, end));
    const lineIndent = match?.[1]?.length ?? Infinity;
    if (match && lineIndent < limit) {
      path.unshift(match[2] ?? '');
      limit = lineIndent;
    }
    end = start - 1;
  }
  return path;
}

/** Keys at exactly `indent` in the block around the line at `lineStart`, up and down to a shallower line. */
function siblingKeys(text: string, yaml: Span, lineStart: number, indent: number): string[] {
  const lines = linesBetween(text, yaml.start, yaml.end);
  // A line starting at the YAML's end (the last line of an unclosed front matter) is the empty line after the others.
  const found = lines.findIndex((line) => line.start === lineStart);
  const current = found < 0 ? lines.length : found;
  const keys: string[] = [];
  const collect = (index: number): boolean => {
    const bounds = lines[index];
    const line = bounds ? text.slice(bounds.start, bounds.end) : '';
    if (line.trim() === '' || line.trimStart().startsWith('#')) return true;
    const lineIndent = line.length - line.trimStart().length;
    if (lineIndent < indent) return false;
    const match = keyLine.exec(line);
    if (match && lineIndent === indent) keys.push(match[2] ?? '');
    return true;
  };
  for (let i = current - 1; i >= 0 && collect(i); i--);
  for (let i = current + 1; i < lines.length && collect(i); i++);
  return keys;
}
