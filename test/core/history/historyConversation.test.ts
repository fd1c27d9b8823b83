// A session of a shared history as the chain's conversation, over the real file and SQLite stores and the
// fake OpenAI server through the real openai SDK: the seeded history reaches the prompt as LangChain's
// memory gives it, a turn appends exactly what LangChain writes, failed and cancelled turns write nothing,
// a read-only attachment runs turns and keeps nothing, the memory state stays on this machine.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { runTurn } from '../../../core/chain/run';
import { failureOf } from '../../../core/chain/failure';
import { parseHistoryUrl } from '../../../core/history/historyUrl';
import { openFileHistory } from '../../../core/history/stores/file';
import { openSqliteHistory } from '../../../core/history/stores/sqlite';
import { historyStatePath, openHistoryConversation } from '../../../core/history/historyConversation';
import { HistoryStoreError, type ChatHistoryStore } from '../../../core/history/types';
import { useFakeOpenAI } from '../../support/useFakeOpenAI';
import { loadPrompt, promptFile } from '../chain/helpers';
import { temporaryFolders } from './fixtures/stores';

const golden = (name: string) => readFileSync(join(__dirname, 'fixtures', 'python', `${name}.json`), 'utf8');
// What Python LangChain stores for the system message, and for a turn "Hi there my friend" -> " Hi there! …".
const [systemDict, humanDict, aiDict] = [golden('system'), golden('human'), golden('ai')];
const loneQuestion = '{"type": "human", "data": {"content": "Are you there?", "additional_kwargs": {}, "response_metadata": {}, "type": "human", "name": null, "id": null}}';
const seededDicts = [systemDict, loneQuestion];

const folders = temporaryFolders('history-conversation');

interface StoreKind {
  name: 'file' | 'sqlite';
  /** A store holding `dicts` as LangChain wrote them; `query` is added to the URL. */
  seed(folder: string, dicts: readonly string[], query?: string): ChatHistoryStore;
  /** The session's stored dict texts, read past our store. */
  stored(folder: string): string[];
}

const SESSION = 'a1b2';

const kinds: StoreKind[] = [
  {
    name: 'file',
    seed(folder, dicts, query = '') {
      // FileChatMessageHistory: json.dumps(messages_to_dict(messages)).
      writeFileSync(join(folder, 'history.json'), `[${dicts.join(', ')}]`);
      return openFileHistory(parseHistoryUrl(`file:history.json${query}`, folder));
    },
    stored(folder) {
      const text = readFileSync(join(folder, 'history.json'), 'utf8');
      return (JSON.parse(text) as unknown[]).length === 0 ? [] : text.slice(1, -1).split(/, (?=\{"type")/);
    },
  },
  {
    name: 'sqlite',
    seed(folder, dicts, query = '') {
      // SQLChatMessageHistory: the table SQLAlchemy creates, one row per add_message.
      const db = new Database(join(folder, 'chat.db'));
      db.exec(readFileSync(join(__dirname, 'fixtures', 'python', 'sqlite-schema.sql'), 'utf8'));
      const insert = db.prepare('INSERT INTO message_store (session_id, message) VALUES (?, ?)');
      for (const dict of dicts) insert.run(SESSION, dict);
      insert.run('someone-else', humanDict);
      db.close();
      return openSqliteHistory(parseHistoryUrl(`sqlite:chat.db${query}`, folder));
    },
    stored(folder) {
      const db = new Database(join(folder, 'chat.db'), { readonly: true });
      const rows = db.prepare('SELECT message FROM message_store WHERE session_id = ? ORDER BY id').all(SESSION) as { message: string }[];
      db.close();
      return rows.map((row) => row.message);
    },
  },
];

const chatFile = promptFile('---', 'model: gpt-4o-mini', 'memory:', '  return_messages: true', '---', 'system:', 'You are kind.', 'placeholder:', '{history}', 'human:', '{input}');

describe('openHistoryConversation', () => {
  const { fake, model } = useFakeOpenAI();

  for (const kind of kinds) {
    describe(`over the ${kind.name} store`, () => {
      const open = (folder: string, store: ChatHistoryStore) => openHistoryConversation({ store, sessionId: SESSION, stateDir: join(folder, 'state') });

      test('a turn sends the seeded history as LangChain gives it and appends exactly what LangChain writes', async () => {
        const folder = folders.make();
        const conversation = open(folder, kind.seed(folder, seededDicts));
        const { prompt, config } = loadPrompt(chatFile);
        fake.enqueue({ reply: ' Hi there! How can I help you today?' });
        const result = await runTurn({ prompt, config, input: 'Hi there my friend', conversation, model: model() });
        assert.equal(result.reply, ' Hi there! How can I help you today?');
        assert.equal(result.notSaved, undefined);
        const sent = (fake.requests[0]!.body as { messages: unknown[] }).messages;
        assert.deepEqual(sent, [
          { role: 'system', content: 'You are kind.' },
          { role: 'system', content: 'You are a chatbot having a conversation with a human.' },
          { role: 'user', content: 'Are you there?' },
          { role: 'user', content: 'Hi there my friend' },
        ]);
        assert.deepEqual(kind.stored(folder), [...seededDicts, humanDict, aiDict]);
      });

      test('a text memory sees the lone messages as get_buffer_string lines', async () => {
        const folder = folders.make();
        const conversation = open(folder, kind.seed(folder, seededDicts));
        const { prompt, config } = loadPrompt(promptFile('---', 'model: gpt-4o-mini', 'api: completion', '---', '{history}', 'Human: {input}', 'AI:'));
        fake.enqueue({ reply: 'Yes.' });
        const result = await runTurn({ prompt, config, input: 'Still?', conversation, model: model() });
        assert.equal(result.prompt, 'System: You are a chatbot having a conversation with a human.\nHuman: Are you there?\nHuman: Still?\nAI:');
      });

      test('a failed turn and a cancelled turn write nothing', async () => {
        const folder = folders.make();
        const conversation = open(folder, kind.seed(folder, seededDicts));
        const { prompt, config } = loadPrompt(chatFile);
        fake.enqueue({ fault: 'status', status: 500 });
        await assert.rejects(runTurn({ prompt, config, input: 'one', conversation, model: model() }));
        const controller = new AbortController();
        fake.enqueue({ fault: 'hang' });
        const cancelled = runTurn({ prompt, config, input: 'two', conversation, model: model(), signal: controller.signal });
        await fake.waitForHang();
        controller.abort();
        await assert.rejects(cancelled, (error: unknown) => failureOf(error)?.kind === 'cancelled');
        assert.deepEqual(kind.stored(folder), seededDicts);
      });

      test('read-only: the turn runs and shows its reply, says it was not saved, and nothing is written', async () => {
        const folder = folders.make();
        const store = kind.seed(folder, seededDicts, '?readonly=1');
        const conversation = open(folder, store);
        const { prompt, config } = loadPrompt(chatFile);
        fake.enqueue({ reply: 'Here.' });
        const result = await runTurn({ prompt, config, input: 'Hello?', conversation, model: model() });
        assert.equal(result.reply, 'Here.');
        assert.match(result.notSaved ?? '', /not saved: .* read-only/);
        assert.deepEqual(kind.stored(folder), seededDicts);
        await assert.rejects(conversation.append({ input: 'a', output: 'b' }), (error: unknown) => error instanceof HistoryStoreError && error.kind === 'readonly');
        await assert.rejects(conversation.clear(), (error: unknown) => failureOf(error)?.kind === 'history' && failureOf(error)?.reason === 'readonly');
        // One wording for every refusal of a read-only attachment: the engine's and the store's own.
        const wording = (action: string) => (error: unknown) => error instanceof HistoryStoreError && new RegExp(`^Cannot ${action}: ${kind.name}:.* is attached read-only \\(readonly in its URL\\); attach it without readonly to write\\.$`).test(error.message);
        await assert.rejects(conversation.append({ input: 'a', output: 'b' }), wording('save the turn'));
        await assert.rejects(conversation.clear(), wording('clear the session'));
        await assert.rejects(store.append(SESSION, [humanDict]), wording('append to the conversation'));
        assert.deepEqual(kind.stored(folder), seededDicts);
      });

      test('a damaged memory state is said without a command to run: the next saved state replaces it', async () => {
        const folder = folders.make();
        const warnings: string[] = [];
        const store = kind.seed(folder, [humanDict, aiDict]);
        const conversation = openHistoryConversation({ store, sessionId: SESSION, stateDir: join(folder, 'state'), onWarning: (message) => warnings.push(message) });
        const statePath = `${historyStatePath(join(folder, 'state'), store.target, SESSION)}.state.json`;
        mkdirSync(dirname(statePath), { recursive: true });
        writeFileSync(statePath, '{ not json');
        assert.equal(await conversation.loadState(), undefined);
        assert.equal(warnings.length, 1);
        assert.match(warnings[0]!, /is damaged .* derived again from the 1 stored turns/);
        assert.doesNotMatch(warnings[0]!, /run "|memory clear/);
      });

      test("the entries array grows in place while the store only grows, and is new when another writer's reply pairs a lone question", async () => {
        const folder = folders.make();
        const store = kind.seed(folder, seededDicts);
        const conversation = open(folder, store);
        const first = await conversation.load();
        assert.deepEqual(first, [{ lone: { type: 'system', content: 'You are a chatbot having a conversation with a human.' } }, { lone: { type: 'human', content: 'Are you there?' } }]);
        // The application answers the lone question: the old last entry becomes an exchange.
        await store.append(SESSION, [aiDict]);
        const paired = await conversation.load();
        assert.notEqual(paired, first);
        assert.deepEqual(paired.at(-1), { input: 'Are you there?', output: ' Hi there! How can I help you today?' });
        await store.append(SESSION, [humanDict, aiDict]);
        const grown = await conversation.load();
        assert.equal(grown, paired);
        assert.equal(grown.length, 3);
      });

      test('the memory state is kept in the local state folder, and a summary memory works over the store', async () => {
        const folder = folders.make();
        const conversation = open(folder, kind.seed(folder, seededDicts));
        const { prompt, config } = loadPrompt(promptFile('---', 'model: gpt-4o-mini', 'api: completion', 'memory:', '  type: summary', '---', 'Summary: {history}', 'Human: {input}', 'AI:'));
        fake.enqueue({ reply: 'Summary of the start.' }, { reply: 'Answer.' }, { reply: 'Summary after the turn.' });
        const result = await runTurn({ prompt, config, input: 'Q', conversation, model: model() });
        assert.equal(result.prompt, 'Summary: Summary of the start.\nHuman: Q\nAI:');
        assert.deepEqual(await conversation.loadState(), { basis: { type: 'summary', summaryPrompt: config.memory!.summaryPrompt }, turns: 3, prunedMessages: 4, summary: 'Summary after the turn.' });
        assert.deepEqual(readdirSync(join(folder, 'state', 'histories')).filter((name) => name.endsWith('.state.json')).length, 1);
      });

      test('Retry on a shared history is refused: it is append-only here', async () => {
        const folder = folders.make();
        const conversation = open(folder, kind.seed(folder, [humanDict, aiDict]));
        const { prompt, config } = loadPrompt(chatFile);
        const replaceLast = { input: 'Hi there my friend', output: ' Hi there! How can I help you today?' };
        await assert.rejects(runTurn({ prompt, config, input: 'again', conversation, model: model(), replaceLast }), (error: unknown) => failureOf(error)?.kind === 'history' && /append-only/.test(failureOf(error)!.message));
        assert.deepEqual(kind.stored(folder), [humanDict, aiDict]);
      });
    });
  }

  test('a tool message is refused with kind unsupported, naming it, and the turn sends nothing', async () => {
    const folder = folders.make();
    const tool = '{"type": "tool", "data": {"content": "42", "additional_kwargs": {}, "response_metadata": {}, "type": "tool", "name": null, "id": null, "tool_call_id": "call_1", "artifact": null, "status": "success"}}';
    const conversation = openHistoryConversation({ store: kinds[0]!.seed(folder, [humanDict, tool]), sessionId: SESSION, stateDir: join(folder, 'state') });
    const { prompt, config } = loadPrompt(chatFile);
    await assert.rejects(runTurn({ prompt, config, input: 'x', conversation, model: model() }), (error: unknown) => {
      const failure = failureOf(error);
      return failure?.kind === 'history' && failure.reason === 'unsupported' && /Message 2 of session "a1b2" of file:.*is a tool message/.test(failure.message);
    });
    assert.equal(fake.requests.length, 0);
  });

  test('the local state path names neither the password nor the URL', () => {
    const target = parseHistoryUrl('redis://alice:s3cret@cache.internal:6379/0', '/');
    const path = historyStatePath('/state', target, 'user/42');
    assert.match(path, /^\/state\/histories\/redis-user_42-[0-9a-f]{16}$/);
    assert.ok(!path.includes('s3cret') && !path.includes('alice') && !path.includes('cache'));
    assert.notEqual(historyStatePath('/state', target, 'user/43'), path);
  });
});
