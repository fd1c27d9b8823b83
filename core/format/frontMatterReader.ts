// Reads the YAML tree of the front matter against the schema: every key/value is recorded as a field,
// every value of the wrong type or out of range becomes a problem at the value, every unknown key a
// problem at the key with a "did you mean". Values that fail are left out of the typed result.

import { isAlias, isMap, isScalar, isSeq, type Document, type Node, type YAMLMap } from 'yaml';
import type { FrontMatterField, Located, ParseProblem, Span } from './model';
import { ProblemCode, problem } from './problems';
import { memorySchema, parametersSchema, type FieldSchema } from './schema';
import { closestMatch } from './didYouMean';

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

export class FrontMatterReader {
  readonly problems: ParseProblem[] = [];
  readonly fields: FrontMatterField[] = [];

  constructor(
    private readonly doc: Document,
    private readonly text: string,
    /** Where the YAML text sits in the file. */
    private readonly yamlSpan: Span,
  ) {}

  /** A node's span in the file, without the trailing line breaks a block collection's range includes. */
  span(node: { range?: [number, number, number] | null } | null | undefined, fallback: Span): Span {
    const range = node?.range;
    if (!range) return fallback;
    const { start: base, end: limit } = this.yamlSpan;
    const start = Math.min(base + range[0], limit);
    let end = Math.max(start, Math.min(base + range[1], limit));
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
    const node = isAlias(value) ? ((value.resolve(this.doc) as Node | undefined) ?? null) : value;
    const fieldSchema = schema?.find((field) => field.key === name);
    return fieldSchema ? { name, path, schema: fieldSchema, keySpan, valueSpan, node } : { name, path, keySpan, valueSpan, node };
  }

  private toJS(node: Node | null): unknown {
    if (node === null) return null;
    if (isScalar(node)) return node.value;
    try {
      return node.toJS(this.doc, { maxAliasCount: 100 });
    } catch {
      return undefined; // an alias bomb: the value is reported elsewhere, hover just shows nothing
    }
  }

  private reportDuplicate(name: string, keySpan: Span, parentPath: readonly string[]): void {
    // PyYAML silently keeps the last value; a silent override is never what the author meant.
    const message = `Duplicate key \`${name}\`: only the last one would take effect. Remove one of them.`;
    this.report(ProblemCode.duplicateKey, message, keySpan, { key: name, path: [...parentPath, name] });
  }

  private reportUnknownKey(entry: Entry, schema: readonly FieldSchema[]): void {
    const atTop = entry.path.length === 1;
    const aliasOf = schema.find((field) => field.aliases?.includes(entry.name));
    const suggestion = aliasOf?.key ?? closestMatch(entry.name, schema.map((field) => field.key));
    const where = atTop ? '' : ` in \`${entry.path.slice(0, -1).join('.')}\``;
    let message = `Unknown key \`${entry.name}\`${where}.`;
    if (suggestion) message += ` Did you mean \`${suggestion}\`?`;
    else if (atTop && parametersSchema.some((field) => field.key === entry.name)) message += ` Model parameters go under \`parameters:\`.`;
    else if (atTop && memorySchema.some((field) => field.key === entry.name)) message += ` Memory settings go under \`memory:\`.`;
    else message += ` Accepted keys: ${schema.map((field) => field.key).join(', ')}.`;
    const data: Record<string, unknown> = { key: entry.name, path: entry.path };
    if (suggestion) data['suggestion'] = suggestion;
    this.report(ProblemCode.unknownKey, message, entry.keySpan, data);
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
    this.typeError(entry, 'a string');
    return undefined;
  }

  enumValue(entry: Entry, allowed: readonly string[]): Located<string> | undefined {
    const value = scalarValue(entry.node);
    if (typeof value === 'string' && allowed.includes(value)) return this.located(entry, value);
    if (typeof value !== 'string') {
      this.typeError(entry, `one of ${allowed.join(', ')}`, { allowed });
      return undefined;
    }
    const suggestion = closestMatch(value, allowed);
    const hint = suggestion ? ` Did you mean \`${suggestion}\`?` : '';
    const data: Record<string, unknown> = { path: entry.path, value, allowed };
    if (suggestion) data['suggestion'] = suggestion;
    this.report(ProblemCode.invalidValue, `\`${entry.name}\` must be one of ${allowed.join(', ')}; got \`${value}\`.${hint}`, this.valueTarget(entry), data);
    return undefined;
  }

  boolean(entry: Entry): Located<boolean> | undefined {
    const value = scalarValue(entry.node);
    if (typeof value === 'boolean') return this.located(entry, value);
    this.typeError(entry, 'true or false');
    return undefined;
  }

  number(entry: Entry, schema: FieldSchema): Located<number> | undefined {
    const value = scalarValue(entry.node);
    const wantsInteger = schema.kind === 'integer';
    if (typeof value !== 'number' || !Number.isFinite(value) || (wantsInteger && !Number.isInteger(value))) {
      this.typeError(entry, wantsInteger ? 'a whole number' : 'a number');
      return undefined;
    }
    const { min, max } = schema;
    if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
      const bounds = max === undefined ? `at least ${min}` : min === undefined ? `at most ${max}` : `between ${min} and ${max}`;
      this.report(ProblemCode.outOfRange, `\`${entry.name}\` must be ${bounds}; got ${value}.`, this.valueTarget(entry), { path: entry.path, value, min, max });
      return undefined;
    }
    return this.located(entry, value);
  }

  /** A list of strings; items of another type are reported one by one and left out. */
  stringList(entry: Entry): Located<Located<string>[]> | undefined {
    if (!isSeq(entry.node)) {
      this.typeError(entry, 'a list of strings');
      return undefined;
    }
    const items: Located<string>[] = [];
    for (const item of entry.node.items as (Node | null)[]) {
      const span = this.span(item, entry.valueSpan);
      const value = scalarValue(isAlias(item) ? ((item.resolve(this.doc) as Node | undefined) ?? null) : item);
      if (typeof value === 'string') items.push({ value, span });
      else this.report(ProblemCode.invalidType, `Each item of \`${entry.name}\` must be a string; got ${describe(item)}.`, span, { path: entry.path });
    }
    return this.located(entry, items);
  }

  /** The map of a `map`-kind entry, or undefined with a problem. */
  map(entry: Entry, expected: string): YAMLMap | undefined {
    if (isMap(entry.node)) return entry.node;
    this.typeError(entry, expected);
    return undefined;
  }

  located<T>(entry: Entry, value: T): Located<T> {
    return { value, span: entry.valueSpan, keySpan: entry.keySpan };
  }

  typeError(entry: Entry, expected: string, extra?: Record<string, unknown>): void {
    const message = `\`${entry.path.join('.')}\` must be ${expected}; got ${describe(entry.node)}.`;
    this.report(ProblemCode.invalidType, message, this.valueTarget(entry), { path: entry.path, expected, ...extra });
  }
}


function isTrailingSpace(code: number): boolean {
  return code === 10 || code === 13 || code === 32 || code === 9;
}

function scalarValue(node: Node | null): unknown {
  return isScalar(node) ? node.value : undefined;
}

function describe(node: unknown): string {
  if (node === null || node === undefined) return 'nothing';
  if (isAlias(node)) return 'an alias';
  if (isMap(node)) return 'a map';
  if (isSeq(node)) return 'a list';
  if (!isScalar(node)) return 'a value of another kind';
  const value = node.value;
  if (value === null) return 'nothing (null)';
  if (typeof value === 'string') return `the string \`${value.length > 40 ? value.slice(0, 40) + '…' : value}\``;
  if (typeof value === 'boolean' || typeof value === 'number') return `\`${String(value)}\``;
  return 'a value of another kind';
}
