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
import type { ChatHistoryStore, HistoryErrorKind } from '../../../../core/history/types';
import { isCancelled } from '../../../../core/model/errors';
import { closedPort } from '../../../support/ports';
import { startRedisServer, type RedisServer } from '../../../support/redisServer';
import { startTcpProxy } from '../../../support/tcpProxy';
import { golden, rejectsWithout, storeOpener, turn } from '../fixtures/serverStores';
import { turnsByLabel } from '../fixtures/stores';

let server: RedisServer;
let raw: RedisClientType;
const openUrl = storeOpener();
const jsHistories: RedisChatMessageHistory[] = [];

before(async () => {
  server = await startRedisServer();
  raw = await connectRaw();
});
after(async () => {
  raw.destroy();
  await server.stop();
});
beforeEach(() => raw.flushAll());
// LangChain.js's clients reconnect forever and crash on an unheard error: closed before a test kills a server.
afterEach(() => Promise.all(jsHistories.splice(0).map((history) => (history.client.isOpen ? history.client.disconnect() : Promise.resolve()))));

/** A plain client of our own, to see (and set up) the keys the way the server holds them. */
async function connectRaw(): Promise<RedisClientType> {
  const client: RedisClientType = createClient({ url: server.url });
  await client.connect();
  return client;
}

const open = (query = '', url = server.url) => openUrl(`${url}${query}`);

/** LangChain.js's own class on the test server. */
function jsHistory(sessionId: string): RedisChatMessageHistory {
  const history = new RedisChatMessageHistory({ sessionId, config: { url: server.url } });
  jsHistories.push(history);
  return history;
}

const DISPLAY = /redis:\/\/:\*\*\*@127\.0\.0\.1:\d+/;
const rejectsWith = (work: Promise<unknown>, kind: HistoryErrorKind, pattern = DISPLAY) => rejectsWithout(server.password, work, kind, pattern);

describe('reading what LangChain wrote', () => {
  test("Python's RedisChatMessageHistory: an LPUSH per add_message under message_store:, read oldest first", async () => {
    const written = [golden('system.json'), golden('human.json'), golden('ai.json'), golden('unicode-human.json')];
    for (const json of written) await raw.lPush('message_store:8f3c', json);
    const messages = await (await open()).messages('8f3c');
    assert.deepEqual(messages.map((m) => [m.type, m.dialect]), [['system', 'python'], ['human', 'python'], ['ai', 'python'], ['human', 'python']]);
    assert.deepEqual(messages.map((m) => m.raw), written, 'every dict exactly as stored');
    assert.equal(messages[3]!.content, JSON.parse(golden('unicode-human.json')).data.content);
  });

  test("LangChain.js's @langchain/redis: the bare session id as the key; our turn is what it reads next", async () => {
    const js = jsHistory('js-1');
    await js.addMessages([new HumanMessage('Hi from JS'), new AIMessage('Hello, JS.')]);
    const store = await open('?dialect=js');
    const messages = await store.messages('js-1');
    assert.deepEqual(messages.map((m) => [m.type, m.content, m.dialect]), [['human', 'Hi from JS', 'js'], ['ai', 'Hello, JS.', 'js']]);
    assert.deepEqual(messages.map((m) => m.raw), [JSON.stringify(new HumanMessage('Hi from JS').toDict()), JSON.stringify(new AIMessage('Hello, JS.').toDict())]);

    await store.append('js-1', turn('t-0', 'js'));
    const read = await js.getMessages();
    assert.deepEqual(read.map((m) => [m.type, m.content]), [['human', 'Hi from JS'], ['ai', 'Hello, JS.'], ['human', 't-0'], ['ai', 'reply t-0']]);
    const all = [new HumanMessage('Hi from JS'), new AIMessage('Hello, JS.'), new HumanMessage('t-0'), new AIMessage('reply t-0')];
    assert.deepEqual(await raw.lRange('js-1', 0, -1), await listAsJsWritesIt(all), 'the same bytes as LangChain.js adding them');
  });

  test('a key that is not a list is invalid-data, named by the display URL, and is left alone', async () => {
    await raw.set('message_store:s', 'not a list');
    const store = await open('?ttl=60');
    await rejectsWith(store.messages('s'), 'invalid-data', /not a list in redis:\/\/:\*\*\*@/);
    await rejectsWith(store.append('s', turn('t-0')), 'invalid-data', /holds a string, not a list, in redis:\/\/:\*\*\*@/);
    assert.equal(await raw.get('message_store:s'), 'not a list');
    assert.equal(await raw.ttl('message_store:s'), -1, 'no EXPIRE on a key that is not the session');
  });

  test('a stored value that is not a message dict is invalid-data naming its index', async () => {
    await raw.lPush('message_store:s', [golden('human.json'), '{"nope": 1}']);
    await rejectsWith((await open()).messages('s'), 'invalid-data', /session "s".*index 1/);
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
    await store.append('s1', turn('t-0'));
    await store.append('s1', turn('t-1'));
    for (const json of [...turn('t-0'), ...turn('t-1')]) await raw.lPush('message_store:python', json);
    assert.deepEqual(await raw.lRange('message_store:s1', 0, -1), await raw.lRange('message_store:python', 0, -1));
    assert.deepEqual((await store.messages('s1')).map((m) => m.raw), [...turn('t-0'), ...turn('t-1')]);
    assert.equal(await raw.ttl('message_store:s1'), -1, 'no ttl unless asked for');
  });

  test('ttl sets EXPIRE on the key with every append, as LangChain does on every add', async () => {
    const store = await open('?ttl=120');
    await store.append('s', turn('t-0'));
    await raw.expire('message_store:s', 5);
    await store.append('s', turn('t-1'));
    const ttl = await raw.ttl('message_store:s');
    assert.ok(ttl > 5 && ttl <= 120, `ttl ${ttl}`);
  });

  test("two writers appending at once keep every turn whole and each writer's turns in order", async () => {
    const [a, b] = [await open(), await open()];
    const writes = async (store: ChatHistoryStore, label: string) => {
      for (let i = 0; i < 40; i++) await store.append('shared', turn(`${label}-${i}`));
    };
    await Promise.all([writes(a, 'a'), writes(b, 'b')]);
    assert.deepEqual(Object.fromEntries(turnsByLabel(await a.messages('shared'))), { a: 40, b: 40 });
  });

  test('a server killed before EXEC reaches it: connection-lost, and the list is as it was', async () => {
    const store = await open();
    await store.append('s', turn('t-0'));
    const proxy = await startTcpProxy(server.port);
    const viaProxy = await open('', server.url.replace(`:${server.port}`, `:${proxy.port}`));
    await viaProxy.messages('s'); // connected before the append starts
    const held = proxy.holdAt('EXEC');
    const append = viaProxy.append('s', turn('t-1'));
    await held;
    const failure = rejectsWith(append, 'connection-lost', /append to redis:\/\/:\*\*\*@.* after its EXEC was sent, so whether the turn was stored is unknown: look at the session's last messages/);
    raw.destroy();
    await server.kill();
    await failure;
    await server.restart();
    raw = await connectRaw();
    assert.deepEqual(await raw.lRange('message_store:s', 0, -1), [...turn('t-0')].reverse());
    assert.deepEqual((await store.messages('s')).map((m) => m.content), ['t-0', 'reply t-0'], 'the next operation connects again');
    await proxy.close();
  });

  test('a cancelled append writes nothing', async () => {
    const store = await open();
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(store.append('s', turn('t-0'), controller.signal), isCancelled);
    assert.equal(await raw.exists('message_store:s'), 0);
  });

  test('a message LangChain could not read is refused before anything is sent', async () => {
    const store = await open();
    await rejectsWith(store.append('s', [turn('t-0')[0], '{"type": "human"}']), 'invalid-data', /new messages/);
    assert.equal(await raw.exists('message_store:s'), 0);
  });
});

describe('readonly', () => {
  test('reads, and never sends a write: append and clear are refused with kind readonly', async () => {
    await raw.lPush('message_store:s', turn('t-0'));
    const store = await open('?readonly=1');
    await raw.configResetStat();
    assert.equal((await store.messages('s')).length, 2);
    await rejectsWith(store.append('s', turn('t-1')), 'readonly');
    await rejectsWith(store.clear('s'), 'readonly');
    const stats = await raw.info('commandstats');
    assert.match(stats, /cmdstat_lrange:/);
    assert.doesNotMatch(stats, /cmdstat_(lpush|del|expire|multi|exec):/);
  });
});

describe('connections', () => {
  test('a URL node-redis cannot use (a database that is not a number) is invalid-url, never a plain TypeError', async () => {
    const store = await open('/abc');
    await rejectsWith(store.messages('s'), 'invalid-url', /^Redis cannot use the URL redis:\/\/:\*\*\*@127\.0\.0\.1:\d+\/abc: /);
    await rejectsWith(store.append('s', turn('t-0')), 'invalid-url', /Redis cannot use the URL/);
  });

  test('operations started together on a fresh store share one connection', async () => {
    const connections = async () => String(await raw.sendCommand(['CLIENT', 'LIST'])).trim().split('\n').length;
    const before = await connections();
    const store = await open();
    await Promise.all([store.messages('a'), store.messages('b'), store.sessions()]);
    assert.equal(await connections(), before + 1);
  });
});

describe('sessions and clear', () => {
  test('sessions are the list keys under the prefix, found by SCAN across pages', async () => {
    const ids = Array.from({ length: 2500 }, (_, i) => `session-${i}`);
    await Promise.all(ids.map((id) => raw.lPush(`message_store:${id}`, golden('human.json'))));
    await raw.set('message_store:not-a-list', 'x');
    await raw.lPush('other:session-x', golden('human.json'));
    await raw.lPush('message_store*:glob', golden('human.json'));
    await raw.configResetStat();
    assert.deepEqual((await (await open()).sessions()).sort(), [...ids].sort());
    assert.doesNotMatch(await raw.info('commandstats'), /cmdstat_keys:/);
    assert.deepEqual(await (await open('?prefix=message_store*:')).sessions(), ['glob'], 'the prefix is literal, not a pattern');
  });

  test('clear deletes the session key and nothing else', async () => {
    await raw.lPush('message_store:a', golden('human.json'));
    await raw.lPush('message_store:b', golden('human.json'));
    await (await open()).clear('a');
    assert.deepEqual(await (await open()).sessions(), ['b']);
  });
});

describe('failures', () => {
  test('a wrong password is auth; neither password is in the message', async () => {
    const message = await rejectsWith((await open('', server.url.replace(server.password, 'wrong-secret'))).messages('s'), 'auth', /credentials for redis:\/\/:\*\*\*@/);
    assert.doesNotMatch(message, /wrong-secret/);
  });

  test('nothing listening is unreachable, at once (no reconnect loop)', async () => {
    const port = await closedPort();
    await rejectsWith((await open('', `redis://127.0.0.1:${port}`)).messages('s'), 'unreachable', /Cannot reach redis:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED/);
  });

  test('a read cancelled while the server does not answer ends at once', async () => {
    const proxy = await startTcpProxy(server.port);
    const store = await open('', server.url.replace(`:${server.port}`, `:${proxy.port}`));
    await store.sessions();
    const held = proxy.holdAt('LRANGE');
    const controller = new AbortController();
    const read = store.messages('s', controller.signal);
    await held;
    controller.abort();
    await assert.rejects(read, isCancelled);
    await proxy.close();
  });
});
