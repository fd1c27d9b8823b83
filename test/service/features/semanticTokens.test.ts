import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { getSemanticTokens, semanticTokensLegend } from '../../../service/features/semanticTokens';
import { fixture } from '../../support/fixture';

interface DecodedToken {
  line: number;
  char: number;
  length: number;
  type: string;
  modifiers: string[];
}

/** Undoes LSP's relative encoding, so tests read as positions and names. */
function decode(data: number[]): DecodedToken[] {
  const tokens: DecodedToken[] = [];
  let line = 0;
  let char = 0;
  for (let i = 0; i < data.length; i += 5) {
    const [deltaLine = 0, deltaChar = 0, length = 0, type = 0, bits = 0] = data.slice(i, i + 5);
    line += deltaLine;
    char = deltaLine === 0 ? char + deltaChar : deltaChar;
    const modifiers = semanticTokensLegend.tokenModifiers.filter((_, bit) => bits & (1 << bit));
    tokens.push({ line, char, length, type: semanticTokensLegend.tokenTypes[type] ?? '?', modifiers });
  }
  return tokens;
}

function tokens(source: string): DecodedToken[] {
  return decode(getSemanticTokens(fixture(source, { cursor: false }).ctx).data);
}

describe('semantic tokens', () => {
  test('variables by source, their declarations, and role headers', () => {
    const source = `---
memory:
  key: chat_history
  return_messages: true
---
system:
You are a chatbot.

placeholder:
{chat_history}

human:
{human_input}
`;
    assert.deepEqual(tokens(source), [
      { line: 2, char: 7, length: 12, type: 'variable', modifiers: ['declaration', 'memory'] },
      { line: 5, char: 0, length: 7, type: 'keyword', modifiers: [] },
      { line: 8, char: 0, length: 12, type: 'keyword', modifiers: [] },
      { line: 9, char: 1, length: 12, type: 'variable', modifiers: ['memory'] },
      { line: 11, char: 0, length: 6, type: 'keyword', modifiers: [] },
      { line: 12, char: 1, length: 11, type: 'variable', modifiers: ['input'] },
    ]);
  });

  test('partials and variables nothing provides', () => {
    const source = '---\ninput_key: q\npartial_variables:\n  p: x\n---\n{history} {q} {p} {other}\n';
    assert.deepEqual(tokens(source), [
      { line: 1, char: 11, length: 1, type: 'variable', modifiers: ['declaration', 'input'] },
      { line: 3, char: 2, length: 1, type: 'variable', modifiers: ['declaration', 'partial'] },
      { line: 5, char: 1, length: 7, type: 'variable', modifiers: ['memory'] },
      { line: 5, char: 11, length: 1, type: 'variable', modifiers: ['input'] },
      { line: 5, char: 15, length: 1, type: 'variable', modifiers: ['partial'] },
      { line: 5, char: 19, length: 5, type: 'variable', modifiers: ['undefined'] },
    ]);
  });

  test('a history variable that is not the memory key is undefined', () => {
    assert.deepEqual(tokens('---\nmemory:\n  key: chat_history\ninput_key: input\n---\n{history}\n{input}\n').map((t) => t.modifiers), [
      ['declaration', 'memory'],
      ['declaration', 'input'],
      ['undefined'],
      ['input'],
    ]);
  });

  test('two free variables and no input_key: neither is the input', () => {
    assert.deepEqual(tokens('{history}\n{question} {context}\n').map((t) => t.modifiers), [['memory'], ['undefined'], ['undefined']]);
  });

  test('legend: variables and keywords, modifiers by source', () => {
    assert.deepEqual(semanticTokensLegend, {
      tokenTypes: ['variable', 'keyword'],
      tokenModifiers: ['declaration', 'memory', 'input', 'partial', 'undefined'],
    });
  });
});
