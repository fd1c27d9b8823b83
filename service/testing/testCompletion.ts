// Completion in a test file: the keys of the block the cursor is in, the assertion kinds in an `expect:`
// item, the prompt's variables under `vars:`, and `.prompt` paths after `prompt:`. While a key is being typed
// the YAML is often incomplete, so where the cursor is comes from the lines' indentation (./testSlot.ts),
// not from the parse.

import { CompletionItemKind, InsertTextFormat, type CompletionItem, type Position } from 'vscode-languageserver-types';
import { assertionSchemas, testKeys } from '../../core/testing/testSchema';
import { ASSERTION_KINDS } from '../../core/testing/types';
import { testRangeOf, type TestFileContext, type TestFileFacts } from './testFileContext';
import { testSlotAt, type TestSlot } from './testSlot';

export function getTestFileCompletions(ctx: TestFileContext, position: Position, facts: TestFileFacts): CompletionItem[] {
  const slot = testSlotAt(ctx.textDocument.getText(), ctx.textDocument.offsetAt(position));
  if (!slot) return [];
  const range = testRangeOf(ctx, slot.replace);
  return candidatesFor(slot, facts).map(({ newText, ...item }) => ({ ...item, textEdit: { range, newText } }));
}

interface Candidate extends Omit<CompletionItem, 'textEdit'> {
  readonly newText: string;
}

function candidatesFor(slot: TestSlot, facts: TestFileFacts): Candidate[] {
  if (slot.kind === 'value') return slot.key === 'prompt' && slot.block === 'file' ? promptPaths(facts) : [];
  switch (slot.block) {
    case 'assertion':
      return ASSERTION_KINDS.map((kind) => snippet(kind, assertionSchemas[kind].snippet, assertionSchemas[kind].description, CompletionItemKind.Function));
    case 'vars':
      return facts.variables.map((name) => ({ label: name, kind: CompletionItemKind.Variable, detail: 'prompt variable', newText: `${name}: ` }));
    default:
      return testKeys[slot.block].map((key) => snippet(key.key, key.snippet, key.description, CompletionItemKind.Property));
  }
}

function snippet(label: string, value: string, detail: string, kind: CompletionItemKind): Candidate {
  const separator = value.startsWith('\n') ? ':' : ': ';
  return { label, kind, detail, insertTextFormat: InsertTextFormat.Snippet, newText: `${label}${separator}${value}` };
}

function promptPaths(facts: TestFileFacts): Candidate[] {
  return facts.promptFiles.map((path) => ({ label: path, kind: CompletionItemKind.File, detail: 'prompt file', newText: path }));
}
