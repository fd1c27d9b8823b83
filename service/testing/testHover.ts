// Hover in a test file: the doc of the key or assertion under the cursor, from the one table of them
// (core/testing/testSchema.ts).

import { MarkupKind, type Hover, type Position } from 'vscode-languageserver-types';
import { assertionSchemas, testKeyAt } from '../../core/testing/testSchema';
import type { AssertionKind, TestFileKey } from '../../core/testing/types';
import { testRangeOf, type TestFileContext } from './testFileContext';

export function getTestFileHover(ctx: TestFileContext, position: Position): Hover | null {
  const offset = ctx.textDocument.offsetAt(position);
  const key = ctx.testFile.keys.find((candidate) => candidate.keySpan.start <= offset && offset <= candidate.keySpan.end);
  const doc = key && keyDoc(key);
  return key && doc ? { contents: { kind: MarkupKind.Markdown, value: doc }, range: testRangeOf(ctx, key.keySpan) } : null;
}

function keyDoc(key: TestFileKey): string | undefined {
  if (key.block === 'assertion') return `**\`${key.key}\`** — assertion\n\n${assertionSchemas[key.key as AssertionKind].description}`;
  const schema = testKeyAt(key.block, key.key);
  if (!schema) return undefined;
  const needed = schema.required ? 'required' : `default: ${schema.default ?? 'none'}`;
  return `**\`${schema.key}\`** (${needed})\n\n${schema.description}`;
}
