// Property tests: whatever the text, parsePrompt returns a model with sane spans and never throws.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parsePrompt } from '../../../core/format/parse';
import type { PromptDocument, Span } from '../../../core/format/model';

const fragments = [
  '---', '---\n', '\n', '\r\n', '\r', ' ', '\t', '\uFEFF', '\u0000', '\u0001', '\uFFFD', '\uD800', '😀',
  'memory:', '  key: chat_history', '  return_messages: true', '  k: 3', 'memory: false', 'api: chat', 'api: completion',
  'template_format: mustache', 'parameters:', '  temperature: 3', '  stop: [a, 1]', 'input_variables: [a', 'partial_variables:',
  '&a [*a]', '*a', '"', "'", ': ', '- ', '? ', '|', '>', '#',
  '{', '}', '{{', '}}', '{x}', '{x!r}', '{x:>1}', '{0}', '{a.b}', '{a[', ']', '{}', '{{#s}}', '{{/s}}', '{{^x}}', '{{=<% %>=}}', '{{>p}}',
  'system:', 'human:', 'user:', 'ai:', 'assistant:', 'placeholder:', 'text', 'Human: {input}',
];

const promptText = fc.oneof(
  fc.array(fc.constantFrom(...fragments), { maxLength: 60 }).map((parts) => parts.join('')),
  fc.array(fc.oneof(fc.constantFrom(...fragments), fc.string({ maxLength: 8 })), { maxLength: 40 }).map((parts) => parts.join('')),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

/** A valid example with random edits: insertions, deletions and replacements of fragments. */
const example = '---\nmemory:\n  key: chat_history\n  return_messages: true\n---\nsystem:\nYou are a chatbot.\n\nplaceholder:\n{chat_history}\n\nhuman:\n{human_input}\n';
const mutatedExample = fc
  .array(fc.tuple(fc.nat(example.length), fc.nat(6), fc.constantFrom(...fragments)), { maxLength: 8 })
  .map((edits) => edits.reduce((text, [at, remove, insert]) => text.slice(0, at) + insert + text.slice(at + remove), example));

function assertSaneSpans(doc: PromptDocument, text: string): void {
  const check = (span: Span, what: string) => {
    assert.ok(Number.isInteger(span.start) && Number.isInteger(span.end), `${what}: integer offsets`);
    assert.ok(span.start >= 0 && span.start <= span.end && span.end <= text.length, `${what}: ${JSON.stringify(span)} within ${text.length}`);
  };
  for (const problem of doc.problems) {
    check(problem.span, `problem ${problem.code}`);
    // An empty range is invisible in an editor; YAML errors are often reported at a point.
    if (problem.code.startsWith('yaml-')) assert.ok(problem.span.end > problem.span.start, `${problem.code} has an empty range`);
  }
  check(doc.body.span, 'body');
  const templates = doc.body.kind === 'completion' ? [doc.body.template] : doc.body.messages.map((m) => m.template);
  if (doc.body.kind === 'chat') {
    for (const message of doc.body.messages) {
      check(message.span, 'message');
      check(message.header.span, 'header');
    }
  }
  for (const template of templates) {
    check(template.span, 'template');
    for (const variable of template.variables) {
      check(variable.span, 'variable');
      check(variable.nameSpan, 'variable name');
    }
  }
  const frontMatter = doc.frontMatter;
  if (frontMatter) {
    check(frontMatter.span, 'front matter');
    check(frontMatter.yamlSpan, 'yaml');
    for (const field of frontMatter.fields) {
      check(field.keySpan, `key ${field.path.join('.')}`);
      check(field.valueSpan, `value ${field.path.join('.')}`);
    }
  }
}

describe('parsePrompt on arbitrary text', () => {
  test('random fragment soup, arbitrary strings and binary: never throws, spans within the text', () => {
    fc.assert(
      fc.property(promptText, (text) => {
        assertSaneSpans(parsePrompt(text), text);
      }),
      { numRuns: 400 },
    );
  });

  test('mutations of a valid example: never throws, spans within the text', () => {
    fc.assert(
      fc.property(mutatedExample, (text) => {
        assertSaneSpans(parsePrompt(text), text);
      }),
      { numRuns: 400 },
    );
  });

  test('a document without problems round-trips its template sources from their spans', () => {
    fc.assert(
      fc.property(mutatedExample, (text) => {
        const doc = parsePrompt(text);
        if (doc.problems.length > 0) return;
        const templates = doc.body.kind === 'completion' ? [doc.body.template] : doc.body.messages.map((m) => m.template);
        for (const template of templates) {
          assert.equal(template.source, text.slice(template.span.start, template.span.end).replace(/\r\n?/g, '\n'));
        }
      }),
      { numRuns: 300 },
    );
  });
});
