// promptChain.listTests and promptChain.runTests through the real server, against the local OpenAI-compatible
// test server: a test file's conversations and turns with their ranges; a run streams the runner's events in
// order per conversation and answers the report (a passing and a failing conversation, the failing
// assertion's expected and actual); `only` runs one conversation; the user's stored conversation is neither
// read nor written; a file that cannot run is reported with its errors; a cancelled run stops its model call.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fakeOpenAI';
import type { ListTestsResult, ShowMemoryResult } from '../../server/src/protocol';
import type { TestRunReport } from '../../core/testing/types';
import { CancellationTokenSource, ensureServerBuilt, fileUri, LspClient, hangGuardMs } from './lspClient';

const prompt = '---\nmemory:\n  key: chat_history\n  return_messages: true\n---\nsystem:\nYou are a chatbot.\n\nplaceholder:\n{chat_history}\n\nhuman:\n{human_input}\n';
const testText = [
  'prompt: chat.prompt',
  'conversations:',
  '  - name: remembers the name',
  '    turns:',
  '      - input: My name is Ada.',
  '        expect:',
  '          - contains: Ada',
  '      - input: What is my name?',
  '        expect:',
  '          - prompt_contains: "Human: My name is Ada."',
  '  - name: forgets',
  '    turns:',
  '      - input: Hello',
  '        expect:',
  '          - contains: Grace',
  '',
].join('\n');

describe('promptChain.listTests and runTests over LSP', { timeout: hangGuardMs }, () => {
  let fake: FakeOpenAI;
  let client: LspClient;
  let workspace: string;
  let testUri: string;
  let promptUri: string;

  before(async () => {
    ensureServerBuilt();
    workspace = mkdtempSync(path.join(tmpdir(), 'prompt-chain-tests-'));
    writeFileSync(path.join(workspace, 'chat.prompt'), prompt);
    writeFileSync(path.join(workspace, 'chat.prompt-test.yaml'), testText);
    testUri = fileUri(path.join(workspace, 'chat.prompt-test.yaml'));
    promptUri = fileUri(path.join(workspace, 'chat.prompt'));
    fake = await startFakeOpenAI();
    client = await LspClient.start({
      pull: true,
      workspaceFolder: workspace,
      env: { OPENAI_BASE_URL: fake.baseURL, OPENAI_API_KEY: 'sk-test-key', XDG_STATE_HOME: path.join(workspace, 'xdg') },
      initializationOptions: { stateDir: path.join(workspace, 'state') },
    });
  });
  after(async () => {
    await client.stop();
    await fake.close();
    rmSync(workspace, { recursive: true, force: true });
  });

  const runTests = (argument: object, token?: CancellationTokenSource) => client.executeCommand<TestRunReport>('promptChain.runTests', argument, token);
  const eventsOf = (runId: string) => client.testProgress.items.filter((p) => p.runId === runId).map((p) => p.event);

  test('listTests: the conversations and their turns, with their lines, from the file on disk', async () => {
    const listed = await client.executeCommand<ListTestsResult>('promptChain.listTests', { uri: testUri });
    assert.deepEqual(
      listed.conversations.map((c) => [c.name, c.range.start.line, c.turns.map((t) => [t.index, t.input, t.range.start.line])]),
      [
        ['remembers the name', 2, [[0, 'My name is Ada.', 4], [1, 'What is my name?', 7]]],
        ['forgets', 10, [[0, 'Hello', 12]]],
      ],
    );
    assert.deepEqual(listed.errors, []);
  });

  test('runTests: events in order, the report with a pass and a failure, stored memory untouched', async () => {
    fake.reset();
    await client.executeCommand('promptChain.runTurn', { uri: promptUri, input: 'Hi there my friend' });
    const stored = await client.executeCommand<ShowMemoryResult>('promptChain.showMemory', { uri: promptUri });
    const report = await runTests({ uris: [testUri], runId: 'run-1' });
    assert.deepEqual(report.outcomes.map((o) => [o.conversation, o.pass]), [['remembers the name', true], ['forgets', false]]);
    assert.deepEqual(report.summary, { conversations: 2, passed: 1, failed: 1, assertions: 3, failedAssertions: 1 });
    const failed = report.outcomes[1]!.attempts[0]!.turns[0]!.assertions[0]!;
    assert.equal(failed.pass, false);
    assert.equal(failed.expected, 'Grace');
    assert.equal(failed.actual, 'Echo: Hello');
    assert.equal(testText.slice(failed.assertion.span.start, failed.assertion.span.end), 'contains: Grace');
    // The second turn's prompt holds the first turn: the test's own memory reached the model, not the user's.
    const contents = fake.requests.map((request) => request.body.messages.map((m: { content: string }) => m.content) as string[]);
    assert.deepEqual(contents.find((messages) => messages.at(-1) === 'What is my name?'), ['You are a chatbot.', 'My name is Ada.', 'Echo: My name is Ada.', 'What is my name?']);
    const remembered = eventsOf('run-1').filter((e) => (e.type === 'conversation-finished' ? e.outcome.conversation : e.conversation) === 'remembers the name');
    assert.deepEqual(remembered.map((e) => (e.type === 'turn-finished' ? `turn ${e.turn.index}` : e.type)), ['conversation-started', 'turn 0', 'turn 1', 'conversation-finished']);
    assert.deepEqual(await client.executeCommand<ShowMemoryResult>('promptChain.showMemory', { uri: promptUri }), stored);
  });

  test('runTests with only: just that conversation runs', async () => {
    fake.reset();
    const report = await runTests({ uris: [testUri], only: [{ uri: testUri, conversation: 'forgets' }], runId: 'run-only' });
    assert.deepEqual(report.outcomes.map((o) => o.conversation), ['forgets']);
    assert.equal(fake.requests.length, 1);
  });

  test('a test file whose prompt is missing does not run and says why', async () => {
    const brokenPath = path.join(workspace, 'broken.prompt-test.yaml');
    writeFileSync(brokenPath, testText.replace('chat.prompt', 'gone.prompt'));
    const uri = fileUri(brokenPath);
    const listed = await client.executeCommand<ListTestsResult>('promptChain.listTests', { uri });
    assert.deepEqual(listed.errors.map((e) => e.code), ['test-prompt-missing']);
    fake.reset();
    const report = await runTests({ uris: [uri], runId: 'run-broken' });
    assert.deepEqual(report.fileFailures.map((f) => [f.file, f.problems.map((p) => p.code)]), [[uri, ['test-prompt-missing']]]);
    assert.deepEqual(report.outcomes, []);
    assert.equal(fake.requests.length, 0);
  });

  test('cancelling a run aborts the model call and answers RequestCancelled', async () => {
    fake.reset();
    fake.enqueue({ fault: 'hang' });
    const cancellation = new CancellationTokenSource();
    const run = runTests({ uris: [testUri], only: [{ uri: testUri, conversation: 'forgets' }], runId: 'run-cancel' }, cancellation);
    await fake.waitForHang();
    cancellation.cancel();
    await assert.rejects(run, (error: { code: number; data?: { kind?: string } }) => error.code === -32800 && error.data?.kind === 'cancelled');
    await fake.waitForClientAbort();
  });

  test('bad arguments are answered with what to send', async () => {
    await assert.rejects(runTests({ uris: [], runId: 'x' }), /needs "uris" as a non-empty array of strings/);
  });
});
