// Test files (`*.prompt-test.yaml`) through the real server: diagnostics that need the prompt (pulled and
// pushed), an unsaved edit of the prompt seen at once, completion of the prompt's variables and of
// `prompt:` paths, hover; and a test file is never parsed as a prompt (no prompt diagnostics, no memory).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CompletionList, Diagnostic, Hover } from 'vscode-languageserver/node';
import { ensureServerBuilt, fileUri, hangGuardMs, LspClient } from './lspClient';

const prompt = '---\ninput_key: input\n---\nsystem:\nYou are a {persona}.\n{history}\nuser:\n{input}\n';
const testFile = 'prompt: chat.prompt\nconversations:\n  - name: remembers\n    vars: { persona: pirate, tnoe: dry }\n    turns:\n      - input: My name is Ada.\n        expect:\n          - contain: Ada\n';

const codes = (diagnostics: Diagnostic[]) => diagnostics.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}`);

describe('test files in the language server', { timeout: hangGuardMs }, () => {
  let folder = '';
  let client: LspClient;
  before(async () => {
    ensureServerBuilt();
    folder = await mkdtemp(join(tmpdir(), 'test-files-'));
    await writeFile(join(folder, 'chat.prompt'), prompt);
    await writeFile(join(folder, 'other.prompt'), '{history}\nHuman: {input}\n');
    client = await LspClient.start({ pull: true, workspaceFolder: folder });
  });
  after(async () => {
    await client.stop();
    await rm(folder, { recursive: true, force: true });
  });

  test('pulled diagnostics: the file’s own problems and those that need the prompt', async () => {
    const uri = fileUri(join(folder, 'a.prompt-test.yaml'));
    await client.open(uri, testFile, 1);
    const diagnostics = await client.pulledDiagnostics(uri);
    assert.deepEqual(codes(diagnostics), ['test-unknown-assertion@7:12', 'test-unknown-variable@3:29']);
    assert.equal(diagnostics[1]!.message, 'The prompt has no variable “tnoe”. Its variables besides the input: persona.');
  });

  test('an unsaved edit of the prompt counts, and a missing prompt is named', async () => {
    const promptUri = fileUri(join(folder, 'chat.prompt'));
    await client.open(promptUri, prompt.replace('{persona}', '{persona} {tnoe}'), 1);
    const uri = fileUri(join(folder, 'b.prompt-test.yaml'));
    await client.open(uri, testFile, 1);
    assert.deepEqual(codes(await client.pulledDiagnostics(uri)), ['test-unknown-assertion@7:12']);
    await client.change(uri, 2, testFile.replace('chat.prompt', 'gone.prompt'));
    const [missing] = (await client.pulledDiagnostics(uri)).filter((d) => d.code === 'test-prompt-missing');
    assert.equal(missing?.message, 'The prompt “gone.prompt” cannot be read: no such file or folder.');
    await client.close(promptUri);
  });

  test('completion: the prompt’s variables under vars:, prompt files after prompt:', async () => {
    const uri = fileUri(join(folder, 'c.prompt-test.yaml'));
    const text = 'prompt: chat.prompt\nconversations:\n  - name: c\n    vars:\n      \n    turns:\n      - input: hi\n';
    await client.open(uri, text, 1);
    const at = async (line: number, character: number) =>
      (await client.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: { line, character } })).items.map((item) => item.label);
    assert.deepEqual(await at(4, 6), ['persona']);
    assert.deepEqual(await at(0, 19), ['chat.prompt', 'other.prompt']);
  });

  test('hover shows an assertion’s doc; prompt features stay off (no code lenses, no memory)', async () => {
    const uri = fileUri(join(folder, 'd.prompt-test.yaml'));
    await client.open(uri, testFile.replace('contain:', 'contains:'), 1);
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 7, character: 14 } });
    assert.match(JSON.stringify(hover?.contents), /The reply contains this text/);
    assert.deepEqual(await client.request('textDocument/codeLens', { textDocument: { uri } }), []);
    assert.deepEqual(client.errorLogs(), []);
  });
});

describe('test files, pushed diagnostics', { timeout: hangGuardMs }, () => {
  let folder = '';
  let client: LspClient;
  before(async () => {
    ensureServerBuilt();
    folder = await mkdtemp(join(tmpdir(), 'test-files-push-'));
    await writeFile(join(folder, 'chat.prompt'), prompt);
    client = await LspClient.start({ pull: false, initializationOptions: { diagnosticsDelayMs: 20 } });
  });
  after(async () => {
    await client.stop();
    await rm(folder, { recursive: true, force: true });
  });

  test('published for the version that has them', async () => {
    const uri = fileUri(join(folder, 'a.prompt-test.yaml'));
    await client.open(uri, testFile, 1);
    assert.deepEqual(codes(await client.pushedDiagnostics(uri, 1)), ['test-unknown-assertion@7:12', 'test-unknown-variable@3:29']);
    await client.change(uri, 2, testFile.replace('contain:', 'contains:').replace(', tnoe: dry', ''));
    assert.deepEqual(await client.pushedDiagnostics(uri, 2), []);
  });

  test('an edit of the prompt re-checks the open test file', async () => {
    const uri = fileUri(join(folder, 'b.prompt-test.yaml'));
    await client.open(uri, testFile.replace('contain:', 'contains:'), 1);
    assert.deepEqual(codes(await client.pushedDiagnostics(uri, 1)), ['test-unknown-variable@3:29']);
    const since = client.diagnostics.items.length;
    await client.open(fileUri(join(folder, 'chat.prompt')), prompt.replace('{persona}', '{persona} {tnoe}'), 1);
    assert.deepEqual(await client.pushedDiagnostics(uri, 1, since), []);
  });
});
