// Where a turn is sent and what the server says about the key. A `.prompt` file is workspace content (a
// cloned repository, a pull request): it must never choose the endpoint the API key goes to. An
// endpoint-like key in its front matter is an endpoint-in-file error (and a file with errors is not run); the
// endpoint comes from the user's settings, else OPENAI_BASE_URL. And whatever the tracing, the key never
// appears in anything the server writes.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { RunTurnResult } from '../../server/src/protocol';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fakeOpenAI';
import { variant } from '../support/examples';
import { CancellationTokenSource, ensureServerBuilt, fileUri, hangGuardMs, LspClient } from './lspClient';

const apiKey = 'sk-prompt-chain-test-0123456789abcdef';

const chatPrompt = `---
memory:
  key: chat_history
---
{chat_history}
Human: {human_input}
AI:
`;

/** The same prompt, with front-matter keys that try to send the turn to `redirectTo`. */
function redirectingPrompt(redirectTo: string): string {
  return variant(chatPrompt, 'memory:', `base_url: ${redirectTo}\nparameters:\n  openai_api_base: ${redirectTo}\nmemory:`);
}

interface ResponseErrorShape {
  code: number;
  message: string;
}

describe('the endpoint never comes from the .prompt file', { timeout: hangGuardMs }, () => {
  let configured: FakeOpenAI;
  let named: FakeOpenAI;
  let workspace: string;
  let redirectUri: string;
  let cleanUri: string;
  const clients: LspClient[] = [];

  before(async () => {
    ensureServerBuilt();
    [configured, named] = await Promise.all([startFakeOpenAI(), startFakeOpenAI()]);
    workspace = mkdtempSync(path.join(tmpdir(), 'prompt-chain-endpoint-'));
    writeFileSync(path.join(workspace, 'redirect.prompt'), redirectingPrompt(named.baseURL));
    writeFileSync(path.join(workspace, 'chat.prompt'), chatPrompt);
    redirectUri = fileUri(path.join(workspace, 'redirect.prompt'));
    cleanUri = fileUri(path.join(workspace, 'chat.prompt'));
  });
  after(async () => {
    await Promise.all(clients.map((client) => client.stop()));
    await Promise.all([configured.close(), named.close()]);
    rmSync(workspace, { recursive: true, force: true });
  });

  async function start(options: { baseUrlSetting?: string; baseUrlEnv?: string }): Promise<LspClient> {
    const client = await LspClient.start({
      pull: true,
      workspaceFolder: workspace,
      settings: options.baseUrlSetting === undefined ? {} : { baseUrl: options.baseUrlSetting },
      env: { OPENAI_API_KEY: apiKey, OPENAI_BASE_URL: options.baseUrlEnv, XDG_STATE_HOME: path.join(workspace, 'xdg') },
      initializationOptions: { stateDir: path.join(workspace, 'state') },
    });
    clients.push(client);
    return client;
  }

  test('endpoint-like keys are endpoint-in-file errors at the key, and the turn is sent nowhere', async () => {
    const client = await start({ baseUrlSetting: configured.baseURL });
    await client.open(redirectUri, redirectingPrompt(named.baseURL), 1);
    const unknown = (await client.pulledDiagnostics(redirectUri)).filter((d) => d.code === 'endpoint-in-file');
    assert.deepEqual(
      unknown.map((d) => [d.range, d.severity]),
      [
        [{ start: { line: 1, character: 0 }, end: { line: 1, character: 8 } }, 1],
        [{ start: { line: 3, character: 2 }, end: { line: 3, character: 17 } }, 1],
      ],
    );
    await assert.rejects(
      client.executeCommand('promptChain.runTurn', { uri: redirectUri, input: 'Where am I?' }),
      (error: ResponseErrorShape) => error.code === -32803 && error.message.includes('base_url'),
    );
    assert.deepEqual([configured.requests.length, named.requests.length], [0, 0]);
  });

  test('with promptChain.baseUrl set, the turn goes there, not to OPENAI_BASE_URL', async () => {
    const client = await start({ baseUrlSetting: configured.baseURL, baseUrlEnv: named.baseURL });
    configured.enqueue({ reply: 'From the configured endpoint.' });
    const result = await client.executeCommand<RunTurnResult>('promptChain.runTurn', { uri: cleanUri, input: 'Where am I?' });
    assert.equal(result.reply, 'From the configured endpoint.');
    assert.deepEqual([configured.requests.length, named.requests.length], [1, 0]);
  });

  test('without the setting, OPENAI_BASE_URL decides', async () => {
    const client = await start({ baseUrlEnv: configured.baseURL });
    configured.enqueue({ reply: 'From OPENAI_BASE_URL.' });
    const result = await client.executeCommand<RunTurnResult>('promptChain.runTurn', { uri: cleanUri, input: 'And now?' });
    assert.equal(result.reply, 'From OPENAI_BASE_URL.');
    assert.deepEqual([configured.requests.length, named.requests.length], [2, 0]);
  });
});

describe('the API key is never logged', { timeout: hangGuardMs }, () => {
  let fake: FakeOpenAI;
  let client: LspClient;
  let workspace: string;
  let uri: string;
  let written = '';

  before(async () => {
    ensureServerBuilt();
    fake = await startFakeOpenAI();
    workspace = mkdtempSync(path.join(tmpdir(), 'prompt-chain-key-'));
    const file = path.join(workspace, 'chat.prompt');
    writeFileSync(file, chatPrompt);
    uri = fileUri(file);
    client = await LspClient.start({
      pull: true,
      workspaceFolder: workspace,
      settings: { baseUrl: fake.baseURL, trace: { server: 'verbose' } },
      // OPENAI_LOG=debug: the SDK logs every request it makes, through the console the server redirects.
      env: { OPENAI_API_KEY: apiKey, OPENAI_LOG: 'debug', XDG_STATE_HOME: path.join(workspace, 'xdg') },
      initializationOptions: { stateDir: path.join(workspace, 'state') },
    });
    // Everything the server writes: the protocol (logs, traces, results, errors) and stderr.
    client.process.stdout.on('data', (chunk: Buffer) => (written += chunk.toString()));
    client.process.stderr.on('data', (chunk: Buffer) => (written += chunk.toString()));
    await client.connection.sendNotification('$/setTrace', { value: 'verbose' });
    await client.open(uri, chatPrompt, 1);
  });
  after(async () => {
    await client.stop();
    await fake.close();
    rmSync(workspace, { recursive: true, force: true });
  });

  test('through a turn, an auth failure, a missing model and a cancelled turn', async () => {
    fake.enqueue({ reply: 'Hello there.' });
    await client.executeCommand('promptChain.runTurn', { uri, input: 'Hi' });
    assert.equal(fake.requests.at(-1)?.headers.authorization, `Bearer ${apiKey}`, 'the key did reach the endpoint');

    fake.enqueue({ fault: 'status', status: 401 });
    await assert.rejects(client.executeCommand('promptChain.runTurn', { uri, input: 'Again' }), (error: ResponseErrorShape) => error.code === -32803);
    fake.enqueue({ fault: 'status', status: 404 });
    await assert.rejects(client.executeCommand('promptChain.runTurn', { uri, input: 'Once more' }), (error: ResponseErrorShape) => error.code === -32803);
    fake.enqueue({ fault: 'hang', chunks: ['Thinking'] });
    const cancellation = new CancellationTokenSource();
    const cancelled = client.executeCommand('promptChain.runTurn', { uri, input: 'Slowly' }, cancellation);
    await fake.waitForHang();
    cancellation.cancel();
    await assert.rejects(cancelled, (error: ResponseErrorShape) => error.code === -32800);
    await client.executeCommand('promptChain.showMemory', { uri });
    await client.pulledDiagnostics(uri);

    // The SDK's debug log shows it was on; the key is nowhere, whole or in part.
    assert.match(written, /sending request/);
    assert.ok(!written.includes(apiKey), 'the key appears in what the server wrote');
    assert.ok(!written.includes(apiKey.slice(3, 20)), 'part of the key appears in what the server wrote');
  });
});
