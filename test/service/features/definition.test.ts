import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Location } from 'vscode-languageserver-types';
import { getDefinition } from '../../../service/features/definition';
import { fixture } from '../../support/fixture';

function definition(source: string): Location[] {
  const f = fixture(source);
  return getDefinition(f.ctx, f.position);
}

function at(line: number, start: number, end: number): Location {
  return { uri: 'test://a.prompt', range: { start: { line, character: start }, end: { line, character: end } } };
}

describe('go to definition', () => {
  test('the memory variable goes to memory.key', () => {
    assert.deepEqual(definition('---\nmemory:\n  key: chat_history\n---\n{chat_his|tory}\nHuman: {input}\n'), [at(2, 7, 19)]);
  });

  test('a quoted memory.key: the name inside the quotes', () => {
    assert.deepEqual(definition('---\nmemory:\n  key: "chat_history"\n---\n{chat_history|}\n{input}\n'), [at(2, 8, 20)]);
  });

  test('an implicit memory key goes to the memory block that leaves it out', () => {
    assert.deepEqual(definition('---\nmemory:\n  type: buffer\n---\n{hist|ory}\n{input}\n'), [at(1, 0, 6)]);
  });

  test('an implicit memory key without a memory block has no definition', () => {
    assert.deepEqual(definition('{hist|ory}\n{input}\n'), []);
  });

  test('a partial goes to its key', () => {
    assert.deepEqual(definition('---\npartial_variables:\n  persona: a pirate\n---\n{pers|ona} {history} {input}\n'), [at(2, 2, 9)]);
  });

  test('a declared variable goes to its input_variables entry; input_key first', () => {
    const source = '---\ninput_variables: [question, context]\ninput_key: question\n---\n{history} {question|} {context}\n';
    assert.deepEqual(definition(source), [at(2, 11, 19), at(1, 18, 26)]);
  });

  test('a variable nothing declares has none', () => {
    assert.deepEqual(definition('{history} {input} {top|ic}\n'), []);
  });

  test('nothing outside variables', () => {
    assert.deepEqual(definition('He|llo {input}\n'), []);
  });
});
