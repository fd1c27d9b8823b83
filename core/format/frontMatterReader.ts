// Reads the YAML tree of the front matter against the schema: every key/value is recorded as a field,
// every value of the wrong type or out of range becomes a problem at the value, every unknown key a
// problem at the key with a "did you mean". Values that fail are left out of the typed result.

import { isAlias, isMap, isScalar, isSeq, type Alias, type Document, type Node, type YAMLMap } from 'yaml';
import type { FrontMatterField, Located, ParseProblem, Span } from './model';
import { ProblemCode, problem } from './problems';
import type { FieldSchema } from './schema';
import { closestMatch } from './didYouMean';
import { aliasTargets } from './yamlAliases';
import { isLineBreakCode, normalizeLineBreaks, type FileOffsets } from './text';
import { adviseUnknownKey, type KeyAdvice } from './keyAdvice';
import { notAllowed, outOfRange, wrongItem, wrongType, type JudgedValue } from './valueAdvice';

/** One `key: value` pair of a map, located in the file. */
export interface Entry {
  readonly name: string;
  readonly path: readonly string[];
  readonly schema?: FieldSchema;
  readonly keySpan: Span;
  readonly valueSpan: Span;
  /** The value node, aliases resolved; null for an empty value. */
  readonly node: Node | null;
}

/**
 * Collection values holding an alias converted to JS values. yaml's toJS looks each alias up by walking the
 * whole document, once per call: a value per entry would make a front matter of aliases quadratic. Real
 * front matter has an alias or two; past this, such a value's `value` is left undefined (like an alias bomb).
 */
const MAX_ALIASED_VALUES = 10;

export class FrontMatterReader {
  readonly problems: ParseProblem[] = [];
  readonly fields: FrontMatterField[] = [];
  private aliasTargets: Map<Alias, Node | undefined> | undefined;
  private aliasedValues = 0;
  private readonly keyAdvice = new Map<string, KeyAdvice>();

  constructor(
    private readonly doc: Document,
    private readonly text: string,
    /** Where the YAML text sits in the file. */
    private readonly yamlSpan: Span,
    /** yaml read the text with line breaks normalized: its offsets go back to the file through this. */
    private readonly offsets: FileOffsets,
  ) {}

  /** A node's span in the file, without the trailing line breaks a block collection's range includes. */
  span(node: { range?: [number, number, number] | null } | null | undefined, fallback: Span): Span {
    const range = node?.range;
    if (!range) return fallback;
    const limit = this.yamlSpan.end;
    const start = Math.min(this.offsets.toFile(range[0]), limit);
    let end = Math.max(start, Math.min(this.offsets.toFile(range[1]), limit));
    while (end > start && isTrailingSpace(this.text.charCodeAt(end - 1))) end--;
    return { start, end };
  }

  /** The pairs of `map` whose keys are names; records them as fields and reports unknown keys. */
  entries(map: YAMLMap, parentPath: readonly string[], schema: readonly FieldSchema[] | undefined): Entry[] {
    const entries: Entry[] = [];
    const mapSpan = this.span(map, { start: this.yamlSpan.start, end: this.yamlSpan.start });
    const seen = new Set<string>();
    for (const pair of map.items) {
      const keyNode = pair.key as Node | null;
      const valueNode = pair.value as Node | null;
      const keySpan = this.span(keyNode, this.span(valueNode, mapSpan));
      if (!isScalar(keyNode)) {
        this.report(ProblemCode.invalidType, 'A front-matter key must be a plain name.', keySpan);
        continue;
      }
      const name = String(keyNode.value ?? '');
      if (seen.has(name)) this.reportDuplicate(name, keySpan, parentPath);
      seen.add(name);
      const entry = this.entry(name, [...parentPath, name], schema, keySpan, valueNode);
      this.fields.push({ path: entry.path, keySpan, valueSpan: entry.valueSpan, value: this.toJS(entry.node) });
      if (schema && !entry.schema) this.reportUnknownKey(entry, schema);
      entries.push(entry);
    }
    return entries;
  }

  private entry(name: string, path: string[], schema: readonly FieldSchema[] | undefined, keySpan: Span, value: Node | null): Entry {
    const valueSpan = this.span(value, { start: keySpan.end, end: keySpan.end });
    const node = isAlias(value) ? (this.resolve(value) ?? null) : value;
    const fieldSchema = schema?.find((field) => field.key === name);
    return fieldSchema ? { name, path, schema: fieldSchema, keySpan, valueSpan, node } : { name, path, keySpan, valueSpan, node };
  }

  private toJS(node: Node | null): unknown {
    if (node === null) return null;
    if (isScalar(node)) return node.value;
    const inside = this.inspect(node);
    if (inside === 'collection-key') return undefined; // a key that is no name: reported, and costly to convert
    if (inside === 'alias' && ++this.aliasedValues > MAX_ALIASED_VALUES) return undefined;
    try {
      return node.toJS(this.doc, { maxAliasCount: 100 });
    } catch {
      return undefined; // an alias bomb: the value is reported elsewhere, hover just shows nothing
    }
  }

  /**
   * What makes `node` costly to convert: a map inside it (aliases followed) with a list or map as a key —
   * yaml's toJS turns such a key into its YAML text at every level it is nested in, so the cost grows with
   * depth times size — or an alias (see MAX_ALIASED_VALUES).
   */
  private inspect(node: Node): 'collection-key' | 'alias' | 'plain' {
    const seen = new Set<unknown>();
    const pending: unknown[] = [node];
    let found: 'alias' | 'plain' = 'plain';
    for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
      if (seen.has(next)) continue;
      seen.add(next);
      if (isAlias(next)) {
        found = 'alias';
        pending.push(this.resolve(next));
      } else if (isSeq(next)) for (const item of next.items) pending.push(item);
      else if (isMap(next)) {
        for (const pair of next.items) {
          if (isMap(pair.key) || isSeq(pair.key)) return 'collection-key';
          pending.push(pair.value);
        }
      }
    }
    return found;
  }

  /** The node an alias names (see ./yamlAliases.ts), the document walked once for all aliases. */
  private resolve(alias: Alias): Node | undefined {
    this.aliasTargets ??= aliasTargets(this.doc);
    return this.aliasTargets.get(alias);
  }

  private reportDuplicate(name: string, keySpan: Span, parentPath: readonly string[]): void {
    // PyYAML silently keeps the last value; a silent override is never what the author meant.
    const message = `Duplicate key \`${name}\`: only the last one would take effect. Remove one of them.`;
    this.report(ProblemCode.duplicateKey, message, keySpan, { key: name, path: [...parentPath, name] });
  }

  /** A key the block does not have: an endpoint or a secret, a key of another block, a typo. */
  private reportUnknownKey(entry: Entry, schema: readonly FieldSchema[]): void {
    // The same unknown key written again (a pasted block, a column of `:`) gets the advice worked out once.
    const asked = entry.path.join('\0');
    let advice = this.keyAdvice.get(asked);
    if (!advice) this.keyAdvice.set(asked, (advice = adviseUnknownKey(entry.name, entry.path, schema)));
    this.report(advice.code, advice.message, entry.keySpan, advice.data);
  }

  /** Where to point at a value: the value itself, or the key when the value is empty. */
  valueTarget(entry: Entry): Span {
    return entry.valueSpan.end > entry.valueSpan.start ? entry.valueSpan : entry.keySpan;
  }

  report(code: ProblemCode, message: string, span: Span, data?: Record<string, unknown>, severity: 'error' | 'warning' = 'error'): void {
    this.problems.push(problem(code, message, span, severity, data));
  }

  // ---- typed values ------------------------------------------------------------------------------

  /** The entry's value per its schema kind, or undefined (with a problem) when it doesn't fit. */
  scalar(entry: Entry): Located<string | number | boolean> | undefined {
    const schema = entry.schema;
    if (!schema) return undefined;
    switch (schema.kind) {
      case 'string':
        return this.string(entry);
      case 'enum':
        return this.enumValue(entry, schema.values ?? []);
      case 'boolean':
        return this.boolean(entry);
      case 'integer':
      case 'number':
        return this.number(entry, schema);
      default:
        return undefined;
    }
  }

  string(entry: Entry): Located<string> | undefined {
    const value = scalarValue(entry.node);
    if (typeof value === 'string') return this.located(entry, value);
    this.typeError(entry);
    return undefined;
  }

  enumValue(entry: Entry, allowed: readonly string[]): Located<string> | undefined {
    const value = scalarValue(entry.node);
    if (typeof value === 'string' && allowed.includes(value)) return this.located(entry, value);
    if (typeof value !== 'string') {
      this.typeError(entry, { allowed });
      return undefined;
    }
    const suggestion = closestMatch(value, allowed);
    const advice = notAllowed(this.judged(entry), value, allowed, suggestion);
    const data: Record<string, unknown> = suggestion ? { path: entry.path, value, allowed, suggestion } : { path: entry.path, value, allowed };
    this.report(ProblemCode.invalidValue, advice.message, this.valueTarget(entry), withReplacement(data, advice.replacement));
    return undefined;
  }

  boolean(entry: Entry): Located<boolean> | undefined {
    const value = scalarValue(entry.node);
    if (typeof value === 'boolean') return this.located(entry, value);
    this.typeError(entry);
    return undefined;
  }

  number(entry: Entry, schema: FieldSchema): Located<number> | undefined {
    const value = scalarValue(entry.node);
    const wantsInteger = schema.kind === 'integer';
    if (typeof value !== 'number' || !Number.isFinite(value) || (wantsInteger && !Number.isInteger(value))) {
      this.typeError(entry);
      return undefined;
    }
    const { min, max } = schema;
    if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
      const advice = outOfRange(this.judged(entry), value);
      this.report(ProblemCode.outOfRange, advice.message, this.valueTarget(entry), { path: entry.path, value, min, max, replacement: advice.replacement });
      return undefined;
    }
    return this.located(entry, value);
  }

  /** A list of strings; items of another type are reported one by one and left out. */
  stringList(entry: Entry): Located<Located<string>[]> | undefined {
    if (!isSeq(entry.node)) {
      this.typeError(entry);
      return undefined;
    }
    const items: Located<string>[] = [];
    for (const item of entry.node.items as (Node | null)[]) {
      const span = this.span(item, entry.valueSpan);
      const resolved = isAlias(item) ? (this.resolve(item) ?? null) : item;
      const value = scalarValue(resolved);
      if (typeof value === 'string') {
        items.push({ value, span });
        continue;
      }
      const advice = wrongItem(this.judged(entry), resolved);
      this.report(ProblemCode.invalidType, advice.message, span, withReplacement({ path: entry.path }, advice.replacement));
    }
    return this.located(entry, items);
  }

  /** The map of a `map`-kind entry, or undefined with a problem. */
  map(entry: Entry): YAMLMap | undefined {
    if (isMap(entry.node)) return entry.node;
    this.typeError(entry);
    return undefined;
  }

  located<T>(entry: Entry, value: T): Located<T> {
    return { value, span: entry.valueSpan, keySpan: entry.keySpan };
  }

  /** A value of the wrong type, reported at the value with what to write instead (`data.replacement`). */
  typeError(entry: Entry, extra?: Record<string, unknown>): void {
    const advice = wrongType(this.judged(entry));
    this.report(ProblemCode.invalidType, advice.message, this.valueTarget(entry), withReplacement({ path: entry.path, ...extra }, advice.replacement));
  }

  private judged(entry: Entry): JudgedValue {
    const source = normalizeLineBreaks(this.text.slice(entry.valueSpan.start, entry.valueSpan.end));
    return entry.schema ? { name: entry.name, schema: entry.schema, node: entry.node, source } : { name: entry.name, node: entry.node, source };
  }
}

function withReplacement(data: Record<string, unknown>, replacement: string | undefined): Record<string, unknown> {
  return replacement === undefined ? data : { ...data, replacement };
}

function isTrailingSpace(code: number): boolean {
  return isLineBreakCode(code) || code === 32 || code === 9;
}

function scalarValue(node: Node | null): unknown {
  return isScalar(node) ? node.value : undefined;
}
