// The import dispatcher: a file no importer recognizes is refused naming every format tried; a recognized
// one is written by the one writer and parsed again, so the result checks clean or lists its errors; the
// name of the new file never is the source's.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { PromptTemplate, ChatPromptTemplate, MessagesPlaceholder } from '@langchain/core/prompts';
import { importFile } from '../../../core/interop/importFile';
import { importedFileName } from '../../../core/interop/formats';
import { parsePrompt } from '../../../core/format/parse';
import { failureOf } from '../../../core/chain/failure';
import { interopFailure } from './interopFailure';

describe('importFile', () => {
  test('an unrecognized file names the file and every format tried; hosts get kind interop', () => {
    const error = interopFailure(() => importFile('just some notes\n', 'notes.txt'));
    assert.equal(error.kind, 'unrecognized-file');
    assert.match(error.message, /^notes\.txt: not a file Prompt Chain can import; tried /);
    for (const name of ['LangChain JSON', 'LangChain YAML', 'Prompty', 'Dotprompt']) assert.ok(error.message.includes(name), name);
    assert.equal(failureOf(error)?.kind, 'interop');
  });

  test('a PromptTemplate serialized by LangChain.js becomes a .prompt with the same template', () => {
    const prompt = PromptTemplate.fromTemplate('Tell me a {adjective} joke about {topic}; braces: {{x}}');
    const imported = importFile(JSON.stringify(prompt, null, 2), 'joke.json');
    assert.equal(imported.format, 'langchain-json');
    const doc = parsePrompt(imported.text);
    assert.deepEqual(doc.problems, []);
    assert.equal(doc.body.kind, 'completion');
    assert.equal(doc.body.kind === 'completion' && doc.body.template.source, 'Tell me a {adjective} joke about {topic}; braces: {{x}}');
  });

  test('a ChatPromptTemplate with its placeholder keeps its messages', () => {
    const prompt = ChatPromptTemplate.fromMessages([
      ['system', 'You are {persona}.'],
      new MessagesPlaceholder('history'),
      ['human', '{question}'],
    ]);
    const imported = importFile(JSON.stringify(prompt), 'chat.json');
    const doc = parsePrompt(imported.text);
    assert.equal(doc.body.kind, 'chat');
    const roles = doc.body.kind === 'chat' ? doc.body.messages.map((message) => message.role) : [];
    assert.deepEqual(roles, ['system', 'placeholder', 'human']);
  });

  test('a forced format is read by that importer, not recognized; its refusal names the file', () => {
    const prompt = JSON.stringify(PromptTemplate.fromTemplate('Hi {name}'));
    // JSON is YAML: prompt.save()'s YAML reader takes the same dict.
    const asYaml = importFile(prompt, 'p.json', { format: 'langchain-yaml' });
    assert.equal(asYaml.format, 'langchain-yaml');
    assert.equal(asYaml.text, importFile(prompt, 'p.json').text);
    const error = interopFailure(() => importFile('Hi {name}', 'notes.txt', { format: 'langchain-json' }));
    assert.equal(error.kind, 'invalid-source');
    assert.match(error.message, /^notes\.txt: /);
  });
});

describe('importedFileName', () => {
  test('beside the source, never the source itself; numbered for a host looking for a free name', () => {
    assert.equal(importedFileName('chat.prompty'), 'chat.prompt');
    assert.equal(importedFileName('chat.json'), 'chat.prompt');
    assert.equal(importedFileName('greeting.prompt'), 'greeting.langchain.prompt');
    assert.equal(importedFileName('prompt.v2.yaml'), 'prompt.v2.prompt');
    assert.equal(importedFileName('README'), 'README.prompt');
    assert.equal(importedFileName('chat.prompty', 3), 'chat-3.prompt');
    assert.equal(importedFileName('greeting.prompt', 2), 'greeting.langchain-2.prompt');
  });

  test('for any source name: a .prompt name that is never the source, distinct for each attempt, in the same folder', () => {
    const name = fc.stringMatching(/^[^/\\\x00]{1,40}$/);
    fc.assert(
      fc.property(name, fc.integer({ min: 1, max: 50 }), (source, attempt) => {
        const target = importedFileName(source, attempt);
        assert.ok(target.endsWith('.prompt') && !target.includes('/'), target);
        assert.notEqual(target, source);
        assert.notEqual(importedFileName(source, attempt + 1), target);
      }),
    );
  });
});
