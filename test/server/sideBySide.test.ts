// Compare models, Replay conversation and Save as test through the real server, against the local
// OpenAI-compatible test server: each column and turn arrives as a ComparisonProgress before the answer;
// the stored conversation is byte for byte what it was; a file with errors, no stored turn, bad arguments
// and a cancel are each answered with their kind; Save as test's text runs green through runTests.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fakeOpenAI';
import type { SaveAsTestResult, ShowMemoryResult } from '../../server/src/protocol';
import type { ModelReply } from '../../core/testing/compareModels';
import type { ReplayResult } from '../../core/testing/replayConversation';
import type { TestRunReport } from '../../core/testing/types';
import { CancellationTokenSource, ensureServerBuilt, fileUri, LspClient, hangGuardMs } from './lspClient';

const prompt = '---\ninput_key: human_input\nmemory:\n  key: chat_history\n  return_messages: true\n---\nsystem:\nYou are a {persona} chatbot.\n\nplaceholder:\n{chat_history}\n\nhuman:\n{human_input}\n';

describe('compareModels, replayConversation and saveAsTest over LSP', { timeout: hangGuardMs }, () => {
  let fake: FakeOpenAI;
  let client: LspClient;
  let workspace: string;
  let promptUri: string;
  const stateDir = () => path.join(workspace, 'state');
  /** Every stored byte of the workspace's conversations. */
  const storedBytes = () => readdirSync(stateDir(), { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => [entry.name, readFileSync(path.join(entry.parentPath, entry.name), 'utf8')]);

  before(async () => {
    ensureServerBuilt();
    workspace = mkdtempSync(path.join(tmpdir(), 'prompt-chain-side-'));
    writeFileSync(path.join(workspace, 'chat.prompt'), prompt);
    promptUri = fileUri(path.join(workspace, 'chat.prompt'));
    fake = await startFakeOpenAI();
    client = await LspClient.start({
      pull: true,
      workspaceFolder: workspace,
      env: { OPENAI_BASE_URL: fake.baseURL, OPENAI_API_KEY: 'sk-test-key', XDG_STATE_HOME: path.join(workspace, 'xdg') },
      initializationOptions: { stateDir: stateDir() },
    });
    const variables = { persona: 'pirate' };
    fake.enqueue({ reply: 'Ahoy Ada!' }, { reply: 'Yer name be Ada.' });
    await client.executeCommand('promptChain.runTurn', { uri: promptUri, input: 'My name is Ada.', variables });
    await client.executeCommand('promptChain.runTurn', { uri: promptUri, input: 'What is my name?', variables });
  });
  after(async () => {
    await client.stop();
    await fake.close();
    rmSync(workspace, { recursive: true, force: true });
  });

  test('compareModels: a column per model, each continuing the stored conversation, which is left as it was', async () => {
    fake.reset();
    const before = storedBytes();
    fake.enqueue({ forModel: 'gpt-4o', reply: 'You are Ada.' }, { forModel: 'gpt-4o-mini', fault: 'status', status: 404 });
    const replies = await client.executeCommand<ModelReply[]>('promptChain.compareModels', { uri: promptUri, input: 'Say my name', variables: { persona: 'pirate' }, models: ['gpt-4o-mini', 'gpt-4o'], runId: 'cmp-1' });
    assert.deepEqual(replies.map((reply) => [reply.model, reply.reply ?? reply.failure?.kind]), [['gpt-4o-mini', 'model'], ['gpt-4o', 'You are Ada.']]);
    const progress = client.comparisonProgress.items.filter((item) => item.runId === 'cmp-1');
    assert.deepEqual(progress.map((item) => (item.kind === 'reply' ? item.column : -1)).sort(), [0, 1]);
    const sent = fake.requests.find((request) => request.body.model === 'gpt-4o')!.body.messages.map((m: { content: string }) => m.content);
    assert.deepEqual(sent, ['You are a pirate chatbot.', 'My name is Ada.', 'Ahoy Ada!', 'What is my name?', 'Yer name be Ada.', 'Say my name']);
    assert.deepEqual(storedBytes(), before);
  });

  test('replayConversation: the stored inputs again on another model, the stored reply beside each new one', async () => {
    fake.reset();
    const before = storedBytes();
    fake.enqueue({ reply: 'Ahoy Ada!' }, { reply: 'Ada, matey.' });
    const result = await client.executeCommand<ReplayResult>('promptChain.replayConversation', { uri: promptUri, model: 'gpt-4o', variables: { persona: 'pirate' }, runId: 'replay-1' });
    assert.deepEqual(result.turns.map((turn) => [turn.input, turn.stored, turn.reply, turn.same]), [
      ['My name is Ada.', 'Ahoy Ada!', 'Ahoy Ada!', true],
      ['What is my name?', 'Yer name be Ada.', 'Ada, matey.', false],
    ]);
    assert.deepEqual(fake.requests.map((request) => request.body.model), ['gpt-4o', 'gpt-4o']);
    assert.deepEqual(client.comparisonProgress.items.filter((item) => item.runId === 'replay-1').map((item) => (item.kind === 'turn' ? item.turn.index : -1)), [0, 1]);
    assert.deepEqual(storedBytes(), before);
  });

  test('the edited prompt is what replays: the editor text, not the disk', async () => {
    fake.reset();
    await client.open(promptUri, prompt.replace('You are a {persona} chatbot.', 'You are a terse {persona}.'));
    try {
      await client.executeCommand<ReplayResult>('promptChain.replayConversation', { uri: promptUri, variables: { persona: 'pirate' }, runId: 'replay-edit' });
      assert.equal(fake.requests[0]!.body.messages[0].content, 'You are a terse pirate.');
    } finally {
      await client.close(promptUri);
    }
  });

  test('saveAsTest: the test file and baseline that, once written, pass through runTests', async () => {
    const saved = await client.executeCommand<SaveAsTestResult>('promptChain.saveAsTest', { uri: promptUri, variables: { persona: 'pirate' } });
    assert.equal(saved.conversation, 'My name is Ada.');
    assert.equal(saved.testFile.uri, fileUri(path.join(workspace, 'chat.prompt-test.yaml')));
    assert.equal(saved.testFile.exists, false);
    assert.equal(saved.snapshotFile.uri, fileUri(path.join(workspace, '__snapshots__', 'chat.snap.yaml')));
    assert.equal(saved.turns, 2);
    writeFileSync(path.join(workspace, 'chat.prompt-test.yaml'), saved.testFile.text);
    mkdirSync(path.join(workspace, '__snapshots__'), { recursive: true });
    writeFileSync(path.join(workspace, '__snapshots__', 'chat.snap.yaml'), saved.snapshotFile.text);
    fake.reset();
    fake.enqueue({ reply: 'Ahoy Ada!' }, { reply: 'Yer name be Ada.' });
    const report = await client.executeCommand<TestRunReport>('promptChain.runTests', { uris: [saved.testFile.uri], runId: 'saved-run' });
    assert.deepEqual(report.summary, { conversations: 1, passed: 1, failed: 0, assertions: 2, failedAssertions: 0 });
    // Saved again: a second conversation of the same file, under a name of its own.
    const again = await client.executeCommand<SaveAsTestResult>('promptChain.saveAsTest', { uri: promptUri, variables: { persona: 'pirate' } });
    assert.equal(again.conversation, 'My name is Ada. 2');
    assert.equal(again.testFile.exists, true);
    assert.ok(again.testFile.text.startsWith(saved.testFile.text));
  });

  test('refused with their kinds: a file with errors, no stored turn, bad arguments; a cancel stops the model calls', async () => {
    const brokenUri = fileUri(path.join(workspace, 'broken.prompt'));
    await client.open(brokenUri, 'Human: {input\n');
    await assert.rejects(client.executeCommand('promptChain.compareModels', { uri: brokenUri, input: 'x', models: ['a'], runId: 'r' }), (error: { data?: { kind?: string } }) => error.data?.kind === 'file-has-errors');
    await client.close(brokenUri);
    const emptyPath = path.join(workspace, 'empty.prompt');
    writeFileSync(emptyPath, prompt);
    for (const command of ['promptChain.replayConversation', 'promptChain.saveAsTest']) {
      await assert.rejects(client.executeCommand(command, { uri: fileUri(emptyPath), runId: 'r' }), (error: { message: string; data?: { kind?: string; reason?: string } }) => error.data?.kind === 'memory' && error.data.reason === 'nothing-stored' && /empty.prompt has no stored turn/.test(error.message));
    }
    await assert.rejects(client.executeCommand('promptChain.compareModels', { uri: promptUri, input: 'x', models: [], runId: 'r' }), /needs "models" as a non-empty array of strings/);
    await assert.rejects(client.executeCommand('promptChain.compareModels', { uri: promptUri, input: 'x', models: Array.from({ length: 9 }, (_, i) => `m${i}`), runId: 'r' }), /needs "models" as 1 to 8 model names/);
    fake.reset();
    fake.enqueue({ fault: 'hang' }, { fault: 'hang' });
    const cancellation = new CancellationTokenSource();
    const comparing = client.executeCommand('promptChain.compareModels', { uri: promptUri, input: 'x', variables: { persona: 'p' }, models: ['a', 'b'], runId: 'cancel' }, cancellation);
    await fake.waitForHang(2);
    cancellation.cancel();
    await assert.rejects(comparing, (error: { code: number; data?: { kind?: string } }) => error.code === -32800 && error.data?.kind === 'cancelled');
    await fake.waitForClientAbort(2);
    const stored = await client.executeCommand<ShowMemoryResult>('promptChain.showMemory', { uri: promptUri });
    assert.equal(stored.turns.length, 2);
  });
});
