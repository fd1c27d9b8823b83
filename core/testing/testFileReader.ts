// Reads a test file's YAML tree: spans in the file, the `key: value` pairs of a map (unknown and duplicate
// keys reported with a "did you mean"), aliases resolved, and values read as text, numbers, lists or plain
// JSON values, each wrong one a problem at the value. Every node read counts against a budget linear in
// the file's length, so aliases that multiply (a list of aliases of lists of aliases) cannot make the
// parse super-linear.

import { isAlias, isMap, isScalar, isSeq, type Alias, type Document, type Node, type YAMLMap } from 'yaml';
import type { Span } from '../format/model';
import { closestMatch } from '../format/didYouMean';
import { FileOffsets, isLineBreakCode, lineAt } from '../format/text';
import { aliasTargets } from '../format/yamlAliases';
import { MAX_YAML_DEPTH } from '../format/yamlDocument';
import { testKeyAt, testKeys, type TestBlock, type TestKeySchema } from './testSchema';
import type { TestFileKey, TestFileProblem, TestFileProblemCode } from './types';

/** One `key: value` pair of a map, located in the file. */
export interface TestEntry {
  readonly name: string;
  readonly schema?: TestKeySchema;
  readonly keySpan: Span;
  readonly valueSpan: Span;
  /** The value, aliases resolved; null for an empty value. */
  readonly node: Node | null;
}

const blockNames: Readonly<Record<TestBlock, string>> = {
  file: 'the test file',
  conversation: 'a conversation',
  turn: 'a turn',
  judge: 'the map of `judge:`',
  json: 'the map of `json:`',
};

export class TestFileReader {
  readonly problems: TestFileProblem[] = [];
  readonly keys: TestFileKey[] = [];
  /** yaml read the text with line breaks normalized: its offsets go back to the file through this. */
  offsets: FileOffsets = FileOffsets.from(0);
  /** The first line of the file: where a problem of the whole file is shown. */
  readonly start: Span;
  private doc: Document | undefined;
  private targets: Map<Alias, Node | undefined> | undefined;
  private reads = 0;
  private readonly budget: number;
  private overBudget = false;

  constructor(private readonly source: string) {
    const first = lineAt(source, 0);
    this.start = { start: 0, end: Math.max(first.end, Math.min(1, source.length)) };
    // Without aliases a file has fewer nodes than characters.
    this.budget = source.length + 10_000;
  }

  useDocument(doc: Document): void {
    this.doc = doc;
  }

  report(code: TestFileProblemCode, message: string, span: Span, severity: 'error' | 'warning' = 'error'): void {
    this.problems.push({ code, message, span, severity });
  }

  /** A node's span in the file, without the trailing line breaks a block collection's range includes. */
  span(node: Node | null, fallback: Span = this.start): Span {
    const range = node?.range;
    if (!range) return fallback;
    const start = this.offsets.toFile(range[0]);
    let end = Math.max(start, this.offsets.toFile(range[1]));
    while (end > start && isTrailing(this.source.charCodeAt(end - 1))) end--;
    return { start, end };
  }

  /** A yaml error's position in the file, at least one character wide so an editor shows it. */
  rangeSpan(pos: readonly [number, number]): Span {
    const start = this.offsets.toFile(pos[0]);
    const end = this.offsets.toFile(pos[1]);
    return end > start ? { start, end } : this.pointAt(start);
  }

  pointAt(offset: number): Span {
    const start = Math.max(0, Math.min(offset, this.source.length - 1));
    return { start, end: Math.min(start + 1, this.source.length) };
  }

  /** Where to point at a value: the value itself, or the key when the value is empty. */
  valueTarget(entry: TestEntry): Span {
    return entry.valueSpan.end > entry.valueSpan.start ? entry.valueSpan : entry.keySpan;
  }

  /** The pairs of `map`; with a block, known keys are recorded for hover and unknown ones reported. */
  entries(map: YAMLMap, block: TestBlock | undefined): TestEntry[] {
    const entries: TestEntry[] = [];
    const seen = new Set<string>();
    for (const pair of map.items) {
      if (!this.count(map)) break;
      const keyNode = pair.key as Node | null;
      const valueNode = pair.value as Node | null;
      const keySpan = this.span(keyNode, this.span(valueNode, this.span(map)));
      if (!isScalar(keyNode) || keyNode.value === null || typeof keyNode.value === 'object') {
        this.report('test-wrong-type', 'A key is a plain name.', keySpan);
        continue;
      }
      const name = String(keyNode.value);
      if (seen.has(name)) this.report('test-duplicate-key', `Duplicate key \`${name}\`: only the last one would count. Remove one of them.`, keySpan);
      seen.add(name);
      const entry = this.entry(name, keySpan, valueNode, block);
      if (block && entry.schema) this.keys.push({ block, key: name, keySpan, valueSpan: entry.valueSpan });
      if (block && !entry.schema) this.reportUnknownKey(name, keySpan, block);
      entries.push(entry);
    }
    return entries;
  }

  private entry(name: string, keySpan: Span, value: Node | null, block: TestBlock | undefined): TestEntry {
    const valueSpan = this.span(value, { start: keySpan.end, end: keySpan.end });
    const schema = block ? testKeyAt(block, name) : undefined;
    const node = this.resolve(value);
    return schema ? { name, schema, keySpan, valueSpan, node } : { name, keySpan, valueSpan, node };
  }

  private reportUnknownKey(name: string, keySpan: Span, block: TestBlock): void {
    const where = blockNames[block];
    const allowed = testKeys[block].map((key) => key.key);
    const typo = closestMatch(name, allowed);
    if (typo) return this.report('test-unknown-key', `Unknown key \`${name}\` in ${where}. Did you mean \`${typo}\`?`, keySpan);
    const home = (Object.keys(testKeys) as TestBlock[]).find((other) => other !== block && testKeyAt(other, name));
    if (home) return this.report('test-unknown-key', `\`${name}\` belongs in ${blockNames[home]}, not in ${where}: move it.`, keySpan);
    this.report('test-unknown-key', `Unknown key \`${name}\` in ${where}. Remove it, or use one of: ${allowed.join(', ')}.`, keySpan);
  }

  /** The node an alias names (null for an empty value or an alias of nothing). */
  resolve(node: Node | null): Node | null {
    if (!isAlias(node)) return node;
    if (!this.doc) return null;
    this.targets ??= aliasTargets(this.doc);
    return this.targets.get(node) ?? null;
  }

  /** Counts a node read; false once the budget is spent (reported once, where it ran out). */
  count(node: Node | null): boolean {
    if (++this.reads <= this.budget) return true;
    if (!this.overBudget) {
      this.overBudget = true;
      this.report('test-wrong-type', 'The aliases of this file expand past what it could hold written out; the rest was not read. Write the repeated parts out.', this.span(node));
    }
    return false;
  }

  // ---- values ------------------------------------------------------------------------------------

  /** Text: a string, or a plain scalar as written (`contains: 42` is the text "42"). */
  text(entry: TestEntry, code: TestFileProblemCode = 'test-wrong-type'): string | undefined {
    const text = scalarText(entry.node);
    if (text !== undefined) return text;
    this.report(code, `\`${entry.name}\` ${entry.node === null ? 'has no value' : `must be text, not ${shapeOf(entry.node)}`}: write \`${entry.name}: …\` on one line, or a \`|\` block.`, this.valueTarget(entry));
    return undefined;
  }

  /** Text that is not blank; blank text is reported with `whenBlank` (what to write instead). */
  nonBlankText(entry: TestEntry, whenBlank: string): string | undefined {
    const text = this.text(entry);
    if (text === undefined || text.trim() !== '') return text;
    this.report('test-wrong-type', whenBlank, this.valueTarget(entry));
    return undefined;
  }

  /** The items of a list, aliases resolved. */
  list(entry: TestEntry, what: string): (Node | null)[] | undefined {
    if (isSeq(entry.node)) return entry.node.items.map((item) => this.resolve(item as Node | null));
    this.report('test-wrong-type', `\`${entry.name}\` must be ${what}, not ${shapeOf(entry.node)}.`, this.valueTarget(entry));
    return undefined;
  }

  map(entry: TestEntry, what: string): YAMLMap | undefined {
    if (isMap(entry.node)) return entry.node;
    this.report('test-wrong-type', `\`${entry.name}\` must be ${what}, not ${shapeOf(entry.node)}.`, this.valueTarget(entry));
    return undefined;
  }

  /** A number within the schema's bounds (a whole one for `integer`). */
  number(entry: TestEntry, bounds: Pick<TestKeySchema, 'kind' | 'min' | 'max'>, code: TestFileProblemCode = 'test-wrong-type'): number | undefined {
    const value = isScalar(entry.node) ? entry.node.value : undefined;
    const whole = bounds.kind === 'integer';
    const fits = typeof value === 'number' && Number.isFinite(value) && (!whole || Number.isInteger(value));
    if (fits && (bounds.min === undefined || value >= bounds.min) && (bounds.max === undefined || value <= bounds.max)) return value;
    const range = bounds.max === undefined ? `from ${bounds.min ?? 0} up` : `from ${bounds.min ?? 0} to ${bounds.max}`;
    const written = entry.node === null ? 'nothing' : isScalar(entry.node) ? `\`${scalarText(entry.node) ?? ''}\`` : shapeOf(entry.node);
    this.report(code, `\`${entry.name}\` must be a ${whole ? 'whole number' : 'number'} ${range}, not ${written}.`, this.valueTarget(entry));
    return undefined;
  }

  /** A value as plain JSON data (a JSON Schema); map keys are their text, aliases followed within the budget. */
  plain(node: Node | null, depth = 0): unknown {
    const resolved = this.resolve(node);
    // aliases of aliases nest past the YAML's own depth limit: the recursion stops at it too
    if (!this.count(resolved) || depth > MAX_YAML_DEPTH) return undefined;
    if (isSeq(resolved)) return resolved.items.map((item) => this.plain(item as Node | null, depth + 1));
    if (isMap(resolved)) {
      const pairs = resolved.items.map((pair) => [scalarText(this.resolve(pair.key as Node | null)) ?? '', this.plain(pair.value as Node | null, depth + 1)]);
      // fromEntries defines each key as the object's own, `__proto__` included.
      return Object.fromEntries(pairs);
    }
    return isScalar(resolved) ? resolved.value : null;
  }
}

export function scalarText(node: Node | null): string | undefined {
  if (!isScalar(node) || node.value === null) return undefined;
  if (typeof node.value === 'string') return node.value;
  return node.source ?? String(node.value);
}

export function shapeOf(node: Node | null): string {
  if (node === null) return 'nothing';
  if (isSeq(node)) return 'a list';
  if (isMap(node)) return 'a map';
  return isScalar(node) ? `\`${scalarText(node) ?? ''}\`` : 'an alias of nothing';
}

function isTrailing(code: number): boolean {
  return isLineBreakCode(code) || code === 32 || code === 9;
}
