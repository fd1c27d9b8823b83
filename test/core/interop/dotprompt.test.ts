// Dotprompt import: the fixtures (written from google/dotprompt's spec/ and docs) become `.prompt` files that
// check clean, and our engine formats the same messages Dotprompt renders — checked against the real
// Handlebars (4.7, as Dotprompt uses it: noEscape, its role and history helpers) and Dotprompt's own
// toMessages, reimplemented below from js/src/parse.ts. The one difference, by design: a message of ours
// starts and ends with its text (Dotprompt keeps the line break before the next role).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import Handlebars from 'handlebars';
import { dotpromptImporter } from '../../../core/interop/import/dotprompt';
import { trimBlankEdgeLines } from '../../../core/interop/import/importedParts';
import { otherToolParts } from '../../../core/interop/otherTools';
import { InteropError } from '../../../core/interop/types';
import type { ChatMessage, Turn } from '../../../core/chain/types';
import { fixtureText, formatImported } from './importedFormatting';
import { interopFailure } from './interopFailure';

// ---- Dotprompt itself ---------------------------------------------------------------------------------

const dotpromptRoles: Readonly<Record<string, ChatMessage['type']>> = { user: 'human', model: 'ai', system: 'system' };

/** Dotprompt's render + toMessages (js/src/dotprompt.ts, parse.ts), the history given as LangChain messages. */
function dotpromptMessages(source: string, input: Record<string, string>, history: readonly ChatMessage[] = []): ChatMessage[] {
  const handlebars = Handlebars.create();
  handlebars.registerHelper('role', (role: string) => new handlebars.SafeString(`<<<dotprompt:role:${role}>>>`));
  handlebars.registerHelper('history', () => new handlebars.SafeString('<<<dotprompt:history>>>'));
  const template = otherToolParts(source).body.trim();
  const rendered = handlebars.compile(template, { noEscape: true, knownHelpers: { role: true, history: true }, knownHelpersOnly: true })(input);
  let current: { role: string; source: string; history?: ChatMessage } = { role: 'user', source: '' };
  const sources = [current];
  for (const piece of rendered.split(/(<<<dotprompt:(?:role:[a-z]+|history))>>>/g).filter((s) => s.trim() !== '')) {
    if (piece.startsWith('<<<dotprompt:role:')) {
      const role = piece.slice('<<<dotprompt:role:'.length);
      if (current.source.trim()) sources.push((current = { role, source: '' }));
      else current.role = role;
    } else if (piece.startsWith('<<<dotprompt:history')) {
      for (const message of history) sources.push({ role: '', source: '', history: message });
      sources.push((current = { role: 'model', source: '' }));
    } else current.source += piece;
  }
  return sources
    .filter((entry) => entry.history || entry.source)
    .map((entry) => entry.history ?? ({ type: dotpromptRoles[entry.role] ?? 'human', content: entry.source } as ChatMessage));
}

/** Dotprompt's messages as a `.prompt` message holds them: blank lines at either end dropped. */
function asOurs(messages: readonly ChatMessage[]): ChatMessage[] {
  return messages.map((message) => ({ ...message, content: trimBlankEdgeLines(message.content) }) as ChatMessage);
}

function historyOf(turns: readonly Turn[]): ChatMessage[] {
  return turns.flatMap((turn): ChatMessage[] => [{ type: 'human', content: turn.input }, { type: 'ai', content: turn.output }]);
}

function read(name: string) {
  const text = fixtureText('dotprompt', name);
  assert.ok(dotpromptImporter.recognizes(text, name), `${name} is recognized as Dotprompt`);
  return { text, reading: dotpromptImporter.read(text, name) };
}

function refusal(name: string): string {
  const error = interopFailure(() => read(name));
  assert.equal(error.kind, 'invalid-source');
  return error.message;
}

// ---- fixtures -----------------------------------------------------------------------------------------

describe('Dotprompt import', () => {
  test('a greeting: {{name}} becomes {name}, literal braces stay literal, config becomes parameters', () => {
    const { text, reading } = read('greeting.prompt');
    const input = 'Ada {not a variable}';
    const formatted = formatImported(reading, { name: input });
    assert.equal(formatted.inputKey, 'name');
    assert.deepEqual(formatted.messages, asOurs(dotpromptMessages(text, { name: input })));
    assert.deepEqual(formatted.messages, [{ type: 'human', content: 'Hello, Ada {not a variable}! Answer as JSON: {"greeting": "..."} and keep {braces} and }} as written.' }]);
    assert.equal(reading.prompt.model, 'googleai/gemini-1.5-flash');
    assert.deepEqual(reading.prompt.parameters, { temperature: 0.9, max_tokens: 256, top_p: 0.95, stop: ['END'] });
    assert.equal(reading.prompt.memory, false);
    assert.ok(reading.notCarried.some((line) => line.includes('config.topK')));
    assert.ok(reading.notCarried.some((line) => line.includes('The default of `name`')), 'the input takes no default');
  });

  test('roles and {{history}}: system, the conversation as a MessagesPlaceholder, the user turn', () => {
    const { text, reading } = read('chat-history.prompt');
    const turns: Turn[] = [{ input: 'Hi {there}', output: 'Hello! }{' }];
    const formatted = formatImported(reading, { question: 'How do I write `{}`?' }, turns);
    assert.deepEqual(formatted.messages, asOurs(dotpromptMessages(text, { question: 'How do I write `{}`?' }, historyOf(turns))));
    assert.equal(formatted.messages[0]?.content, 'You are a support agent. Quote code in `{` braces `}` exactly.');
    assert.deepEqual(reading.prompt.memory, { key: 'history', returnMessages: true });
    assert.equal(reading.prompt.name, 'support-agent');
    assert.equal(reading.prompt.description, 'Answers questions with the conversation so far');
    assert.match(formatted.file, /^placeholder:\n\{history\}$/m);
  });

  test('a role marker on the line of its text (spec system_role), with the input key written for two variables', () => {
    const { text, reading } = read('system-role.prompt');
    const formatted = formatImported(reading, { systemGreeting: 'hi', userGreeting: 'howdy' });
    assert.equal(formatted.inputKey, 'userGreeting');
    assert.match(formatted.file, /^input_key: userGreeting$/m);
    assert.deepEqual(formatted.messages, asOurs(dotpromptMessages(text, { systemGreeting: 'hi', userGreeting: 'howdy' })));
    assert.deepEqual(formatted.messages, [{ type: 'system', content: 'hi from system' }, { type: 'human', content: 'howdy from user' }]);
  });

  test('comments, ~ whitespace control, \\{{ escapes, {{{triple}}} and {{&amp}} render as Handlebars renders them', () => {
    const { text, reading } = read('whitespace.prompt');
    const values = { name: 'Bo', tone: '<warm>', mood: '&glad' };
    const formatted = formatImported(reading, values);
    assert.deepEqual(formatted.messages, asOurs(dotpromptMessages(text, values)));
    assert.equal(formatted.messages[1]?.content, 'DearBo,  say {{hello}} back with <warm> &glad.');
  });

  test('media, output schema, tools and extension fields are listed as not carried', () => {
    const { reading } = read('media-output-tools.prompt');
    const formatted = formatImported(reading, { question: 'What is it?', photoUrl: 'unused' });
    assert.deepEqual(formatted.messages, [{ type: 'system', content: 'Describe products.' }, { type: 'human', content: 'What is it?' }]);
    for (const expected of ['{{media url=photoUrl}}', '`output`', '`tools`', '`myext.team`', '`input.schema`']) {
      assert.ok(reading.notCarried.some((line) => line.includes(expected)), `${expected} in ${reading.notCarried.join('\n')}`);
    }
  });

  test('blocks, partials, unknown roles are refused with the line and the reason', () => {
    assert.match(refusal('genkit-greeting.prompt'), /^Line 16: `\{\{#if name\}\}` is a Handlebars block; a LangChain f-string template has no conditions or loops/);
    assert.match(refusal('partial.prompt'), /^Line 7: `\{\{> preamble\}\}` is a Dotprompt partial/);
    assert.match(refusal('tool-role.prompt'), /^Line 4: `\{\{role "tool"\}\}`: a ChatPromptTemplate has system, human and AI messages only/);
  });

  test('helpers and paths are refused: an f-string has only plain variables', () => {
    const refused = (body: string) => () => dotpromptImporter.read(`---\nmodel: googleai/x\n---\n${body}\n`, 'x.prompt');
    assert.throws(refused('Hi {{upper name}}'), /a Handlebars helper call/);
    assert.throws(refused('Hi {{user.name}}'), /a path or data variable/);
    assert.throws(refused('Hi {{@root.name}}'), /a path or data variable/);
    assert.throws(refused('Hi {{name'), /Line 4: a `\{\{` is never closed/);
  });

  test('hostile front matter is refused by the front matter\'s own YAML guards, with no warning on the console', async () => {
    const warnings: string[] = [];
    const listen = (warning: Error) => warnings.push(warning.message);
    process.on('warning', listen);
    try {
      const tagged = dotpromptImporter.read('---\nmodel: googleai/x\nconfig:\n  !tag temperature: 0.5\n? {a: 1}\n: x\n---\nHi {{name}}\n', 'x.prompt');
      assert.equal(tagged.prompt.prompt.kind, 'chat');
      const deep = interopFailure(() => dotpromptImporter.read(`---\nmodel: ${'{a: '.repeat(5000)}\n---\nHi\n`, 'x.prompt'));
      assert.match(deep.message, /^The Dotprompt front matter nests deeper than 100 levels \(line 1\)\.$/);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', listen);
    }
    assert.deepEqual(warnings, []);
  });

  test('a refusal is one line, however many lines and controls the tag it quotes holds', () => {
    const tag = `{{~ upper\n  key: x\u001b[2J\r\n${'name '.repeat(40)}~}}`;
    const error = interopFailure(() => dotpromptImporter.read(`---\nmodel: googleai/x\n---\nHi ${tag}\n`, 'x.prompt'));
    assert.equal(error.kind, 'invalid-source');
    assert.doesNotMatch(error.message, /[\n\r\u001b]/);
    assert.match(error.message, /^Line 4: `\{\{~ upper\\n  key: x\\x1b\[2J\\nname name .*…` is a Handlebars helper call/);
  });

  test('generated templates: our formatting equals Dotprompt\'s rendering, braces and all', () => {
    const text = fc.stringMatching(/^[a {}":\n]{0,12}$/).filter((chunk) => !chunk.includes('{{') && !chunk.endsWith('{') && !chunk.startsWith('}'));
    const tag = fc.constantFrom('{{alpha}}', '{{{beta}}}', '{{role "system"}}', '{{role "user"}}', '{{role "model"}}', '{{history}}', '{{! note }}');
    const template = fc.array(fc.tuple(text, tag), { minLength: 1, maxLength: 6 }).chain((pairs) => text.map((last) => pairs.map(([chunk, t]) => chunk + t).join('') + last));
    fc.assert(
      fc.property(template, fc.stringMatching(/^[a-z{} ]{1,6}$/), (body, value) => {
        const source = `---\nmodel: googleai/gemini-1.5-flash\n---\n{{role "user"}}${body}\n`;
        const values = { alpha: `${value}!`, beta: `<${value}>` };
        const expected = asOurs(dotpromptMessages(source, values, [{ type: 'human', content: 'before' }, { type: 'ai', content: '{reply}' }]));
        const hasHistory = body.includes('{{history}}');
        if (expected.length === 0 || (!body.includes('{{alpha}}') && !body.includes('{{beta}}'))) return;
        let formatted;
        try {
          const turns = hasHistory ? [{ input: 'before', output: '{reply}' }] : [];
          formatted = formatImported(dotpromptImporter.read(source, 'generated.prompt'), values, turns);
        } catch (error) {
          // Refused with a reason: every message empty, or a line the writer cannot hold.
          if (error instanceof InteropError) return;
          throw error;
        }
        assert.deepEqual(formatted.messages, hasHistory ? expected : expected.filter((m) => m.content !== 'before' && m.content !== '{reply}'));
      }),
      { numRuns: 300 },
    );
  });
});
