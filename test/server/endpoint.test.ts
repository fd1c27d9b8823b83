// Where a turn is sent and what the server says about the key. Neither a `.prompt` file nor the settings the
// editor answers workspace/configuration with may choose the endpoint the API key goes to: a file is
// workspace content (a cloned repository, a pull request), and Neovim and Helix build those settings from
// project-local configuration too. The endpoint is initializationOptions.baseUrl (the user's editor
// configuration), else OPENAI_BASE_URL, else OpenAI's; a configured `baseUrl` counts only when the client
// declares `configurationIsUserLevel` (the VS Code client, whose middleware answers the user-level value).
// And whatever the tracing, the key never appears in anything the server writes.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { InitializationOptions, RunTurnResult } from '../../server/src/protocol';
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
  data?: { kind?: string; reason?: string };
}

interface StartOptions {
  /** `promptChain.baseUrl` as the client answers workspace/configuration. */
  settingsBaseUrl?: string;
  baseUrlEnv?: string;
  apiKeyEnv?: string;
  initializationOptions?: InitializationOptions;
}

describe('the endpoint is the one the user configured', { timeout: hangGuardMs }, () => {
  let userEndpoint: FakeOpenAI;
  let trap: FakeOpenAI;
  let workspace: string;
  let redirectUri: string;
  let cleanUri: string;
  const clients: LspClient[] = [];

  before(async () => {
    ensureServerBuilt();
    [userEndpoint, trap] = await Promise.all([startFakeOpenAI(), startFakeOpenAI()]);
    workspace = mkdtempSync(path.join(tmpdir(), 'prompt-chain-endpoint-'));
    writeFileSync(path.join(workspace, 'redirect.prompt'), redirectingPrompt(trap.baseURL));
    writeFileSync(path.join(workspace, 'chat.prompt'), chatPrompt);
    redirectUri = fileUri(path.join(workspace, 'redirect.prompt'));
    cleanUri = fileUri(path.join(workspace, 'chat.prompt'));
  });
  after(async () => {
    await Promise.all(clients.map((client) => client.stop()));
    await Promise.all([userEndpoint.close(), trap.close()]);
    rmSync(workspace, { recursive: true, force: true });
  });

  async function start(options: StartOptions): Promise<LspClient> {
    const client = await LspClient.start({
      pull: true,
      workspaceFolder: workspace,
      settings: options.settingsBaseUrl === undefined ? {} : { baseUrl: options.settingsBaseUrl },
      env: {
        OPENAI_API_KEY: 'apiKeyEnv' in options ? options.apiKeyEnv : apiKey,
        OPENAI_BASE_URL: options.baseUrlEnv,
        XDG_STATE_HOME: path.join(workspace, 'xdg'),
      },
      initializationOptions: { stateDir: path.join(workspace, 'state'), ...options.initializationOptions },
    });
    clients.push(client);
    return client;
  }

  /** Runs one turn and says which fake server received it. */
  async function turnGoesTo(client: LspClient): Promise<{ reply: string; user: number; trap: number }> {
    const before = [userEndpoint.requests.length, trap.requests.length];
    userEndpoint.enqueue({ reply: 'From your endpoint.' });
    trap.enqueue({ reply: 'From the trap.' });
    const result = await client.executeCommand<RunTurnResult>('promptChain.runTurn', { uri: cleanUri, input: 'Where am I?' });
    const counts = { user: userEndpoint.requests.length - before[0]!, trap: trap.requests.length - before[1]! };
    userEndpoint.reset();
    trap.reset();
    return { reply: result.reply, ...counts };
  }

  test('endpoint-like keys in the file are endpoint-in-file errors at the key, and the turn is sent nowhere', async () => {
    const client = await start({ initializationOptions: { baseUrl: userEndpoint.baseURL } });
    await client.open(redirectUri, redirectingPrompt(trap.baseURL), 1);
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
      (error: ResponseErrorShape & { data?: { diagnostics?: { code?: string }[] } }) =>
        error.code === -32803 && error.data?.kind === 'file-has-errors' && error.data.diagnostics?.filter((d) => d.code === 'endpoint-in-file').length === 2,
    );
    assert.deepEqual([userEndpoint.requests.length, trap.requests.length], [0, 0]);
  });

  test('a client that does not declare its settings user-level: their baseUrl is ignored, OPENAI_BASE_URL decides', async () => {
    const client = await start({ settingsBaseUrl: trap.baseURL, baseUrlEnv: userEndpoint.baseURL });
    assert.deepEqual(await turnGoesTo(client), { reply: 'From your endpoint.', user: 1, trap: 0 });
    const warning = await client.logs.waitFor((log) => log.message.includes('Ignoring promptChain.baseUrl'));
    assert.match(warning.message, /initializationOptions\.baseUrl or OPENAI_BASE_URL/);
  });

  test('... and initializationOptions.baseUrl, from the user\'s editor configuration, wins over OPENAI_BASE_URL', async () => {
    const client = await start({ settingsBaseUrl: trap.baseURL, baseUrlEnv: trap.baseURL, initializationOptions: { baseUrl: userEndpoint.baseURL } });
    assert.deepEqual(await turnGoesTo(client), { reply: 'From your endpoint.', user: 1, trap: 0 });
  });

  test('a configurationIsUserLevel that is not `true` counts as absent', async () => {
    const initializationOptions = { configurationIsUserLevel: 'yes' } as unknown as InitializationOptions;
    const client = await start({ settingsBaseUrl: trap.baseURL, baseUrlEnv: userEndpoint.baseURL, initializationOptions });
    assert.deepEqual(await turnGoesTo(client), { reply: 'From your endpoint.', user: 1, trap: 0 });
  });

  test('a client that declares configurationIsUserLevel: its configured baseUrl is used', async () => {
    const client = await start({
      settingsBaseUrl: userEndpoint.baseURL,
      baseUrlEnv: trap.baseURL,
      initializationOptions: { configurationIsUserLevel: true, baseUrl: trap.baseURL },
    });
    assert.deepEqual(await turnGoesTo(client), { reply: 'From your endpoint.', user: 1, trap: 0 });
  });

  test('a base URL that is not an http(s) URL, and OpenAI without a key: refused with a clear error, nothing sent', async () => {
    const badUrl = await start({ initializationOptions: { baseUrl: 'localhost:11434/v1' } });
    await assert.rejects(
      badUrl.executeCommand('promptChain.runTurn', { uri: cleanUri, input: 'Hi' }),
      (error: ResponseErrorShape) => error.code === -32803 && error.data?.kind === 'endpoint' && error.data?.reason === 'bad-url' && error.message.includes('"localhost:11434/v1"'),
    );
  });

  test('a refused base URL says where it came from: the setting, initializationOptions or OPENAI_BASE_URL', async () => {
    const withPassword = userEndpoint.baseURL.replace('//', '//alice:s3cret-pw@');
    const cases: [StartOptions, string][] = [
      [{ settingsBaseUrl: 'localhost:1/v1', initializationOptions: { configurationIsUserLevel: true } }, 'the promptChain.baseUrl setting'],
      [{ initializationOptions: { baseUrl: 'localhost:1/v1' } }, 'the initializationOptions.baseUrl setting'],
      [{ baseUrlEnv: 'localhost:1/v1' }, 'OPENAI_BASE_URL'],
      [{ settingsBaseUrl: withPassword, initializationOptions: { configurationIsUserLevel: true } }, 'the promptChain.baseUrl setting'],
      [{ initializationOptions: { baseUrl: withPassword } }, 'the initializationOptions.baseUrl setting'],
    ];
    for (const [options, source] of cases) {
      const client = await start(options);
      await assert.rejects(client.executeCommand('promptChain.runTurn', { uri: cleanUri, input: 'Hi' }), (error: ResponseErrorShape) => {
        assert.equal(error.data?.kind, 'endpoint');
        assert.equal(error.data?.reason, 'bad-url');
        assert.ok(error.message.includes(`(from ${source})`), error.message);
        assert.ok(!error.message.includes('s3cret-pw'), error.message);
        return true;
      });
    }
    assert.equal(userEndpoint.requests.length, 0);
  });

  test('OpenAI named without a key: refused with a clear error, nothing sent', async () => {
    // Named: with no endpoint and no key at all the turn would run on the local model instead.
    const noKey = await start({ apiKeyEnv: undefined, baseUrlEnv: 'https://api.openai.com/v1' });
    await assert.rejects(
      noKey.executeCommand('promptChain.runTurn', { uri: cleanUri, input: 'Hi' }),
      (error: ResponseErrorShape) => error.data?.kind === 'auth' && error.data?.reason === 'missing-key' && error.message.startsWith('No API key for https://api.openai.com/v1:'),
    );
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
      settings: { trace: { server: 'verbose' } },
      // OPENAI_LOG=debug would have the SDK log every request it makes (headers included); ours keeps it silent.
      env: { OPENAI_API_KEY: apiKey, OPENAI_LOG: 'debug', XDG_STATE_HOME: path.join(workspace, 'xdg') },
      initializationOptions: { stateDir: path.join(workspace, 'state'), baseUrl: fake.baseURL },
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

    // Everything was captured (the reply went through the protocol), the SDK logged nothing despite
    // OPENAI_LOG=debug, and the key is nowhere, whole or in part.
    assert.match(written, /Hello there\./);
    assert.doesNotMatch(written, /sending request|\[log_[0-9a-f]+\]/);
    assert.ok(!written.includes(apiKey), 'the key appears in what the server wrote');
    assert.ok(!written.includes(apiKey.slice(3, 20)), 'part of the key appears in what the server wrote');
  });
});
