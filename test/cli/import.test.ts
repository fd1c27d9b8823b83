// `prompt-chain import`: the built CLI writes the converted `.prompt` beside the source (or to -o, or
// stdout), never over an existing file without --force and never over the source, says what was not
// carried, and checks the new file as `check` does.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChatPromptTemplate, MessagesPlaceholder, PromptTemplate } from '@langchain/core/prompts';
import { createWorkspace, useCliWorkspaces } from './support/cli';
import { chatExample, completionExample } from '../support/examples';
import { importFile } from '../../core/interop/importFile';

useCliWorkspaces();

const jokeJson = JSON.stringify(PromptTemplate.fromTemplate('Tell me a joke about {topic}'), null, 2);
const chatJson = JSON.stringify(
  ChatPromptTemplate.fromMessages([['system', 'You are a helpful assistant.'], new MessagesPlaceholder('history'), ['human', '{question}']]),
);
/** Two variables besides the history: LangChain's memory could not tell which one is the input. */
const ambiguousJson = JSON.stringify(
  ChatPromptTemplate.fromMessages([['system', 'You are {persona}.'], new MessagesPlaceholder('history'), ['human', '{question}']]),
);

/** A Dotprompt file (Firebase Genkit): the same `.prompt` extension as ours. */
const dotprompt = '---\nmodel: googleai/gemini-1.5-flash\ninput:\n  schema:\n    name: string\n---\n{{role "system"}}\nYou greet people.\n{{role "user"}}\nSay hello to {{name}}.\n';

describe('prompt-chain import', () => {
  test('a Dotprompt .prompt goes to name.langchain.prompt beside it, never over the source', async () => {
    const ws = createWorkspace({ 'greet.prompt': dotprompt });
    const result = await ws.run(['import', 'greet.prompt']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /^greet\.prompt: imported as dotprompt to greet\.langchain\.prompt\n/);
    assert.equal(readFileSync(join(ws.root, 'greet.prompt'), 'utf8'), dotprompt);
    assert.equal(readFileSync(join(ws.root, 'greet.langchain.prompt'), 'utf8'), importFile(dotprompt, 'greet.prompt').text);
    assert.match(readFileSync(join(ws.root, 'greet.langchain.prompt'), 'utf8'), /\{name\}/);
  });

  test('writes the .prompt beside the source, says so, and checks it', async () => {
    const ws = createWorkspace({ 'prompts/joke.json': jokeJson });
    const result = await ws.run(['import', 'prompts/joke.json']);
    const imported = importFile(jokeJson, 'joke.json');
    assert.deepEqual(result, {
      code: 0,
      stdout: '',
      stderr: `prompts/joke.json: imported as langchain-json to prompts/joke.prompt\n${imported.notCarried.map((line) => `not carried: ${line}\n`).join('')}1 file checked: 0 errors, 0 warnings\n`,
    });
    assert.equal(readFileSync(join(ws.root, 'prompts/joke.prompt'), 'utf8'), imported.text);
    const check = await ws.run(['check', 'prompts/joke.prompt']);
    assert.equal(check.code, 0);
  });

  test('a Prompty file goes to name.prompt beside it', async () => {
    const prompty = '---\nname: Support\nmodel:\n  api: chat\ninputs:\n  question:\n    type: string\n---\nsystem:\nYou are helpful.\n\nuser:\n{{question}}\n';
    const ws = createWorkspace({ 'support.prompty': prompty });
    const result = await ws.run(['import', 'support.prompty']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /^support\.prompty: imported as prompty to support\.prompt\n/);
    assert.equal(readFileSync(join(ws.root, 'support.prompt'), 'utf8'), importFile(prompty, 'support.prompty').text);
  });

  test('never over an existing file without --force; with it, replaced', async () => {
    const ws = createWorkspace({ 'chat.json': chatJson, 'chat.prompt': 'mine\n' });
    const refused = await ws.run(['import', 'chat.json']);
    assert.deepEqual(refused, { code: 1, stdout: '', stderr: 'chat.prompt: already exists; name another file with -o OUT, or replace it with --force\n' });
    assert.equal(readFileSync(join(ws.root, 'chat.prompt'), 'utf8'), 'mine\n');
    const forced = await ws.run(['import', 'chat.json', '--force']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(readFileSync(join(ws.root, 'chat.prompt'), 'utf8'), importFile(chatJson, 'chat.json').text);
  });

  test('-o names the file; -o - prints it; never over the source, even with --force', async () => {
    const ws = createWorkspace({ 'joke.json': jokeJson });
    const named = await ws.run(['import', 'joke.json', '-o', 'funny.prompt']);
    assert.equal(named.code, 0, named.stderr);
    assert.equal(readFileSync(join(ws.root, 'funny.prompt'), 'utf8'), importFile(jokeJson, 'joke.json').text);
    const printed = await ws.run(['import', 'joke.json', '-o', '-']);
    assert.equal(printed.stdout, importFile(jokeJson, 'joke.json').text);
    assert.equal(existsSync(join(ws.root, 'joke.prompt')), false);
    const own = await ws.run(['import', 'joke.json', '-o', 'joke.json', '--force']);
    assert.deepEqual(own, { code: 1, stdout: '', stderr: 'joke.json: is the file being read; write to another file\n' });
    assert.equal(readFileSync(join(ws.root, 'joke.json'), 'utf8'), jokeJson);
  });

  test('a result with errors is written, its problems printed as check prints them, exit 1', async () => {
    const ws = createWorkspace({ 'persona.json': ambiguousJson });
    const result = await ws.run(['import', 'persona.json']);
    assert.equal(result.code, 1);
    const lines = result.stderr.trimEnd().split('\n');
    assert.equal(lines[0], 'persona.json: imported as langchain-json to persona.prompt');
    assert.ok(lines.some((line) => /^persona\.prompt:\d+:\d+ error ambiguous-input-key /.test(line)), result.stderr);
    assert.match(lines.at(-1) ?? '', /^1 file checked: [1-9]\d* errors?, \d+ warnings?$/);
    const check = await ws.run(['check', 'persona.prompt']);
    assert.equal(check.stdout.split('\n').filter((line) => line.includes(' error ')).length, lines.filter((line) => line.includes(' error ')).length);
  });

  test('export then import: the examples come back formatting the prompt they formatted (--dry-run)', async () => {
    const cases = [
      ['chat.prompt', chatExample, 'langchain-json', 'chat.json'],
      ['bot.prompt', completionExample, 'langchain-json', 'bot.json'],
      ['bot.prompt', completionExample, 'langchain-yaml', 'bot.yaml'],
    ] as const;
    for (const [name, text, format, exported] of cases) {
      const ws = createWorkspace({ [name]: text });
      assert.equal((await ws.run(['export', name, '--to', format, '-o', exported])).code, 0);
      const imported = await ws.run(['import', exported, '-o', 'back.prompt']);
      assert.equal(imported.code, 0, imported.stderr);
      const dryRun = (file: string) => ws.run(['run', file, '--input', 'Hi there my friend', '--dry-run']);
      const [original, back] = [await dryRun(name), await dryRun('back.prompt')];
      assert.equal(original.code, 0, original.stderr);
      assert.deepEqual(back, original, `${name} through ${format}`);
    }
  });

  test('a file no importer recognizes: one line naming the formats tried, nothing written', async () => {
    const ws = createWorkspace({ 'notes.txt': 'just notes\n' });
    const result = await ws.run(['import', 'notes.txt']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^notes\.txt: not a file Prompt Chain can import; tried [^\n]*Dotprompt[^\n]*\n$/);
    assert.equal(existsSync(join(ws.root, 'notes.prompt')), false);
  });

  test('a missing file and a bad --from are said in one line (exit 1 and 2)', async () => {
    const ws = createWorkspace();
    assert.deepEqual(await ws.run(['import', 'gone.json']), { code: 1, stdout: '', stderr: 'gone.json: no such file or folder\n' });
    assert.deepEqual(await ws.run(['import', 'gone.json', '--from', 'xml']), {
      code: 2,
      stdout: '',
      stderr: 'prompt-chain: --from needs one of langchain-json, langchain-yaml, prompty, dotprompt, continue, got "xml" (see "prompt-chain --help")\n',
    });
  });
});
