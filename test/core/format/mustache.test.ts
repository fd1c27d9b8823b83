import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Mustache from 'mustache';
import { scanMustache } from '../../../core/format/mustache';
import { FileOffsets } from '../../../core/format/text';

const identity = FileOffsets.from(0);

function references(source: string): [string, string, string][] {
  return scanMustache(source, identity).variables.map((v) => [
    v.name,
    source.slice(v.nameSpan.start, v.nameSpan.end),
    source.slice(v.span.start, v.span.end),
  ]);
}

function problemsOf(source: string): [string, string][] {
  return scanMustache(source, identity).problems.map((p) => [p.code, source.slice(p.span.start, p.span.end)]);
}

describe('mustache templates (LangChain.js semantics)', () => {
  test('plain, triple and ampersand variables, with spans', () => {
    assert.deepEqual(references('Hi {{name}}, {{{raw}}} {{& amp }}'), [
      ['name', 'name', '{{name}}'],
      ['raw', 'raw', '{{{raw}}}'],
      ['amp', 'amp', '{{& amp }}'],
    ]);
  });

  test('a dotted name is its first segment', () => {
    assert.deepEqual(references('{{user.name}}'), [['user', 'user', '{{user.name}}']]);
  });

  test('sections name a variable, opening and closing tags both; #-section contents count', () => {
    assert.deepEqual(references('{{#items}}{{title}}{{/items}}'), [
      ['items', 'items', '{{#items}}'],
      ['title', 'title', '{{title}}'],
      ['items', 'items', '{{/items}}'],
    ]);
  });

  test('like LangChain.js, variables inside an inverted section are not input variables', () => {
    assert.deepEqual(references('{{^empty}}{{hidden}}{{/empty}}'), [
      ['empty', 'empty', '{{^empty}}'],
      ['empty', 'empty', '{{/empty}}'],
    ]);
  });

  test('comments, the implicit iterator and partials', () => {
    assert.deepEqual(references('{{! note }}{{.}}{{>part}}'), [['part', 'part', '{{>part}}']]);
  });

  test('an unclosed tag points at its opening braces', () => {
    assert.deepEqual(problemsOf('Hi {{name}} and {{other'), [['mustache-syntax', '{{']]);
    const [only] = scanMustache('Hi {{name}} and {{other', identity).problems;
    assert.deepEqual(only?.span, { start: 16, end: 18 });
  });

  test('an unopened section points at the closing tag', () => {
    assert.deepEqual(problemsOf('text {{/items}}'), [['mustache-syntax', '{{/items}}']]);
  });

  test('a mismatched closing tag points at that tag', () => {
    assert.deepEqual(problemsOf('{{#a}}x{{/b}}'), [['mustache-syntax', '{{/b}}']]);
  });

  test('a section never closed points at its opening tag', () => {
    assert.deepEqual(problemsOf('{{#a}}x{{#b}}y{{/b}}'), [['mustache-syntax', '{{#a}}']]);
  });

  test('syntax errors carry a readable message without the raw offset', () => {
    const [only] = scanMustache('{{#a}}', identity).problems;
    assert.match(only?.message ?? '', /^Mustache syntax error: Unclosed section "a"\./);
  });

  test('sections nested past LangChain.js depth limit are reported', () => {
    const source = '{{#a}}'.repeat(300) + '{{/a}}'.repeat(300);
    const { problems } = scanMustache(source, identity);
    assert.deepEqual(problems.map((p) => [p.code, p.span.start]), [['mustache-too-deep', 255 * 6]]);
  });

  test('spans go through the mapper', () => {
    const [first] = scanMustache('{{x}}', FileOffsets.from(10)).variables;
    assert.deepEqual(first?.span, { start: 10, end: 15 });
  });
});

describe('mustache tags with long runs of whitespace', () => {
  const run = '\t'.repeat(100_000);

  test('a tag closed after 100,000 tabs is read as mustache.js reads it', () => {
    assert.deepEqual(references(`{{! note${run}}}{{ name${run}}}{{{ raw${run}}}}{{=<% %>=}}<% late${run}%>`), [
      ['name', 'name', `{{ name${run}}}`],
      ['raw', 'raw', `{{{ raw${run}}}}`],
      ['late', 'late', `<% late${run}%>`],
    ]);
  });

  test('a tag left open before 100,000 tabs is one unclosed-tag problem at its `{{`', () => {
    assert.deepEqual(problemsOf(`Hi {{! the conversation${run}\n{{name}`), [['mustache-syntax', '{{']]);
  });

  test('mustache.js renders the same text through the faster scanner', () => {
    assert.equal(Mustache.render(`a{{ x \t }}b{{{ y\t}}}c{{! z \n }}d`, { x: 1, y: '<' }), 'a1b<cd');
  });
});

describe('an unclosed section with a huge name', () => {
  test('is one problem at its opening tag, not a failure building a regex from the name', () => {
    const name = `examples}${'{'.repeat(100_000)}`;
    const source = `{{#${name}}}No examples.`;
    const problems = problemsOf(source);
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.[0], 'mustache-syntax');
  });

  test('an unclosed section is still found at its opening tag', () => {
    assert.deepEqual(problemsOf('a {{# items }} b'), [['mustache-syntax', '{{# items }}']]);
  });
});
