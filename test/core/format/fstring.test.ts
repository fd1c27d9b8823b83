import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { scanFString } from '../../../core/format/fstring';
import { FileOffsets } from '../../../core/format/text';

const identity = FileOffsets.from(0);

/** [code, offending source text] for each problem. */
function problemsOf(source: string): [string, string][] {
  return scanFString(source, identity).problems.map((p) => [p.code, source.slice(p.span.start, p.span.end)]);
}

describe('f-string templates (Python LangChain semantics)', () => {
  test('variables with name and whole-reference spans, in source order', () => {
    const source = 'Hi {name}, {greeting} {name}';
    const { variables, problems } = scanFString(source, identity);
    assert.deepEqual(problems, []);
    assert.deepEqual(variables.map(({ name, nameSpan, span }) => ({ name, nameSpan, span })), [
      { name: 'name', nameSpan: { start: 4, end: 8 }, span: { start: 3, end: 9 } },
      { name: 'greeting', nameSpan: { start: 12, end: 20 }, span: { start: 11, end: 21 } },
      { name: 'name', nameSpan: { start: 23, end: 27 }, span: { start: 22, end: 28 } },
    ]);
  });

  test('parts concatenate to the formatted text; {{ and }} are literal braces', () => {
    const { parts, variables } = scanFString('a {{literal}} {x} }} {{', identity);
    assert.deepEqual(parts, [
      { kind: 'text', text: 'a {literal} ' },
      { kind: 'variable', name: 'x' },
      { kind: 'text', text: ' } {' },
    ]);
    assert.equal(variables.length, 1);
  });

  test('keeps names exactly as Python reads them, spaces included', () => {
    const { variables, problems } = scanFString('{chat_history }', identity);
    assert.deepEqual(problems, []);
    assert.equal(variables[0]?.name, 'chat_history ');
  });

  test('unclosed { at the end of the template', () => {
    assert.deepEqual(problemsOf('Hello {name'), [['fstring-unclosed-brace', '{']]);
  });

  test('unclosed { at the end of a line: the field never swallows the next line', () => {
    const source = 'a {b\n{c}';
    const { variables, problems } = scanFString(source, identity);
    assert.deepEqual(problems.map((p) => [p.code, p.span]), [['fstring-unclosed-brace', { start: 2, end: 3 }]]);
    assert.deepEqual(variables.map((v) => v.name), ['c']);
  });

  test('a { inside a field name: the outer brace is unclosed, the inner field still parses', () => {
    const { variables, problems } = scanFString('{a{b}', identity);
    assert.deepEqual(problems.map((p) => [p.code, p.span]), [['fstring-unclosed-brace', { start: 0, end: 1 }]]);
    assert.deepEqual(variables.map((v) => [v.name, v.span]), [['b', { start: 2, end: 5 }]]);
  });

  test('single }', () => {
    assert.deepEqual(problemsOf('a } b'), [['fstring-single-close-brace', '}']]);
    assert.deepEqual(problemsOf('{x}}'), [['fstring-single-close-brace', '}']]);
  });

  test('empty field {}', () => {
    assert.deepEqual(problemsOf('x {} y'), [['fstring-empty-field', '{}']]);
    assert.deepEqual(problemsOf('{:>3}'), [['fstring-empty-field', '{:>3}']]);
  });

  test('all-digit names are positional fields', () => {
    assert.deepEqual(problemsOf('{0} and {12}'), [
      ['fstring-positional-field', '{0}'],
      ['fstring-positional-field', '{12}'],
    ]);
    assert.deepEqual(problemsOf('{x0}'), []);
  });

  test('attribute and index access', () => {
    assert.deepEqual(problemsOf('{user.name} {items[0]} {a]b}'), [
      ['fstring-field-access', '{user.name}'],
      ['fstring-field-access', '{items[0]}'],
      ['fstring-field-access', '{a]b}'],
    ]);
  });

  test('an index may hold braces, as in Python: the field ends after the ]', () => {
    assert.deepEqual(problemsOf('{x[}]}'), [['fstring-field-access', '{x[}]}']]);
  });

  test('conversions and format specs are reported but the variable still counts', () => {
    const { variables, problems } = scanFString('{x!r} {y:>10} {z:{w}}', identity);
    assert.deepEqual(problems.map((p) => p.code), ['fstring-conversion', 'fstring-format-spec', 'fstring-format-spec']);
    assert.deepEqual(problems.map((p) => p.span), [{ start: 0, end: 5 }, { start: 6, end: 13 }, { start: 14, end: 21 }]);
    assert.deepEqual(variables.map((v) => v.name), ['x', 'y', 'z']);
  });

  test('a format spec left open is an unclosed brace', () => {
    assert.deepEqual(problemsOf('{x:>10\n{y}'), [['fstring-unclosed-brace', '{']]);
  });

  test('spans go through the mapper to file offsets', () => {
    const { variables, problems } = scanFString('{a} }', FileOffsets.from(100));
    assert.deepEqual(variables[0]?.span, { start: 100, end: 103 });
    assert.deepEqual(problems[0]?.span, { start: 104, end: 105 });
  });

  test('a line of broken brackets stays linear and reports each open brace', () => {
    const source = '{['.repeat(20_000);
    const { problems } = scanFString(source, identity);
    assert.ok(problems.length >= 1 && problems.every((p) => p.code === 'fstring-unclosed-brace'));
  });

  test('problem data names the field for quick fixes', () => {
    const [first] = scanFString('{a.b}', identity).problems;
    assert.deepEqual(first?.data, { name: 'a.b' });
  });
});
