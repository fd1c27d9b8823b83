// runTurn's replaceLast (the panel's Retry and Edit and resend) through the real server over stdio, with
// the conversation on disk and the local OpenAI-compatible test server: the model gets the memory without
// the replaced turn, the file keeps its records with the last one new (damaged lines elsewhere kept as
// they were), a failed or cancelled turn leaves the file byte for byte as it was, and a turn that is no
// longer the last one is refused before anything is sent.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CancellationTokenSource } from 'vscode-languageserver/node';
import { conversationId, conversationIdentity, conversationPaths, workspaceFolderId } from '../../core/memory/paths';
import type { RunTurnResult, ShowMemoryResult } from '../../server/src/protocol';
import { startFakeOpenAI, type FakeOpenAI, type FakeStep } from '../support/fakeOpenAI';
import { failureOf, requestFailed } from './responseErrors';
import { ensureServerBuilt, fileUri, hangGuardMs, LspClient } from './lspClient';
import { completionExample } from './prompts';

const requestCancelled = -32800;
const invalidParams = -32602;

describe('runTurn with replaceLast over LSP', { timeout: hangGuardMs }, () => {
  let fake: FakeOpenAI;
  let client: LspClient;
  let workspace: string;
  let stateDir: string;
  let files = 0;

  before(async () => {
    ensureServerBuilt();
    workspace = mkdtempSync(path.join(tmpdir(), 'prompt-chain-replace-'));
    stateDir = path.join(workspace, 'state');
    fake = await startFakeOpenAI();
    client = await LspClient.start({
      pull: true,
      workspaceFolder: workspace,
      env: { OPENAI_BASE_URL: fake.baseURL, OPENAI_API_KEY: 'sk-replace-test', XDG_STATE_HOME: path.join(workspace, 'xdg') },
      initializationOptions: { stateDir },
    });
  });
  after(async () => {
    await client.stop();
    await fake.close();
    rmSync(workspace, { recursive: true, force: true });
  });

  /** A new open prompt file (its own conversation) and where its records are kept. */
  async function promptFile(text = completionExample): Promise<{ uri: string; records: string }> {
    const file = path.join(workspace, `chat-${++files}.prompt`);
    writeFileSync(file, text);
    const uri = fileUri(file);
    await client.open(uri, text, 1);
    const id = conversationId(conversationIdentity(workspace, file, 'file', 'chat_history'));
    return { uri, records: conversationPaths(path.join(stateDir, workspaceFolderId(workspace)), id).records };
  }

  const run = (uri: string, input: string, extra: object = {}) => client.executeCommand<RunTurnResult>('promptChain.runTurn', { uri, input, ...extra });
  const turnsOf = async (uri: string) => (await client.executeCommand<ShowMemoryResult>('promptChain.showMemory', { uri })).turns;

  /** Stores the turns a → 1, b → 2, c → 3 by running them. */
  async function threeTurns(uri: string): Promise<void> {
    for (const [input, output] of [['a', '1'], ['b', '2'], ['c', '3']] as const) {
      fake.enqueue({ reply: output });
      await run(uri, input);
    }
  }

  const lines = (records: string) => readFileSync(records, 'utf8').split('\n').slice(0, -1);

  test('the model gets the memory before the replaced turn; the file keeps its records with the last one new, a damaged line kept; the next turn sees it', async () => {
    const { uri, records } = await promptFile();
    await threeTurns(uri);
    // A line damaged by something else, written the way another tool would (a new file renamed in).
    const [first, ...rest] = lines(records);
    writeFileSync(`${records}.other`, [first, '{"not a turn', ...rest, ''].join('\n'));
    renameSync(`${records}.other`, records);
    const before = lines(records);

    fake.enqueue({ reply: '3 again' });
    const sent = fake.requests.length;
    const turn = await run(uri, 'c edited', { replaceLast: { input: 'c', output: '3' } });
    assert.equal(fake.requests.length, sent + 1);
    const prompt = fake.requests.at(-1)!.body.prompt as string;
    assert.equal(turn.prompt, prompt);
    assert.ok(prompt.includes('Human: a\nAI: 1\nHuman: b\nAI: 2\nHuman: c edited'), prompt);
    assert.ok(!prompt.includes('Human: c\n'), 'the replaced turn is not in the memory sent');

    const after = lines(records);
    assert.equal(after.length, before.length, 'as many records as before');
    assert.deepEqual(after.slice(0, -1), before.slice(0, -1), 'every line before the last kept byte for byte, the damaged one too');
    const last = JSON.parse(after.at(-1)!) as { input: string; output: string; at: string };
    assert.deepEqual({ input: last.input, output: last.output }, { input: 'c edited', output: '3 again' });
    assert.match(last.at, /^\d{4}-\d\d-\d\dT/);
    assert.deepEqual(await turnsOf(uri), [
      { input: 'a', output: '1' },
      { input: 'b', output: '2' },
      { input: 'c edited', output: '3 again' },
    ]);

    fake.enqueue({ reply: '4' });
    await run(uri, 'd');
    assert.ok((fake.requests.at(-1)!.body.prompt as string).includes('Human: b\nAI: 2\nHuman: c edited\nAI: 3 again\nHuman: d'));
    assert.equal(lines(records).length, before.length + 1);
  });

  test('a turn that is no longer the last one is refused with kind memory, reason last-turn-changed; nothing sent, the file unchanged', async () => {
    const { uri, records } = await promptFile();
    await threeTurns(uri);
    const before = readFileSync(records);
    const sent = fake.requests.length;
    for (const replaceLast of [{ input: 'b', output: '2' }, { input: 'c', output: '3 (as shown before a retry)' }]) {
      const error = await failureOf(run(uri, 'c again', { replaceLast }));
      assert.equal(error.code, requestFailed);
      assert.deepEqual(error.data, { kind: 'memory', reason: 'last-turn-changed' });
      assert.match(error.message, /^The conversation's last turn is no longer the one to replace .*nothing was sent/);
      assert.ok(!error.message.includes('\n'), 'one line');
    }
    assert.equal(fake.requests.length, sent, 'nothing sent');
    assert.deepEqual(readFileSync(records), before);
  });

  test('a cleared conversation has no last turn to replace: refused, nothing sent', async () => {
    const { uri } = await promptFile();
    await threeTurns(uri);
    await client.executeCommand('promptChain.clearMemory', { uri });
    const sent = fake.requests.length;
    const error = await failureOf(run(uri, 'c again', { replaceLast: { input: 'c', output: '3' } }));
    assert.equal(error.data?.reason, 'last-turn-changed');
    assert.equal(fake.requests.length, sent);
    assert.deepEqual(await turnsOf(uri), []);
  });

  test('a failed model call (refused, a stream cut short, an empty reply) leaves the file byte for byte as it was', async () => {
    const { uri, records } = await promptFile();
    await threeTurns(uri);
    const before = readFileSync(records);
    const steps: FakeStep[] = [{ fault: 'status', status: 401 }, { fault: 'truncate', chunks: ['half a'] }, { fault: 'empty' }];
    for (const step of steps) {
      fake.enqueue(step);
      const error = await failureOf(run(uri, 'c again', { replaceLast: { input: 'c', output: '3' } }));
      assert.equal(error.code, requestFailed, error.message);
      assert.notEqual(error.data?.kind, 'memory', error.message);
      assert.deepEqual(readFileSync(records), before, JSON.stringify(step));
    }
    // The retry that then works replaces the same turn.
    fake.enqueue({ reply: '3 at last' });
    await run(uri, 'c again', { replaceLast: { input: 'c', output: '3' } });
    assert.deepEqual((await turnsOf(uri)).at(-1), { input: 'c again', output: '3 at last' });
    assert.equal((await turnsOf(uri)).length, 3);
  });

  test('a cancelled replacing turn leaves the file byte for byte as it was', async () => {
    const { uri, records } = await promptFile();
    await threeTurns(uri);
    const before = readFileSync(records);
    fake.enqueue({ fault: 'hang', chunks: ['I was about to'] });
    const cancellation = new CancellationTokenSource();
    const turn = client.executeCommand('promptChain.runTurn', { uri, input: 'c again', turnId: 'replace-cancelled', replaceLast: { input: 'c', output: '3' } }, cancellation);
    await client.progress.waitFor((p) => p.turnId === 'replace-cancelled' && p.kind === 'token');
    cancellation.cancel();
    const error = await failureOf(turn);
    assert.equal(error.code, requestCancelled);
    await fake.waitForClientAbort();
    assert.deepEqual(readFileSync(records), before);
  });

  test('replaceLast that is not a turn is InvalidParams naming it', async () => {
    const { uri } = await promptFile();
    for (const replaceLast of ['c', { input: 'c' }, { input: 'c', output: 3 }, ['c', '3']]) {
      const error = await failureOf(run(uri, 'c', { replaceLast }));
      assert.equal(error.code, invalidParams);
      assert.match(error.message, /needs "replaceLast" as a turn/);
    }
  });

  test('with memory: false there is nothing stored to replace: the turn simply runs', async () => {
    const { uri } = await promptFile('---\nmemory: false\n---\nHuman: {input}\nAI:');
    fake.enqueue({ reply: 'fine' });
    const turn = await run(uri, 'again', { replaceLast: { input: 'first', output: 'shown' } });
    assert.equal(turn.reply, 'fine');
  });
});
