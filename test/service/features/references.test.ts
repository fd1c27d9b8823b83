import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Location } from 'vscode-languageserver-types';
import { MAX_REFERENCES, getReferences } from '../../../service/features/references';
import { rangeOf } from '../../../service/features/spans';
import { templateRefs } from '../../../service/features/variables';
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

describe('references of many uses', () => {
  test('a variable used 50,000 times on one line: the first MAX_REFERENCES, declaration first, each at its place', () => {
    const n = 50_000;
    const text = `---\nmemory:\n  key: h\n---\n${'x{h}'.repeat(n)}\n`;
    const f = fixture(text.replace('x{h}', 'x{|h}'));
    const found = getReferences(f.ctx, f.position, { includeDeclaration: true });
    assert.equal(found.length, MAX_REFERENCES);
    assert.deepEqual(found[0], at(2, 7, 8));
    found.slice(1).forEach((location, i) => assert.deepEqual(location, at(4, 4 * i + 2, 4 * i + 3)));
    const uses = getReferences(f.ctx, f.position, { includeDeclaration: false });
    assert.equal(uses.length, MAX_REFERENCES);
    assert.deepEqual(uses.at(-1), at(4, 4 * (MAX_REFERENCES - 1) + 2, 4 * (MAX_REFERENCES - 1) + 3));
  });

  test('from the last of 50,000 uses, and from between them: found by position, not by a scan', () => {
    const text = `${'{a}{b}'.repeat(25_000)}\n`;
    const f = fixture(text, { cursor: false });
    const last = f.ctx.textDocument.positionAt(text.length - 3);
    assert.deepEqual(getReferences(f.ctx, last)[0], at(0, 4, 5));
    assert.deepEqual(getReferences(f.ctx, { line: 0, character: 3 }), []); // between `}` and `{`
  });

  test('ranges across CR, CRLF and LF line breaks are the document\'s own', () => {
    const text = '{a}\r\n {a}\r{a} x {a}\n\n{a}\r\n\r\n{a}';
    const f = fixture(`${text}\n`, { cursor: false });
    const found = getReferences(f.ctx, { line: 0, character: 1 });
    assert.deepEqual(found.map((l) => l.range), templateRefs(f.ctx).map((ref) => rangeOf(f.ctx, ref.nameSpan)));
    assert.equal(found.length, 6);
  });
});
