// Prompty import: fixtures from microsoft/prompty's spec (spec/fixtures/, MIT) and written from spec/spec.md
// (v1 keys, mustache, Jinja2 escapes) become `.prompt` files that check clean, and our engine formats the
// messages Prompty's render + parse give (§5, §6: role lines, blank edge lines trimmed, the thread expanded
// where it is written, text around it kept in the same role). The expected messages are the spec's.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { promptyImporter } from '../../../core/interop/import/prompty';
import { trimBlankEdgeLines } from '../../../core/interop/import/importedParts';
import type { Turn } from '../../../core/chain/types';
import { fixtureText, formatImported } from './importedFormatting';
import { interopFailure } from './interopFailure';

function read(name: string) {
  assert.ok(promptyImporter.recognizes('', name), `${name} is recognized as Prompty`);
  return promptyImporter.read(fixtureText('prompty', name), name);
}

function refusal(name: string): string {
  const error = interopFailure(() => read(name));
  assert.equal(error.kind, 'invalid-source');
  return error.message;
}

const turns: Turn[] = [{ input: 'Hi {there}', output: 'Hello }{' }];
const history = [{ type: 'human', content: 'Hi {there}' }, { type: 'ai', content: 'Hello }{' }] as const;

describe('Prompty import', () => {
  test('recognized by its extension only', () => {
    assert.equal(promptyImporter.recognizes('---\nname: x\n---\nsystem:\nhi', 'a.prompty'), true);
    assert.equal(promptyImporter.recognizes('---\nname: x\n---\nsystem:\nhi', 'A.PROMPTY'), true);
    assert.equal(promptyImporter.recognizes('---\nname: x\n---\nsystem:\nhi', 'a.prompt'), false);
  });

  test('basic: model options become parameters, defaults partials, the question takes the input', () => {
    const reading = read('basic.prompty');
    const formatted = formatImported(reading, { question: 'Why {not}?' });
    assert.equal(formatted.inputKey, 'question');
    assert.deepEqual(formatted.messages, [
      { type: 'system', content: 'You are an AI assistant who helps people find information.\n\n# Customer\nYou are helping Jane Doe to find answers to their questions.' },
      { type: 'human', content: 'Why {not}?' },
    ]);
    assert.equal(reading.prompt.model, 'gpt-4');
    assert.deepEqual(reading.prompt.parameters, { temperature: 0.7, max_tokens: 1000 });
    assert.deepEqual(reading.prompt.partialVariables, { firstName: 'Jane', lastName: 'Doe' });
    assert.equal(reading.prompt.memory, false);
    for (const expected of ['`model.connection`', '`metadata`', 'The default of `question`']) {
      assert.ok(reading.notCarried.some((line) => line.includes(expected)), `${expected} in ${reading.notCarried.join('\n')}`);
    }
    assert.doesNotMatch(formatImported(reading, { question: 'q' }).file, /OPENAI|endpoint|apiKey/, 'no endpoint or key is written');
  });

  test('kind: thread is the MessagesPlaceholder where it is written, filled by the memory', () => {
    const reading = read('threaded.prompty');
    const formatted = formatImported(reading, { question: 'And now?' }, turns);
    assert.deepEqual(formatted.messages, [{ type: 'system', content: 'You are a helpful assistant.' }, ...history, { type: 'human', content: 'And now?' }]);
    assert.deepEqual(reading.prompt.memory, { key: 'conversation', returnMessages: true });
    assert.match(formatted.file, /^placeholder:\n\{conversation\}$/m);
  });

  test('v1 keys: model.api, configuration (its endpoint not carried), parameters, sample', () => {
    const reading = read('v1-chat.prompty');
    const formatted = formatImported(reading, { firstName: 'Seth', context: 'A {tent}.', question: 'Clothing?' });
    assert.equal(formatted.inputKey, 'question');
    assert.equal(reading.prompt.model, 'gpt-35-turbo');
    assert.deepEqual(reading.prompt.parameters, { max_tokens: 3000, temperature: 0.2 });
    assert.equal(formatted.messages.length, 2);
    assert.match(formatted.messages[0]?.content ?? '', /^You are an AI assistant[\s\S]*You are helping Seth to find[\s\S]*response to Seth:\nA \{tent\}\.$/);
    for (const expected of ['`model.configuration`', '`model.parameters.response_format`', '`sample`', '`authors`']) {
      assert.ok(reading.notCarried.some((line) => line.includes(expected)), `${expected} in ${reading.notCarried.join('\n')}`);
    }
  });

  test('Jinja2: literal braces doubled, comments dropped, string literals and raw blocks kept, - trims, # role lines', () => {
    const reading = read('jinja-escapes.prompty');
    const formatted = formatImported(reading, { question: '{q}' }, turns);
    assert.deepEqual(formatted.messages, [
      { type: 'system', content: 'Answer with a JSON object {"answer": "..."}; a set is written {1, 2}.\n\nLiteral Jinja: {{ and {{ not_a_variable }}.\nPrevious turns:' },
      ...history,
      { type: 'system', content: 'Now: answer.' },
      { type: 'human', content: '{q}' },
    ]);
  });

  test('mustache stays mustache; role lines in any case; the escaping difference is listed', () => {
    const reading = read('mustache.prompty');
    assert.equal(reading.prompt.templateFormat, 'mustache');
    const formatted = formatImported(reading, { question: '<b>{x}</b>' }, turns);
    assert.deepEqual(formatted.messages, [
      { type: 'system', content: 'You explain cooking in plain words; JSON like {"a": 1} stays as written.' },
      { type: 'human', content: '<b>{x}</b>' },
      ...history,
    ]);
    assert.deepEqual(reading.prompt.parameters, { temperature: 0.3, stop: ['###'] });
    assert.ok(reading.notCarried.some((line) => line.includes('HTML-escapes')));
    assert.ok(reading.notCarried.some((line) => line.includes('model.options.topK')));
  });

  test('outputs and tools are listed as not carried', () => {
    assert.ok(read('structured.prompty').notCarried.some((line) => line.startsWith('`outputs`')));
    assert.ok(read('tools-function.prompty').notCarried.some((line) => line.startsWith('`tools`')));
    // No variable takes the user's input: the copy says so (no-input-variable) rather than invent one.
    assert.deepEqual(read('minimal.prompty').prompt.prompt, { kind: 'chat', messages: [{ kind: 'message', role: 'system', template: 'Hello world.' }] });
  });

  test('statements, expressions and rich inputs are refused with the reason', () => {
    assert.match(refusal('summarize.prompty'), /^Line 16: `\{% if context %\}` is a Jinja2 statement/);
    assert.match(refusal('multimodal.prompty'), /is an image input; a LangChain message template here holds text only/);
    const refused = (body: string) => () => promptyImporter.read(`---\nname: x\n---\nuser:\n${body}\n`, 'x.prompty');
    assert.throws(refused('{{ name | upper }}'), /Line 5: .* is a Jinja2 expression/);
    assert.throws(refused('{{ user.name }}'), /a Jinja2 expression/);
    assert.throws(refused('{{ name'), /never closed/);
    assert.throws(() => promptyImporter.read('---\nname: x\nuser:\nhi\n', 'x.prompty'), /never closes/);
    assert.throws(() => promptyImporter.read('---\nmodel: {id: e, apiType: embedding}\n---\nhi\n', 'x.prompty'), /`embedding`/);
  });

  test("as the runtimes parse: text before the first role line is a system message, adjacent role lines give none, a blank line an empty one", () => {
    const reading = promptyImporter.read('Be terse.\n\nuser:\nassistant:\n{{question}}\n\nUSER:\n\n# system:\nEnd.\n', 'x.prompty');
    assert.deepEqual(formatImported(reading, { question: 'q' }).messages, [
      { type: 'system', content: 'Be terse.' },
      { type: 'ai', content: 'q' },
      { type: 'human', content: '' },
      { type: 'system', content: 'End.' },
    ]);
  });

  test('generated Jinja2 text: every literal brace survives, variables are substituted, as Jinja2 renders them', () => {
    // Literal text Jinja2 reads as text: no `{{`, `{%`, `{#`, and no `{` right before a tag.
    const text = fc.stringMatching(/^[a {}":\n]{0,12}$/).filter((chunk) => !/\{[{%#]/.test(chunk) && !chunk.endsWith('{'));
    const tag = fc.constantFrom(['{{ alpha }}', 'alpha'], ['{{beta}}', 'beta']);
    fc.assert(
      fc.property(fc.array(fc.tuple(text, tag), { minLength: 1, maxLength: 5 }), text, fc.stringMatching(/^[a-z{} ]{1,6}$/), (pairs, last, value) => {
        const values: Record<string, string> = { alpha: `${value}!`, beta: `<${value}}` };
        const body = pairs.map(([chunk, [written]]) => chunk + written).join('') + last;
        // The loaders trim the body (here only its end: `user:` comes first); a message drops its blank edge lines.
        const rendered = body.trimEnd().replace(/\{\{ alpha \}\}|\{\{beta\}\}/g, (written) => (written === '{{beta}}' ? values.beta : values.alpha) ?? '');
        const reading = promptyImporter.read(`---\nname: generated\n---\nuser:\n${body}\n`, 'generated.prompty');
        const formatted = formatImported(reading, values);
        assert.deepEqual(formatted.messages, [{ type: 'human', content: trimBlankEdgeLines(rendered) }]);
      }),
      { numRuns: 300 },
    );
  });
});
