// Shared histories through the real server: a file naming a store (memory.history) and a session attached
// to a file (promptChain.attachHistorySession) make runTurn / showMemory / clearMemory work on the store's
// session — real `file:` and `sqlite:` stores on temp files and a real redis-server with a password, the
// model the fake OpenAI server. The turn's
// messages are appended as LangChain writes them; an untrusted workspace attaches nothing; a store URL's
// password is never in a message, a log line or a file the server writes.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { CodeLens } from 'vscode-languageserver/node';
import * as path from 'node:path';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fakeOpenAI';
import { closedPort } from '../support/ports';
import { startRedisServer, type RedisServer } from '../support/redisServer';
import type { HistoryAttachment, ListHistorySessionsResult, RunTurnResult, ShowMemoryResult, TurnInputsResult } from '../../server/src/protocol';
import { TurnInputsRequest, WorkspaceTrustedNotification } from '../../server/src/protocol';
import { ensureServerBuilt, fileUri, LspClient, hangGuardMs } from './lspClient';
import { parseHistoryUrl } from '../../core/history/historyUrl';
import { openHistory } from '../../core/history/openHistory';
import { encodeMessage } from '../../core/history/messageDicts';
import type { ChatMessage } from '../../core/chain/types';

interface ResponseErrorShape {
  code: number;
  message: string;
  data?: { kind?: string; reason?: string };
}

const RequestFailed = -32803;
const password = 'pw-SECRET-4711';

/** The chat prompt of LangChain's memory example, its memory optionally naming a store. */
function chatPrompt(history?: string): string {
  const memory = history ? `memory:\n  key: chat_history\n  history: ${history}\n` : 'memory:\n  key: chat_history\n';
  return `---\n${memory}---\nYou are a chatbot having a conversation with a human.\n\n{chat_history}\nHuman: {human_input}\nChatbot:\n`;
}

const seeded: ChatMessage[] = [
  { type: 'system', content: 'The user is on the Pro plan.' },
  { type: 'human', content: 'Where is my order?' },
  { type: 'ai', content: 'It shipped yesterday.' },
];

/** Writes messages into a store exactly as LangChain's Python classes do (the codec's encodeMessage). */
async function seed(url: string, sessionId: string, messages: ChatMessage[], cwd: string): Promise<void> {
  const store = await openHistory(parseHistoryUrl(url, cwd));
  try {
    await store.append(sessionId, messages.map((message) => encodeMessage(message, 'python')));
  } finally {
    await store.close();
  }
}

async function rawMessages(url: string, sessionId: string, cwd: string): Promise<string[]> {
  const store = await openHistory(parseHistoryUrl(url, cwd));
  try {
    return (await store.messages(sessionId)).map((message) => message.raw);
  } finally {
    await store.close();
  }
}

function isFailure(kind: string, reason: string, text?: RegExp) {
  return (error: ResponseErrorShape) => error.code === RequestFailed && error.data?.kind === kind && error.data.reason === reason && (!text || text.test(error.message));
}

/** Every file under `dir`, read as text (the server's state folder). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => path.join(dir, name))
    .filter((file) => statSync(file).isFile())
    .map((file) => readFileSync(file, 'utf8'));
}

describe('shared histories over LSP', { timeout: hangGuardMs }, () => {
  let fake: FakeOpenAI;
  let workspace: string;
  let client: LspClient;
  let fileUrl: string;
  let sqliteUrl: string;
  const uris = { named: '', attached: '' };

  before(async () => {
    ensureServerBuilt();
    workspace = mkdtempSync(path.join(tmpdir(), 'prompt-chain-shared-'));
    fileUrl = `file:${path.join(workspace, 'team-history.json')}`;
    sqliteUrl = `sqlite:${path.join(workspace, 'app.db')}`;
    await seed(fileUrl, 'default', seeded, workspace);
    await seed(sqliteUrl, 'alpha', seeded.slice(1), workspace);
    await seed(sqliteUrl, 'beta', [{ type: 'human', content: 'Hello from beta' }, { type: 'ai', content: 'Hi, beta.' }], workspace);
    const stores = { team: fileUrl, app: sqliteUrl, guarded: `redis://:${password}@127.0.0.1:${await closedPort()}/0` };
    fake = await startFakeOpenAI();
    client = await LspClient.start({
      pull: true,
      workspaceFolder: workspace,
      env: { OPENAI_BASE_URL: fake.baseURL, OPENAI_API_KEY: 'sk-test-key', PROMPT_CHAIN_HISTORY_STORES: JSON.stringify(stores), XDG_STATE_HOME: path.join(workspace, 'xdg') },
      initializationOptions: { stateDir: path.join(workspace, 'state'), workspaceTrusted: true },
    });
    uris.named = fileUri(path.join(workspace, 'named.prompt'));
    uris.attached = fileUri(path.join(workspace, 'attached.prompt'));
    await client.open(uris.named, chatPrompt('team'), 1);
    await client.open(uris.attached, chatPrompt(), 1);
  });
  after(async () => {
    await client.stop();
    await fake.close();
    rmSync(workspace, { recursive: true, force: true });
  });

  const memory = (uri: string) => client.executeCommand<ShowMemoryResult>('promptChain.showMemory', { uri });
  const clearLensTitle = async (uri: string) => {
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    return lenses.map((lens) => lens.command?.title ?? '').find((title) => title.startsWith('Clear memory'));
  };
  const runTurn = (uri: string, input: string) => client.executeCommand<RunTurnResult>('promptChain.runTurn', { uri, input });

  test('a file naming a store shows the store\'s conversation, its system message in place', async () => {
    const shown = await memory(uris.named);
    assert.deepEqual(shown.turns, [{ lone: seeded[0] }, { input: 'Where is my order?', output: 'It shipped yesterday.' }]);
    assert.deepEqual(shown.history, { store: 'team', display: fileUrl, sessionId: 'default', readonly: false, source: 'file' });
  });

  test('its turn sends the stored conversation and appends the human and AI messages as LangChain writes them', async () => {
    const before = await rawMessages(fileUrl, 'default', workspace);
    fake.enqueue({ reply: 'It arrives tomorrow.' });
    const result = await runTurn(uris.named, 'When will it arrive?');
    assert.equal(
      result.prompt,
      'You are a chatbot having a conversation with a human.\n\nSystem: The user is on the Pro plan.\nHuman: Where is my order?\nAI: It shipped yesterday.\nHuman: When will it arrive?\nChatbot:',
    );
    assert.equal(fake.requests.at(-1)?.body.prompt, result.prompt, 'what the model received');
    const after = await rawMessages(fileUrl, 'default', workspace);
    assert.deepEqual(after, [
      ...before,
      encodeMessage({ type: 'human', content: 'When will it arrive?' }, 'python'),
      encodeMessage({ type: 'ai', content: 'It arrives tomorrow.' }, 'python'),
    ]);
  });

  test('the status bar\'s answer names the store and session', async () => {
    const inputs = await client.request<TurnInputsResult>(TurnInputsRequest, { uri: uris.named });
    assert.equal(inputs.history?.store, 'team');
    assert.equal(inputs.history?.sessionId, 'default');
  });

  test('the stores and a store\'s sessions are listed; a password is shown as ***', async () => {
    const listing = await client.executeCommand<ListHistorySessionsResult>('promptChain.listHistorySessions', { uri: uris.attached, store: 'app' });
    assert.deepEqual(listing.sessions, ['alpha', 'beta']);
    assert.deepEqual(listing.store, { name: 'app', display: sqliteUrl });
    assert.deepEqual(listing.stores.map((store) => store.name), ['app', 'guarded', 'team']);
    const guarded = listing.stores.find((store) => store.name === 'guarded');
    assert.match(guarded?.display ?? '', /^redis:\/\/:\*\*\*@127\.0\.0\.1:\d+\/0$/);
  });

  test('a session attached to a file is its conversation: shown, run, appended; detached, the local one again', async () => {
    const attached = await client.executeCommand<HistoryAttachment | null>('promptChain.attachHistorySession', { uri: uris.attached, store: 'app', sessionId: 'beta' });
    assert.deepEqual(attached, { store: 'app', display: sqliteUrl, sessionId: 'beta', readonly: false, source: 'attached' });
    assert.deepEqual((await memory(uris.attached)).turns, [{ input: 'Hello from beta', output: 'Hi, beta.' }]);
    assert.equal(await clearLensTitle(uris.attached), 'Clear memory (1 turn)', 'the code lens counts the session\'s turns');
    fake.enqueue({ reply: 'Noted.' });
    const result = await runTurn(uris.attached, 'Remember me');
    assert.match(result.prompt, /Human: Hello from beta\nAI: Hi, beta\.\nHuman: Remember me\nChatbot:$/);
    assert.deepEqual((await rawMessages(sqliteUrl, 'beta', workspace)).slice(-2), [
      encodeMessage({ type: 'human', content: 'Remember me' }, 'python'),
      encodeMessage({ type: 'ai', content: 'Noted.' }, 'python'),
    ]);
    assert.equal((await rawMessages(sqliteUrl, 'alpha', workspace)).length, 2, 'another session is untouched');
    assert.equal(await client.executeCommand('promptChain.attachHistorySession', { uri: uris.attached, store: null, sessionId: null }), null);
    const local = await memory(uris.attached);
    assert.equal(local.history, undefined);
    assert.deepEqual(local.turns, []);
  });

  test('formatPrompt fills the session in; clearMemory deletes that session only', async () => {
    await client.executeCommand('promptChain.attachHistorySession', { uri: uris.attached, store: 'app', sessionId: 'alpha' });
    const formatted = await client.executeCommand<{ prompt: string }>('promptChain.formatPrompt', { uri: uris.attached, input: 'Any news?' });
    assert.match(formatted.prompt, /Human: Where is my order\?\nAI: It shipped yesterday\.\nHuman: Any news\?\nChatbot:$/);
    const betaBefore = await rawMessages(sqliteUrl, 'beta', workspace);
    assert.deepEqual(await client.executeCommand('promptChain.clearMemory', { uri: uris.attached }), { cleared: 1 });
    assert.deepEqual(await rawMessages(sqliteUrl, 'alpha', workspace), []);
    assert.deepEqual(await rawMessages(sqliteUrl, 'beta', workspace), betaBefore, 'another session is untouched');
    await client.executeCommand('promptChain.attachHistorySession', { uri: uris.attached, store: null, sessionId: null });
  });

  test('a file naming a store takes only a session of that store', async () => {
    await assert.rejects(
      client.executeCommand('promptChain.attachHistorySession', { uri: uris.named, store: 'app', sessionId: 'alpha' }),
      isFailure('history', 'unknown-store', /names the store "team"/),
    );
    await assert.rejects(
      client.executeCommand('promptChain.attachHistorySession', { uri: uris.attached, store: 'nope', sessionId: 'x' }),
      isFailure('history', 'unknown-store', /No history store is named "nope"/),
    );
  });

  test('a store that cannot be reached is one line with its kind; its password is in no message, log or file', async () => {
    let message = '';
    await assert.rejects(client.executeCommand('promptChain.listHistorySessions', { uri: uris.attached, store: 'guarded' }), (error: ResponseErrorShape) => {
      message = error.message;
      return error.code === RequestFailed && error.data?.kind === 'history' && error.data.reason === 'unreachable';
    });
    assert.match(message, /redis:\/\/:\*\*\*@127\.0\.0\.1/);
    assert.doesNotMatch(message, /\n/);
    await client.executeCommand('promptChain.attachHistorySession', { uri: uris.attached, store: 'guarded', sessionId: 's1' });
    await assert.rejects(runTurn(uris.attached, 'Hello?'), isFailure('history', 'unreachable'));
    await client.executeCommand('promptChain.attachHistorySession', { uri: uris.attached, store: null, sessionId: null });
    const everything = [message, ...client.logs.items.map((log) => log.message), client.stderrText, ...filesUnder(path.join(workspace, 'state'))].join('\n');
    assert.ok(!everything.includes(password), 'the password is nowhere');
  });
});

describe('shared histories in an untrusted workspace', { timeout: hangGuardMs }, () => {
  let workspace: string;
  let client: LspClient;
  let uri: string;

  before(async () => {
    ensureServerBuilt();
    workspace = mkdtempSync(path.join(tmpdir(), 'prompt-chain-untrusted-'));
    const stores = { team: `file:${path.join(workspace, 'team.json')}` };
    writeFileSync(path.join(workspace, 'team.json'), '[]');
    client = await LspClient.start({
      pull: true,
      workspaceFolder: workspace,
      env: { OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', OPENAI_API_KEY: 'sk-test-key', PROMPT_CHAIN_HISTORY_STORES: JSON.stringify(stores) },
      initializationOptions: { stateDir: path.join(workspace, 'state'), workspaceTrusted: false },
    });
    uri = fileUri(path.join(workspace, 'named.prompt'));
    await client.open(uri, chatPrompt('team'), 1);
  });
  after(async () => {
    await client.stop();
    rmSync(workspace, { recursive: true, force: true });
  });

  test('nothing is attached or read: a turn, a listing and an attachment are refused with kind history/untrusted', async () => {
    await assert.rejects(client.executeCommand('promptChain.runTurn', { uri, input: 'hi' }), isFailure('history', 'untrusted', /not trusted/));
    await assert.rejects(client.executeCommand('promptChain.showMemory', { uri }), isFailure('history', 'untrusted'));
    await assert.rejects(client.executeCommand('promptChain.listHistorySessions', { uri }), isFailure('history', 'untrusted'));
    await assert.rejects(client.executeCommand('promptChain.attachHistorySession', { uri, store: 'team', sessionId: 'default' }), isFailure('history', 'untrusted'));
    assert.equal(readFileSync(path.join(workspace, 'team.json'), 'utf8'), '[]');
  });

  test('once the user trusts the workspace, the file\'s store is its conversation', async () => {
    await client.notify(WorkspaceTrustedNotification);
    const shown = await client.executeCommand<ShowMemoryResult>('promptChain.showMemory', { uri });
    assert.equal(shown.history?.store, 'team');
  });
});

describe('a password-protected Redis history over LSP', { timeout: hangGuardMs }, () => {
  let redis: RedisServer;
  let fake: FakeOpenAI;
  let workspace: string;
  let client: LspClient;
  let uri: string;

  before(async () => {
    ensureServerBuilt();
    redis = await startRedisServer('redis-pw-0815');
    workspace = mkdtempSync(path.join(tmpdir(), 'prompt-chain-redis-lsp-'));
    await seed(redis.url, 'sess-1', seeded.slice(1), workspace);
    fake = await startFakeOpenAI();
    const stores = { shared: redis.url, wrong: redis.url.replace('redis-pw-0815', 'not-the-password') };
    client = await LspClient.start({
      pull: true,
      workspaceFolder: workspace,
      env: { OPENAI_BASE_URL: fake.baseURL, OPENAI_API_KEY: 'sk-test-key', PROMPT_CHAIN_HISTORY_STORES: JSON.stringify(stores) },
      initializationOptions: { stateDir: path.join(workspace, 'state') },
    });
    uri = fileUri(path.join(workspace, 'shared.prompt'));
    await client.open(uri, chatPrompt('shared'), 1);
  });
  after(async () => {
    await client.stop();
    await fake.close();
    await redis.stop();
    rmSync(workspace, { recursive: true, force: true });
  });

  test('the session is listed, attached, run; the turn lands in the Redis list as LangChain writes it', async () => {
    const listing = await client.executeCommand<ListHistorySessionsResult>('promptChain.listHistorySessions', { uri });
    assert.deepEqual(listing.sessions, ['sess-1']);
    assert.equal(listing.fileStore, 'shared');
    await client.executeCommand('promptChain.attachHistorySession', { uri, store: 'shared', sessionId: 'sess-1' });
    fake.enqueue({ reply: 'Tomorrow.' });
    const result = await client.executeCommand<RunTurnResult>('promptChain.runTurn', { uri, input: 'And when does it arrive?' });
    assert.match(result.prompt, /Human: Where is my order\?\nAI: It shipped yesterday\.\nHuman: And when does it arrive\?\nChatbot:$/);
    assert.deepEqual((await rawMessages(redis.url, 'sess-1', workspace)).slice(-2), [
      encodeMessage({ type: 'human', content: 'And when does it arrive?' }, 'python'),
      encodeMessage({ type: 'ai', content: 'Tomorrow.' }, 'python'),
    ]);
  });

  test('a wrong password is kind history/auth in one line; neither password is in a message, log or file', async () => {
    let message = '';
    await assert.rejects(client.executeCommand('promptChain.listHistorySessions', { uri, store: 'wrong' }), (error: ResponseErrorShape) => {
      message = error.message;
      return error.code === RequestFailed && error.data?.kind === 'history' && error.data.reason === 'auth';
    });
    assert.doesNotMatch(message, /\n/);
    const everything = [message, ...client.logs.items.map((log) => log.message), client.stderrText, ...filesUnder(path.join(workspace, 'state'))].join('\n');
    for (const secret of ['redis-pw-0815', 'not-the-password']) assert.ok(!everything.includes(secret), `${secret} is nowhere`);
  });
});
