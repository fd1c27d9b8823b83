// One item of a turn's `expect:`: `- KIND: VALUE`, exactly one kind per item. An unknown kind gets a
// "did you mean" (and promptfoo's `- type: contains` / `value:` spelling is recognised and rewritten for
// the reader); a value the kind cannot use is a problem at the value, and the assertion is left out.

import { isMap, isScalar, type Node, type YAMLMap } from 'yaml';
import { closestMatch } from '../format/didYouMean';
import { compilePattern } from './pattern';
import { scalarText, shapeOf, type TestEntry, type TestFileReader } from './testFileReader';
import { assertionSchemas } from './testSchema';
import { ASSERTION_KINDS, type Assertion, type AssertionKind, type TextAssertion } from './types';
import type { Span } from '../format/model';

const kinds: ReadonlySet<string> = new Set(ASSERTION_KINDS);

function isKind(name: string): name is AssertionKind {
  return kinds.has(name);
}

export function readAssertion(reader: TestFileReader, item: Node | null): Assertion | undefined {
  const span = reader.span(item);
  if (!isMap(item)) return reportNotAMap(reader, item, span);
  const entries = reader.entries(item, undefined);
  const first = entries[0];
  if (!first) return reportBad(reader, 'An empty assertion: write `- KIND: VALUE`, e.g. `- contains: Ada`.', span);
  if (first.name === 'type') return reportTypeSpelling(reader, entries, first);
  for (const extra of entries.slice(1)) {
    reader.report('test-bad-assertion', `One assertion per item: put \`${extra.name}\` in an item of its own (\`- ${extra.name}: …\`).`, extra.keySpan);
  }
  if (!isKind(first.name)) return reportUnknownKind(reader, first);
  reader.keys.push({ block: 'assertion', key: first.name, keySpan: first.keySpan, valueSpan: first.valueSpan });
  return assertionOf(reader, first.name, first, span);
}

function assertionOf(reader: TestFileReader, kind: AssertionKind, entry: TestEntry, span: Span): Assertion | undefined {
  switch (kind) {
    case 'regex':
      return regexOf(reader, entry, span);
    case 'json':
      return jsonOf(reader, entry, span);
    case 'max_tokens': {
      const limit = reader.number(entry, { kind: 'integer', min: 1 }, 'test-bad-assertion');
      return limit === undefined ? undefined : { kind, limit, span };
    }
    case 'snapshot':
      return snapshotOf(reader, entry, span);
    case 'judge':
      return judgeOf(reader, entry, span);
    default:
      return textOf(reader, kind, entry, span);
  }
}

function textOf(reader: TestFileReader, kind: TextAssertion['kind'], entry: TestEntry, span: Span): Assertion | undefined {
  const value = reader.text(entry, 'test-bad-assertion');
  return value === undefined ? undefined : { kind, value, span };
}

function regexOf(reader: TestFileReader, entry: TestEntry, span: Span): Assertion | undefined {
  const pattern = reader.text(entry, 'test-bad-assertion');
  if (pattern === undefined) return undefined;
  const compiled = compilePattern(pattern);
  if ('error' in compiled) return reportBad(reader, `The regex does not compile: ${compiled.error}.`, reader.valueTarget(entry));
  return { kind: 'regex', pattern, span };
}

function jsonOf(reader: TestFileReader, entry: TestEntry, span: Span): Assertion | undefined {
  if (isScalar(entry.node) && entry.node.value === true) return { kind: 'json', span };
  if (!isMap(entry.node)) {
    return reportBad(reader, `\`json\` is \`true\` (the reply parses as JSON) or \`{ schema: … }\` (and is valid against the schema), not ${shapeOf(entry.node)}.`, reader.valueTarget(entry));
  }
  const schema = reader.entries(entry.node, 'json').find((key) => key.name === 'schema');
  if (!schema) return reportBad(reader, 'Missing `schema`: write `json: { schema: … }` with a JSON Schema, or `json: true`.', reader.valueTarget(entry));
  const value = reader.plain(schema.node);
  if (typeof value !== 'boolean' && (value === null || typeof value !== 'object' || Array.isArray(value))) {
    return reportBad(reader, `\`schema\` must be a JSON Schema: a map (\`type: object\`, …), not ${shapeOf(schema.node)}.`, reader.valueTarget(schema));
  }
  return { kind: 'json', schema: value, span };
}

function snapshotOf(reader: TestFileReader, entry: TestEntry, span: Span): Assertion | undefined {
  if (isScalar(entry.node) && entry.node.value === true) return { kind: 'snapshot', span };
  return reportBad(reader, `\`snapshot\` takes \`true\` (the reply equals the recorded baseline), not ${shapeOf(entry.node)}; remove the item to stop comparing.`, reader.valueTarget(entry));
}

function judgeOf(reader: TestFileReader, entry: TestEntry, span: Span): Assertion | undefined {
  if (!isMap(entry.node)) {
    const rubric = reader.text(entry, 'test-bad-assertion');
    return rubric === undefined ? undefined : { kind: 'judge', rubric, span };
  }
  return judgeMapOf(reader, entry, entry.node, span);
}

function judgeMapOf(reader: TestFileReader, entry: TestEntry, map: YAMLMap, span: Span): Assertion | undefined {
  let rubric: string | undefined;
  let model: string | undefined;
  const keys = reader.entries(map, 'judge');
  for (const key of keys) {
    if (key.name === 'rubric') rubric = reader.text(key, 'test-bad-assertion');
    if (key.name === 'model') model = reader.text(key, 'test-bad-assertion');
  }
  if (!keys.some((key) => key.name === 'rubric')) return reportBad(reader, 'Missing `rubric`: say what the judge grades the reply against.', reader.valueTarget(entry));
  if (rubric === undefined) return undefined;
  return model === undefined ? { kind: 'judge', rubric, span } : { kind: 'judge', rubric, model, span };
}

function reportNotAMap(reader: TestFileReader, item: Node | null, span: Span): undefined {
  const text = scalarText(item);
  if (text !== undefined && isKind(text)) {
    const example = text === 'snapshot' || text === 'json' ? `${text}: true` : `${text}: ${assertionSchemas[text].snippet.replace(/\$\{\d+:?([^}]*)\}/g, '$1')}`;
    return reportBad(reader, `\`${text}\` needs a value: write \`- ${example}\`.`, span);
  }
  reader.report('test-wrong-type', `An assertion is \`- KIND: VALUE\` (\`- contains: Ada\`), not ${shapeOf(item)}.`, span);
  return undefined;
}

function reportUnknownKind(reader: TestFileReader, entry: TestEntry): undefined {
  const typo = closestMatch(entry.name, ASSERTION_KINDS);
  const advice = typo ? `Did you mean \`${typo}\`?` : `Use one of: ${ASSERTION_KINDS.join(', ')}.`;
  reader.report('test-unknown-assertion', `Unknown assertion \`${entry.name}\`. ${advice}`, entry.keySpan);
  return undefined;
}

/** promptfoo writes `- type: contains` with `value: Ada`; here the kind is the key: `- contains: Ada`. */
function reportTypeSpelling(reader: TestFileReader, entries: readonly TestEntry[], entry: TestEntry): undefined {
  const kind = scalarText(entry.node);
  const value = entries.find((key) => key.name === 'value');
  const written = value ? scalarText(value.node) : undefined;
  const example = kind && isKind(kind) ? `- ${kind}: ${written ?? '…'}` : '- contains: Ada';
  reader.report('test-unknown-assertion', `An assertion names its kind as the key: write \`${example}\`, not \`type:\`.`, entry.keySpan);
  return undefined;
}

function reportBad(reader: TestFileReader, message: string, span: Span): undefined {
  reader.report('test-bad-assertion', message, span);
  return undefined;
}
