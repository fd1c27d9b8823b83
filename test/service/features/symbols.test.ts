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
          { name: 'name', kind: SymbolKind.Property, lines: [1, 1] },
          {
            name: 'memory',
            kind: SymbolKind.Property,
            lines: [2, 4],
            children: [
              { name: 'key', kind: SymbolKind.Property, lines: [3, 3] },
              { name: 'return_messages', kind: SymbolKind.Property, lines: [4, 4] },
            ],
          },
        ],
      },
      { name: 'system: You are a chatbot having a conversation with a human.', kind: SymbolKind.Interface, lines: [6, 7] },
      {
        name: 'placeholder: {chat_history}',
        kind: SymbolKind.Array,
        lines: [9, 10],
        children: [{ name: '{chat_history}', kind: SymbolKind.Variable, lines: [10, 10] }],
      },
      {
        name: 'human: {human_input}',
        kind: SymbolKind.Event,
        lines: [12, 13],
        children: [{ name: '{human_input}', kind: SymbolKind.Variable, lines: [13, 13] }],
      },
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

  test('each role has its own kind, so the outline tells them apart', () => {
    const f = fixture('---\nmodel: gpt-4o\n---\nsystem:\nBe brief.\n\nplaceholder:\n{history}\n\nhuman:\nHi\n\nai:\nHello\n\nhuman:\n{input}\n');
    const kinds = getDocumentSymbols(f.ctx).map((s) => s.kind);
    assert.deepEqual(kinds, [SymbolKind.Namespace, SymbolKind.Interface, SymbolKind.Array, SymbolKind.Event, SymbolKind.Function, SymbolKind.Event]);
    assert.equal(new Set(kinds.slice(0, 5)).size, 5);
  });

  test('variables are listed once per message, at their first use, with what provides them', () => {
    const f = fixture('---\ninput_key: question\npartial_variables:\n  tone: dry\n---\nsystem:\nBe {tone}.\n\nhuman:\n{history}\n{question} {topic} {question}\n');
    const [system, human] = getDocumentSymbols(f.ctx).slice(1);
    assert.deepEqual(system?.children?.map((s) => [s.name, s.kind, s.detail]), [['{tone}', SymbolKind.Variable, 'partial']]);
    assert.deepEqual(human?.children?.map((s) => [s.name, s.detail]), [
      ['{history}', 'memory'],
      ['{question}', "the user's input"],
      ['{topic}', 'not provided'],
    ]);
    assert.deepEqual(human?.children?.[1]?.selectionRange, range(10, 1, 10, 9));
  });

  test('a completion template is one string, with its variables', () => {
    const symbols = getDocumentSymbols(fixture(completionExample).ctx);
    const template = symbols[1];
    assert.equal(template?.kind, SymbolKind.String);
    assert.deepEqual(template?.children?.map((s) => s.name), ['{chat_history}', '{human_input}']);
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
