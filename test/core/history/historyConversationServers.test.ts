// A session of a Redis or Postgres history as the chain's conversation, against the real servers (started
// by the tests on 127.0.0.1, test/support/*Server.ts) and the fake OpenAI server through the real openai
// SDK: the seeded history reaches the prompt, the turn is appended as LangChain writes it, a failed turn and
// a read-only attachment write nothing, and no message or local file holds the password.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runTurn } from '../../../core/chain/run';
import { failureOf } from '../../../core/chain/failure';
import { parseHistoryUrl } from '../../../core/history/historyUrl';
import { openHistory } from '../../../core/history/openHistory';
import { openHistoryConversation } from '../../../core/history/historyConversation';
import type { ChatHistoryStore } from '../../../core/history/types';
import { startRedisServer } from '../../support/redisServer';
import { startPostgresServer } from '../../support/postgresServer';
import type { TestServer } from '../../support/serverProcess';
import { startTcpProxy } from '../../support/tcpProxy';
import { useFakeOpenAI } from '../../support/useFakeOpenAI';
import { loadPrompt, promptFile } from '../chain/helpers';
import { temporaryFolders } from './fixtures/stores';

const golden = (name: string) => readFileSync(join(__dirname, 'fixtures', 'python', `${name}.json`), 'utf8');
const [systemDict, humanDict, aiDict] = [golden('system'), golden('human'), golden('ai')];
const folders = temporaryFolders('history-servers');
const chatFile = promptFile('---', 'model: gpt-4o-mini', 'memory:', '  return_messages: true', '---', 'system:', 'You are kind.', 'placeholder:', '{history}', 'human:', '{input}');

interface ServerKind {
  name: string;
  start(): Promise<TestServer>;
  query: string;
  session: string;
  /** What the client sends when it reads the session (held by the proxy to make the server hang). */
  readCommand: string;
}

const kinds: ServerKind[] = [
  { name: 'redis', start: () => startRedisServer(), query: '', session: 'user-42', readCommand: 'LRANGE' },
  { name: 'postgres', start: () => startPostgresServer(), query: '?table=chat_history', session: '3f0c6a52-7d1e-4f8e-9a49-2b8f5c1e0d11', readCommand: 'SELECT message' },
];

describe('openHistoryConversation over the real servers', () => {
  const { fake, model } = useFakeOpenAI();

  for (const kind of kinds) {
    describe(kind.name, () => {
      let server: TestServer;
      before(async () => {
        server = await kind.start();
      });
      after(() => server.stop());

      async function seeded(query = ''): Promise<ChatHistoryStore> {
        const store = await openHistory(parseHistoryUrl(`${server.url}${kind.query}${query}`, process.cwd()));
        await store.clear(kind.session).catch(() => undefined);
        return store;
      }

      test('a turn sends the seeded history and appends the two dicts LangChain writes; a failed turn appends nothing', async () => {
        const writer = await seeded();
        await writer.append(kind.session, [systemDict]);
        const folder = folders.make();
        const conversation = openHistoryConversation({ store: writer, sessionId: kind.session, stateDir: join(folder, 'state') });
        const { prompt, config } = loadPrompt(chatFile);
        fake.enqueue({ fault: 'status', status: 500 });
        await assert.rejects(runTurn({ prompt, config, input: 'lost', conversation, model: model() }));
        fake.enqueue({ reply: ' Hi there! How can I help you today?' });
        await runTurn({ prompt, config, input: 'Hi there my friend', conversation, model: model() });
        assert.deepEqual((fake.requests.at(-1)!.body as { messages: unknown[] }).messages.slice(1, 2), [{ role: 'system', content: 'You are a chatbot having a conversation with a human.' }]);
        const reader = await openHistory(parseHistoryUrl(`${server.url}${kind.query}`, process.cwd()));
        const expected = await seededRaws(reader, [systemDict, humanDict, aiDict]);
        assert.deepEqual((await reader.messages(kind.session)).map((m) => m.raw), expected);
        await Promise.all([reader.close(), writer.close()]);
        // The local state folder names the store by a hash only: no password, no host.
        const names = readdirSync(join(folder, 'state', 'histories'));
        assert.ok(names.every((name) => !name.includes(server.password) && !name.includes('127.0.0.1')), names.join(', '));
      });

      test('a turn cancelled while the server holds its read ends at once: no model call, nothing stored', async () => {
        const writer = await seeded();
        await writer.append(kind.session, [humanDict, aiDict]);
        const proxy = await startTcpProxy(server.port);
        const hung = await openHistory(parseHistoryUrl(`${server.url.replace(`:${server.port}`, `:${proxy.port}`)}${kind.query}`, process.cwd()));
        const conversation = openHistoryConversation({ store: hung, sessionId: kind.session, stateDir: join(folders.make(), 'state') });
        const { prompt, config } = loadPrompt(chatFile);
        const requests = fake.requests.length;
        const held = proxy.holdAt(kind.readCommand);
        const controller = new AbortController();
        const turn = runTurn({ prompt, config, input: 'Still there?', conversation, model: model(), signal: controller.signal });
        await held;
        const cancelled = performance.now();
        controller.abort();
        // The proxy still holds the read: only the signal can end the turn (the driver would wait ~30 s).
        await assert.rejects(turn, (error: unknown) => failureOf(error)?.kind === 'cancelled');
        assert.ok(performance.now() - cancelled < 2000, 'the turn ends when cancelled, not when the server answers');
        assert.equal(fake.requests.length, requests, 'the model is not called');
        assert.equal((await writer.messages(kind.session)).length, 2, 'nothing stored');
        proxy.release();
        await Promise.all([hung.close(), writer.close()]);
        await proxy.close();
      });

      test('read-only: the reply is shown and nothing is written', async () => {
        const writer = await seeded();
        await writer.append(kind.session, [humanDict, aiDict]);
        const readonly = await openHistory(parseHistoryUrl(`${server.url}${kind.query}${kind.query ? '&' : '?'}readonly=1`, process.cwd()));
        const conversation = openHistoryConversation({ store: readonly, sessionId: kind.session, stateDir: join(folders.make(), 'state') });
        const { prompt, config } = loadPrompt(chatFile);
        fake.enqueue({ reply: 'Here.' });
        const result = await runTurn({ prompt, config, input: 'Hello?', conversation, model: model() });
        assert.equal(result.reply, 'Here.');
        assert.ok(result.notSaved && !result.notSaved.includes(server.password));
        assert.equal((await writer.messages(kind.session)).length, 2);
        await assert.rejects(conversation.clear(), (error: unknown) => failureOf(error)?.reason === 'readonly');
        await Promise.all([readonly.close(), writer.close()]);
      });
    });
  }
});

/**
 * What the store hands back for dicts LangChain wrote: Redis keeps the exact text; Postgres' JSONB
 * normalizes it, so the expectation is what the store returns for the goldens appended directly.
 */
async function seededRaws(store: ChatHistoryStore, dicts: string[]): Promise<string[]> {
  if (store.target.kind === 'redis') return dicts;
  const probe = 'a0000000-0000-4000-8000-000000000000';
  await store.clear(probe);
  await store.append(probe, dicts);
  const raws = (await store.messages(probe)).map((m) => m.raw);
  await store.clear(probe);
  return raws;
}
