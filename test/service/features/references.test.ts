import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Location } from 'vscode-languageserver-types';
import { getReferences } from '../../../service/features/references';
import { fixture } from '../../support/fixture';

function references(source: string, includeDeclaration = true): Location[] {
  const f = fixture(source);
  return getReferences(f.ctx, f.position, { includeDeclaration });
}

function at(line: number, start: number, end: number): Location {
  return { uri: 'test://a.prompt', range: { start: { line, character: start }, end: { line, character: end } } };
}

const source = `---
memory:
  key: chat_history
---
{chat_history}
Human: {human_input}
Again: {chat_history}
`;

describe('find references', () => {
  test('every use of the memory variable and memory.key', () => {
    const expected = [at(2, 7, 19), at(4, 1, 13), at(6, 8, 20)];
    assert.deepEqual(references(source.replace('{chat_history}\nHuman', '{chat_|history}\nHuman')), expected);
  });

  test('from the declaration too', () => {
    assert.deepEqual(references(source.replace('key: chat_history', 'key: chat|_history')), [at(2, 7, 19), at(4, 1, 13), at(6, 8, 20)]);
  });

  test('without declarations when asked', () => {
    assert.deepEqual(references(source.replace('Again: {chat_history}', 'Again: {chat_history|}'), false), [at(4, 1, 13), at(6, 8, 20)]);
  });

  test('partials, input_key and input_variables entries are declarations', () => {
    const text = '---\ninput_variables: [q]\ninput_key: q\npartial_variables:\n  q: x\n---\n{history} {|q}\n';
    assert.deepEqual(references(text), [at(1, 18, 19), at(2, 11, 12), at(4, 2, 3), at(6, 11, 12)]);
  });

  test('nothing outside variables', () => {
    assert.deepEqual(references('Hel|lo {input}\n'), []);
  });
});
