import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTemplate } from '../../../core/format/template';

describe('parseTemplate', () => {
  test('source has Python universal newlines; spans still point into the CRLF file', () => {
    const text = 'xx{a}\r\nline\r\n{b}\rz';
    const template = parseTemplate(text, { start: 2, end: text.length }, 'f-string');
    assert.equal(template.source, '{a}\nline\n{b}\nz');
    assert.deepEqual(template.parts, [
      { kind: 'variable', name: 'a' },
      { kind: 'text', text: '\nline\n' },
      { kind: 'variable', name: 'b' },
      { kind: 'text', text: '\nz' },
    ]);
    assert.deepEqual(template.variables.map((v) => text.slice(v.span.start, v.span.end)), ['{a}', '{b}']);
    assert.deepEqual(template.span, { start: 2, end: text.length });
  });

  test('mustache: one part holding the whole source, spans mapped through CRLF', () => {
    const text = '\r\n\r\n{{a}}\r\n{{b.c}}';
    const template = parseTemplate(text, { start: 0, end: text.length }, 'mustache');
    assert.deepEqual(template.parts, [{ kind: 'mustache', source: '\n\n{{a}}\n{{b.c}}' }]);
    assert.deepEqual(template.variables.map((v) => [v.name, text.slice(v.nameSpan.start, v.nameSpan.end)]), [['a', 'a'], ['b', 'b']]);
  });

  test('an empty span is an empty template', () => {
    const template = parseTemplate('abc', { start: 1, end: 1 }, 'f-string');
    assert.equal(template.source, '');
    assert.deepEqual(template.parts, []);
    assert.deepEqual(template.problems, []);
  });
});
