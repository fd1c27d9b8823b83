import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import Mustache from 'mustache';
import { mustacheTags, type MustacheToken } from '../../../core/format/mustacheTags';
import { scanMustache } from '../../../core/format/mustache';
import { FileOffsets } from '../../../core/format/text';

type LibraryToken = [string, string, number, number, unknown?, unknown?, ...unknown[]];

/** mustache.js's own parse (no cache), reduced to its tags: what mustacheTags gives, or the error it throws. */
function libraryTags(template: string): MustacheToken[] | { error: string } {
  const writer = new Mustache.Writer();
  (writer as unknown as { templateCache: unknown }).templateCache = undefined;
  let tokens: LibraryToken[];
  try {
    tokens = writer.parse(template, ['{{', '}}']) as unknown as LibraryToken[];
  } catch (error) {
    return { error: (error as Error).message };
  }
  return tagsOf(tokens);
}

function tagsOf(tokens: readonly LibraryToken[]): MustacheToken[] {
  return tokens
    .filter((token) => token[0] !== 'text')
    .map((token): MustacheToken => {
      const [type, value, start, end, children, closeStart] = token;
      if (type !== '#' && type !== '^') return [type, value, start, end];
      return [type, value, start, end, tagsOf(children as LibraryToken[]), closeStart as number];
    });
}

function ours(template: string): MustacheToken[] | { error: string } | undefined {
  try {
    return mustacheTags(template);
  } catch (error) {
    return { error: (error as Error).message };
  }
}

// Pieces that reach every branch of mustache.js's scanner: each tag type, triple braces, stray and
// doubled braces, spaces of several kinds (JavaScript's \s, which its regexes use) and line breaks.
const pieces = ['{{', '}}', '{{{', '}}}', '{', '}', '#', '^', '/', '>', '&', '!', '=', '.', 'a', 'b', 'ab', ' ', '  ', '\t', '\n', '\r\n', '\u00a0', '\u2028', '\ufeff', 'x.y', '{{#a}}', '{{/a}}', '{{^b}}', '{{/b}}', '{{a}}', '{{ b }}', '{{{a}}}', '{{& b}}', '{{!c}}', '{{>p}}'];
const templates = fc.array(fc.constantFrom(...pieces), { maxLength: 40 }).map((parts) => parts.join(''));

describe('mustache tags in one pass (mustacheTags)', () => {
  test('the same tags, sections, offsets and errors as mustache.js, on generated templates', () => {
    fc.assert(
      fc.property(templates, (template) => {
        const fast = ours(template);
        if (fast === undefined) return template.includes('=') && template.includes('{{'); // delimiters changed
        assert.deepEqual(fast, libraryTags(template), JSON.stringify(template));
        return true;
      }),
      { numRuns: 20_000 },
    );
  });

  test('a template that changes its delimiters is left to mustache.js, which still reads it', () => {
    assert.equal(mustacheTags('{{=<% %>=}}<% name %>'), undefined);
    assert.deepEqual(scanMustache('{{=<% %>=}}<% name %>', FileOffsets.from(0)).variables.map((v) => v.name), ['name']);
  });

  test('a partial is one reference, not two (its token carries no closing tag)', () => {
    const refs = scanMustache('{{a}} {{>x}}', FileOffsets.from(0)).variables.map((v) => [v.name, v.span.start]);
    assert.deepEqual(refs, [['a', 0], ['x', 6]]);
  });

  test('30,000 tags on one line: every one found, in one pass', () => {
    const template = `{{! note {{x}}${'{{x}}'.repeat(30_000)}`;
    const scan = scanMustache(template, FileOffsets.from(0));
    assert.equal(scan.problems.length, 0);
    assert.equal(scan.variables.length, 30_000);
  });
});
