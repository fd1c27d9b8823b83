// promptChain.exportFile and promptChain.importFile through the real server: the editor's text exported by
// the one dispatcher with the resource's defaults, refused like a turn on a file with errors, and another
// tool's file converted to `.prompt` text with the name of the new file and the errors it will show.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ChatPromptTemplate, MessagesPlaceholder, PromptTemplate } from '@langchain/core/prompts';
import { exportPrompt } from '../../core/interop/exportPrompt';
import { importFile } from '../../core/interop/importFile';
import type { Exported } from '../../core/interop/types';
import { defaultSettings, type ImportFileResult } from '../../server/src/protocol';
import { chatExample, completionExample } from '../support/examples';
import { ensureServerBuilt, fileUri, hangGuardMs, LspClient } from './lspClient';
import { failureOf, requestFailed } from './responseErrors';

const defaults = { model: defaultSettings.defaultModel, completionModel: defaultSettings.defaultCompletionModel, memoryKey: defaultSettings.defaultMemoryKey };
const jokeJson = JSON.stringify(PromptTemplate.fromTemplate('Tell me a joke about {topic}'));
const ambiguousJson = JSON.stringify(
  ChatPromptTemplate.fromMessages([['system', 'You are {persona}.'], new MessagesPlaceholder('history'), ['human', '{question}']]),
);

describe('export and import over LSP', { timeout: hangGuardMs }, () => {
  let folder = '';
  let client: LspClient;
  const uriOf = (name: string) => fileUri(path.join(folder, name));
  const files: Record<string, string> = {
    'chat.prompt': chatExample,
    'bot.prompt': completionExample,
    'bad.prompt': '---\nmemory: false\n---\nHello {name\n',
    'joke.json': jokeJson,
    'persona.json': ambiguousJson,
    'notes.txt': 'just notes\n',
  };
  before(async () => {
    ensureServerBuilt();
    folder = mkdtempSync(path.join(tmpdir(), 'prompt-chain-interop-'));
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(folder, name), text);
    client = await LspClient.start({ pull: true, workspaceFolder: folder });
  });
  after(async () => {
    await client.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  test('exportFile: what the dispatcher exports for the file on disk, with the settings\' defaults', async () => {
    for (const [name, format, style] of [['chat.prompt', 'langchain-json'], ['bot.prompt', 'langchain-yaml'], ['chat.prompt', 'python', 'modern']] as const) {
      const result = await client.executeCommand<Exported>('promptChain.exportFile', { uri: uriOf(name), format, ...(style && { style }) });
      assert.deepEqual(result, exportPrompt(files[name]!, name, format, style ? { style } : {}, defaults), `${name} ${format}`);
    }
  });

  test('exportFile: the open editor\'s text, unsaved edits included', async () => {
    const edited = chatExample.replace('You are a chatbot', 'You are a pirate');
    await client.open(uriOf('chat.prompt'), edited, 2);
    const result = await client.executeCommand<Exported>('promptChain.exportFile', { uri: uriOf('chat.prompt'), format: 'typescript' });
    assert.deepEqual(result, exportPrompt(edited, 'chat.prompt', 'typescript', {}, defaults));
  });

  test('exportFile: a file with errors is refused as a turn is; a format the file cannot go to is kind interop', async () => {
    const broken = await failureOf(client.executeCommand('promptChain.exportFile', { uri: uriOf('bad.prompt'), format: 'python' }));
    assert.equal(broken.code, requestFailed);
    assert.equal(broken.message, 'bad.prompt: 1 error; fix it before exporting');
    assert.equal(broken.data?.kind, 'file-has-errors');
    assert.equal(broken.data?.diagnostics?.length, 1);
    const yaml = await failureOf(client.executeCommand('promptChain.exportFile', { uri: uriOf('bot.prompt'), format: 'langchain-json', style: 'modern' }));
    assert.deepEqual([yaml.code, yaml.data?.kind, yaml.data?.reason], [requestFailed, 'interop', 'unsupported-format']);
    const chatAsYaml = await failureOf(client.executeCommand('promptChain.exportFile', { uri: uriOf('chat.prompt'), format: 'langchain-yaml' }));
    assert.deepEqual([chatAsYaml.data?.kind, chatAsYaml.data?.reason], ['interop', 'not-exportable']);
  });

  test('exportFile: a format there is not is InvalidParams naming the formats', async () => {
    const error = await failureOf(client.executeCommand('promptChain.exportFile', { uri: uriOf('chat.prompt'), format: 'xml' }));
    assert.equal(error.code, -32602);
    assert.match(error.message, /"format".*"langchain-json", "langchain-yaml", "python", "typescript"/);
  });

  test('importFile: the .prompt text, what was not carried, the new file\'s name and errors; nothing written', async () => {
    const result = await client.executeCommand<ImportFileResult>('promptChain.importFile', { uri: uriOf('joke.json') });
    assert.deepEqual(result, { ...importFile(jokeJson, 'joke.json'), fileName: 'joke.prompt', errors: [] });
    const ambiguous = await client.executeCommand<ImportFileResult>('promptChain.importFile', { uri: uriOf('persona.json') });
    assert.equal(ambiguous.fileName, 'persona.prompt');
    assert.ok(ambiguous.errors.length > 0 && ambiguous.errors.every((error) => error.code === 'ambiguous-input-key'), JSON.stringify(ambiguous.errors));
  });

  test('importFile: a file no importer recognizes is kind interop, reason unrecognized-file', async () => {
    const error = await failureOf(client.executeCommand('promptChain.importFile', { uri: uriOf('notes.txt') }));
    assert.deepEqual([error.code, error.data?.kind, error.data?.reason], [requestFailed, 'interop', 'unrecognized-file']);
    assert.match(error.message, /^notes\.txt: not a file Prompt Chain can import/);
  });
});
