// The Redis store against a real redis-server (started once for this file, on 127.0.0.1, with a
// password): conversations written exactly as Python's langchain_community and LangChain.js's
// @langchain/redis write them are read back in order; our appends are what those classes would have
// written and LangChain.js reads them; concurrent writers keep whole turns; a server killed in the middle
// of an append leaves the list as it was; ttl, readonly, sessions and the failure kinds.

import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AIMessage, HumanMessage, type BaseMessage } from '@langchain/core/messages';
import { RedisChatMessageHistory } from '@langchain/redis';
import { createClient, type RedisClientType } from '@redis/client';
import { parseHistoryUrl } from '../../../core/history/historyUrl';
import { encodeMessage } from '../../../core/history/messageDicts';
import { openHistory } from '../../../core/history/openHistory';
import { HistoryStoreError, type ChatHistoryStore, type HistoryErrorKind } from '../../../core/history/types';
import { isCancelled } from '../../../core/model/errors';
import { closedPort } from '../../support/ports';
import { startRedisServer, type RedisServer } from '../../support/redisServer';
import { startTcpProxy } from '../../support/tcpProxy';
import { PYTHON_AI, PYTHON_HUMAN, PYTHON_SYSTEM, pythonTurn } from './fixtures/pythonDicts';

let server: RedisServer;
let raw: RedisClientType;
const opened: ChatHistoryStore[] = [];
const jsHistories: RedisChatMessageHistory[] = [];

/** LangChain.js's own class on the test server (its client is closed after the test). */
function jsHistory(sessionId: string): RedisChatMessageHistory {
  const history = new RedisChatMessageHistory({ sessionId, config: { url: server.url } });
  jsHistories.push(history);
  return history;
}

before(async () => {
  server = await startRedisServer();
  raw = createClient({ url: server.url });
  await raw.connect();
});
after(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
  raw.destroy();
  await server.stop();
});
beforeEach(() => raw.flushAll());
// LangChain.js's clients reconnect forever and crash on an unheard error: closed before the next test kills a server.
afterEach(() => Promise.all(jsHistories.splice(0).map((history) => history.client.isOpen && history.client.disconnect())));

async function open(query = '', url = server.url): Promise<ChatHistoryStore> {
  const store = await openHistory(parseHistoryUrl(`${url}${query}`, process.cwd()));
  opened.push(store);
  return store;
}

async function rejectsWith(work: Promise<unknown>, kind: HistoryErrorKind): Promise<string> {
  const err = await work.then(() => assert.fail(`expected a ${kind} failure`), (e: unknown) => e);
  assert.ok(err instanceof HistoryStoreError, `not a HistoryStoreError: ${String(err)}`);
  assert.equal(err.kind, kind, err.message);
  assert.doesNotMatch(err.message, new RegExp(server.password), 'the password is never shown');
  assert.doesNotMatch(err.message, /\n/);
  return err.message;
}

describe('reading what LangChain wrote', () => {
  test("Python's RedisChatMessageHistory: LPUSH per add_message under message_store:, read oldest first", async () => {
    // What langchain_community does for add_message, one message at a time.
    for (const json of [PYTHON_SYSTEM, PYTHON_HUMAN, PYTHON_AI]) await raw.lPush('message_store:8f3c', json);
    const messages = await (await open()).messages('8f3c');
    assert.deepEqual(messages.map((m) => [m.type, m.content, m.dialect, m.raw]), [
      ['system', 'You are a terse assistant.', 'python', PYTHON_SYSTEM],
      ['human', 'Hi, I’m Ada — 🦊?', 'python', PYTHON_HUMAN],
      ['ai', 'Hello Ada.', 'python', PYTHON_AI],
    ]);
  });

  test("LangChain.js's @langchain/redis: the bare session id as the key, read back through its own class", async () => {
    const js = jsHistory('js-1');
    await js.addMessages([new HumanMessage('Hi from JS'), new AIMessage('Hello, JS.')]);
    const store = await open('?dialect=js');
    const messages = await store.messages('js-1');
    assert.deepEqual(messages.map((m) => [m.type, m.content, m.dialect]), [['human', 'Hi from JS', 'js'], ['ai', 'Hello, JS.', 'js']]);
    assert.deepEqual(messages.map((m) => m.raw), [JSON.stringify(new HumanMessage('Hi from JS').toDict()), JSON.stringify(new AIMessage('Hello, JS.').toDict())]);

    // Our turn, in the JS dialect, is what LangChain.js reads next: in order, after its own.
    await store.append('js-1', [encodeMessage({ type: 'human', content: 'And now?' }, 'js'), encodeMessage({ type: 'ai', content: 'Now this.' }, 'js')]);
    const read = await js.getMessages();
    assert.deepEqual(read.map((m) => [m.type, m.content]), [['human', 'Hi from JS'], ['ai', 'Hello, JS.'], ['human', 'And now?'], ['ai', 'Now this.']]);
    const all = [new HumanMessage('Hi from JS'), new AIMessage('Hello, JS.'), new HumanMessage('And now?'), new AIMessage('Now this.')];
    assert.deepEqual(await raw.lRange('js-1', 0, -1), await listAsJsWritesIt(all), 'the same bytes as LangChain.js adding them');
  });

  test('a key that is not a list is invalid-data, named by the display URL', async () => {
    await raw.set('message_store:s', 'not a list');
    const message = await rejectsWith((await open()).messages('s'), 'invalid-data');
    assert.match(message, /redis:\/\/:\*\*\*@127\.0\.0\.1/);
  });
});

/** The raw list (newest first) LangChain.js leaves after adding `messages` one by one. */
async function listAsJsWritesIt(messages: readonly BaseMessage[]): Promise<string[]> {
  const js = jsHistory('js-oracle');
  for (const message of messages) await js.addMessage(message);
  return raw.lRange('js-oracle', 0, -1);
}

describe('appending a turn', () => {
  test("leaves the list byte for byte as Python's add_message calls would, newest first", async () => {
    const store = await open();
    await store.append('s1', pythonTurn('one'));
    await store.append('s1', pythonTurn('two'));
    for (const json of [...pythonTurn('one'), ...pythonTurn('two')]) await raw.lPush('message_store:python', json);
    assert.deepEqual(await raw.lRange('message_store:s1', 0, -1), await raw.lRange('message_store:python', 0, -1));
    assert.deepEqual((await store.messages('s1')).map((m) => m.raw), [...pythonTurn('one'), ...pythonTurn('two')]);
    assert.equal(await raw.ttl('message_store:s1'), -1, 'no ttl unless asked for');
  });

  test('ttl sets EXPIRE on the key with every append, as LangChain does on every add', async () => {
    const store = await open('?ttl=120');
    await store.append('s', pythonTurn('one'));
    await raw.expire('message_store:s', 5);
    await store.append('s', pythonTurn('two'));
    const ttl = await raw.ttl('message_store:s');
    assert.ok(ttl > 5 && ttl <= 120, `ttl ${ttl}`);
  });

  test("two writers appending at once keep every turn whole and each writer's turns in order", async () => {
    const [a, b] = [await open(), await open()];
    const writes = (store: ChatHistoryStore, name: string) => (async () => {
      for (let i = 0; i < 40; i++) await store.append('shared', pythonTurn(`${name}${i}`));
    })();
    await Promise.all([writes(a, 'a'), writes(b, 'b')]);
    const contents = (await a.messages('shared')).map((m) => m.content);
    assert.equal(contents.length, 160);
    const turns = pairs(contents);
    for (const [human, ai] of turns) assert.equal(ai, `reply to ${human}`, 'a turn is never split');
    for (const name of ['a', 'b']) {
      assert.deepEqual(turns.map(([human]) => human).filter((h) => h.startsWith(name)), Array.from({ length: 40 }, (_, i) => `${name}${i}`));
    }
  });

  test('a server killed before EXEC reaches it: connection-lost, and the list is as it was', async () => {
    const store = await open();
    await store.append('s', pythonTurn('kept'));
    const proxy = await startTcpProxy(server.port);
    const viaProxy = await open('', server.url.replace(`:${server.port}`, `:${proxy.port}`));
    await viaProxy.messages('s'); // connected
    const held = proxy.holdAt('EXEC');
    const append = viaProxy.append('s', pythonTurn('lost'));
    await held;
    raw.destroy();
    await server.kill();
    const message = await rejectsWith(append, 'connection-lost');
    assert.match(message, /append to redis:\/\/:\*\*\*@127\.0\.0\.1/);
    await server.restart();
    raw = createClient({ url: server.url });
    await raw.connect();
    assert.deepEqual(await raw.lRange('message_store:s', 0, -1), [...pythonTurn('kept')].reverse());
    assert.deepEqual((await store.messages('s')).map((m) => m.content), ['kept', 'reply to kept'], 'the next operation connects again');
    await proxy.close();
  });

  test('a cancelled append writes nothing', async () => {
    const store = await open();
    const controller = new AbortController();
    controller.abort();
    const err = await store.append('s', pythonTurn('x'), controller.signal).then(() => undefined, (e: unknown) => e);
    assert.ok(isCancelled(err));
    assert.equal(await raw.exists('message_store:s'), 0);
  });
});

describe('readonly', () => {
  test('reads, and never sends a write: append and clear are refused with kind readonly', async () => {
    await raw.lPush('message_store:s', pythonTurn('one'));
    const store = await open('?readonly=1');
    await raw.configResetStat();
    assert.equal((await store.messages('s')).length, 2);
    await rejectsWith(store.append('s', pythonTurn('two')), 'readonly');
    await rejectsWith(store.clear('s'), 'readonly');
    const stats = await raw.info('commandstats');
    assert.match(stats, /cmdstat_lrange:/);
    assert.doesNotMatch(stats, /cmdstat_(lpush|del|expire|multi|exec):/);
  });
});

describe('sessions and clear', () => {
  test('sessions are the list keys under the prefix, found by SCAN across pages', async () => {
    const ids = Array.from({ length: 2500 }, (_, i) => `session-${i}`);
    await Promise.all(ids.map((id) => raw.lPush(`message_store:${id}`, PYTHON_HUMAN)));
    await raw.set('message_store:not-a-list', 'x');
    await raw.lPush('other:session-x', PYTHON_HUMAN);
    await raw.lPush('message_store*:glob', PYTHON_HUMAN);
    assert.deepEqual(await (await open()).sessions(), [...ids].sort());
    assert.deepEqual(await (await open('?prefix=message_store*:')).sessions(), ['glob'], 'the prefix is literal, not a pattern');
    const keys = [];
    for await (const page of raw.scanIterator({ MATCH: '*' })) keys.push(...page);
    assert.ok(keys.length > 2500);
  });

  test('clear deletes the session key and nothing else', async () => {
    await raw.lPush('message_store:a', PYTHON_HUMAN);
    await raw.lPush('message_store:b', PYTHON_HUMAN);
    await (await open()).clear('a');
    assert.deepEqual(await (await open()).sessions(), ['b']);
  });
});

describe('failures', () => {
  test('a wrong password is auth; the password is not in the message', async () => {
    const message = await rejectsWith((await open('', server.url.replace(server.password, 'wrong-secret'))).messages('s'), 'auth');
    assert.doesNotMatch(message, /wrong-secret/);
  });

  test('nothing listening is unreachable, at once (no reconnect loop)', async () => {
    const port = await closedPort();
    await rejectsWith((await open('', `redis://127.0.0.1:${port}`)).messages('s'), 'unreachable');
  });
});

function pairs(items: readonly string[]): [string, string][] {
  const result: [string, string][] = [];
  for (let i = 0; i < items.length; i += 2) result.push([items[i]!, items[i + 1]!]);
  return result;
}
