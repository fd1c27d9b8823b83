import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver-types';
import { getDocumentSymbols } from '../../../service/features/symbols';
import { fixture } from '../../support/fixture';
import { chatExample, completionExample, variant } from '../../support/examples';

function range(startLine: number, startChar: number, endLine: number, endChar: number) {
  return { start: { line: startLine, character: startChar }, end: { line: endLine, character: endChar } };
}

/** name, kind and line span of each symbol, children nested. */
function outline(symbols: DocumentSymbol[]): unknown[] {
  return symbols.map((s) => ({
    name: s.name,
    kind: s.kind,
    lines: [s.range.start.line, s.range.end.line],
    ...(s.children ? { children: outline(s.children) } : {}),
  }));
}

describe('document symbols', () => {
  test('chat: the front matter with its keys, then each message as role and first line', () => {
    const f = fixture(variant(chatExample, 'memory:', 'name: Chatbot\nmemory:'));
    const symbols = getDocumentSymbols(f.ctx);
    assert.deepEqual(outline(symbols), [
      {
        name: 'front matter',
        kind: SymbolKind.Namespace,
        lines: [0, 6],
        children: [
          { name: 'name', kind: SymbolKind.Key, lines: [1, 1] },
          {
            name: 'memory',
            kind: SymbolKind.Key,
            lines: [2, 4],
            children: [
              { name: 'key', kind: SymbolKind.Key, lines: [3, 3] },
              { name: 'return_messages', kind: SymbolKind.Key, lines: [4, 4] },
            ],
          },
        ],
      },
      { name: 'system: You are a chatbot having a conversation with a human.', kind: SymbolKind.String, lines: [6, 7] },
      { name: 'placeholder: {chat_history}', kind: SymbolKind.Array, lines: [9, 10] },
      { name: 'human: {human_input}', kind: SymbolKind.String, lines: [12, 13] },
    ]);
    assert.equal(symbols[0]?.detail, 'Chatbot');
    assert.deepEqual(symbols[0]?.selectionRange, range(0, 0, 0, 3));
    assert.equal(symbols[1]?.detail, 'SystemMessagePromptTemplate');
    assert.deepEqual(symbols[1]?.selectionRange, range(6, 0, 6, 7));
    assert.equal(symbols[0]?.children?.[0]?.detail, 'Chatbot');
  });

  test('completion: the template, named by its first line', () => {
    const f = fixture(variant(completionExample, '---\nYou', '---\n\nYou'));
    const symbols = getDocumentSymbols(f.ctx);
    assert.deepEqual(symbols.map((s) => [s.name, s.detail]), [
      ['front matter', undefined],
      ['You are a chatbot having a conversation with a human.', 'PromptTemplate'],
    ]);
    assert.equal(symbols[1]?.range.start.line, 4);
  });

  test('long first lines are cut', () => {
    const f = fixture(`system:\n${'word '.repeat(30)}\n\nhuman:\n{input}\n`);
    const name = getDocumentSymbols(f.ctx)[0]?.name ?? '';
    assert.equal(name.length, 'system: '.length + 60);
    assert.ok(name.endsWith('…'));
  });

  test('an empty file has no symbols', () => {
    assert.deepEqual(getDocumentSymbols(fixture('').ctx), []);
  });
});
