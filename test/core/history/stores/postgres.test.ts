// The Postgres store against a real PostgreSQL (one throw-away cluster for this file, on 127.0.0.1, with
// password authentication): the tables of langchain-postgres and of the community class, written as
// LangChain writes them (its DDL, psycopg's INSERT of json.dumps text), read back in order; our appends
// store the same JSONB as LangChain's; concurrent writers (ours and a LangChain-style executemany) keep
// whole turns; a server killed before COMMIT leaves the table as it was; readonly, sessions, failures.

import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { parseHistoryUrl } from '../../../../core/history/historyUrl';
import type { HistoryErrorKind } from '../../../../core/history/types';
import { isCancelled } from '../../../../core/model/errors';
import { closedPort } from '../../../support/ports';
import { startPostgresServer, type PostgresServer } from '../../../support/postgresServer';
import { startTcpProxy } from '../../../support/tcpProxy';
import { golden, rejectsWithout, storeOpener, turn } from '../fixtures/serverStores';
import { turnsByLabel } from '../fixtures/stores';

const SESSION = '8f3c2a4e-5b1d-4c6f-9a7e-0d2b3c4e5f60';
const OTHER = '0b9e7c1a-2d3f-4a5b-8c6d-7e8f9a0b1c2d';

let server: PostgresServer;
let raw: pg.Client;
const openUrl = storeOpener();

before(async () => {
  server = await startPostgresServer();
  raw = await connectRaw();
});
after(async () => {
  await raw.end();
  await server.stop();
});
beforeEach(() => raw.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public;'));

/** A connection of our own, standing for the application (psycopg's statements, its view of the rows). */
async function connectRaw(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: server.url });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

const open = (query = '', url = server.url) => openUrl(`${url}${query}`);

const DISPLAY = /postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/postgres/;
const rejectsWith = (work: Promise<unknown>, kind: HistoryErrorKind, pattern = DISPLAY) => rejectsWithout(server.password, work, kind, pattern);

/** langchain-postgres `create_tables(conn, table)`: the statements of `_create_table_and_index`. */
async function createTablesAsLangChain(table: string): Promise<void> {
  await raw.query(`CREATE TABLE IF NOT EXISTS "${table}" (
                id SERIAL PRIMARY KEY,
                session_id UUID NOT NULL,
                message JSONB NOT NULL,
                created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
            );`);
  await raw.query(`CREATE INDEX IF NOT EXISTS "idx_${table}_session_id" ON "${table}" (session_id);`);
}

/** `add_messages`: psycopg's executemany of `INSERT INTO {table} (session_id, message) VALUES (%s, %s)`, one commit. */
async function addMessagesAsLangChain(table: string, sessionId: string, json: readonly string[], client = raw): Promise<void> {
  await client.query('BEGIN');
  for (const message of json) await client.query(`INSERT INTO "${table}" (session_id, message) VALUES ($1, $2)`, [sessionId, message]);
  await client.query('COMMIT');
}

/** What the application's client gets back: psycopg loads JSONB as Python objects (here: JSON.parse of PG's text). */
async function storedValues(table: string, sessionId: string): Promise<unknown[]> {
  const result = await raw.query<{ message: unknown }>(`SELECT message FROM "${table}" WHERE session_id = $1 ORDER BY id`, [sessionId]);
  return result.rows.map((row) => row.message);
}

async function columns(table: string): Promise<string[]> {
  const result = await raw.query<{ line: string }>(
    `SELECT column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '-') AS line
       FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position`,
    [table],
  );
  return result.rows.map((row) => row.line);
}

describe('langchain-postgres PostgresChatMessageHistory', () => {
  test('reads a session written by LangChain ORDER BY id, as PostgreSQL renders the JSONB', async () => {
    await createTablesAsLangChain('chat_history');
    await addMessagesAsLangChain('chat_history', SESSION, [golden('system.json'), golden('human.json')]);
    await addMessagesAsLangChain('chat_history', OTHER, [golden('human-0.3.json')]);
    await addMessagesAsLangChain('chat_history', SESSION, [golden('ai.json'), golden('unicode-human.json')]);
    const messages = await (await open('?table=chat_history')).messages(SESSION);
    assert.deepEqual(messages.map((m) => [m.type, m.dialect]), [['system', 'python'], ['human', 'python'], ['ai', 'python'], ['human', 'python']]);
    // The value is LangChain's dict; the text is PostgreSQL's (keys by length, then bytes).
    assert.deepEqual(messages.map((m) => JSON.parse(m.raw) as unknown), ['system', 'human', 'ai', 'unicode-human'].map((name) => JSON.parse(golden(`${name}.json`)) as unknown));
    assert.equal(messages[1]!.raw, '{"data": {"id": null, "name": null, "type": "human", "content": "Hi there my friend", "additional_kwargs": {}, "response_metadata": {}}, "type": "human"}');
    assert.equal(messages[3]!.content, JSON.parse(golden('unicode-human.json')).data.content);
  });

  test('the first append creates the table and index as create_tables does, and stores the JSONB LangChain stores', async () => {
    const store = await open('?table=chat_history');
    await store.append(SESSION, turn('t-0'));
    assert.deepEqual(await columns('chat_history'), [
      "id integer NO nextval('chat_history_id_seq'::regclass)",
      'session_id uuid NO -',
      'message jsonb NO -',
      'created_at timestamp with time zone NO now()',
    ]);
    const index = await raw.query<{ indexdef: string }>("SELECT indexdef FROM pg_indexes WHERE indexname = 'idx_chat_history_session_id'");
    assert.equal(index.rows[0]?.indexdef, 'CREATE INDEX idx_chat_history_session_id ON public.chat_history USING btree (session_id)');

    await addMessagesAsLangChain('chat_history', OTHER, turn('t-0'));
    const same = await raw.query<{ same: boolean }>(
      `SELECT bool_and(a.message::text = b.message::text) AS same FROM
         (SELECT message, row_number() OVER (ORDER BY id) n FROM chat_history WHERE session_id = $1) a
         JOIN (SELECT message, row_number() OVER (ORDER BY id) n FROM chat_history WHERE session_id = $2) b USING (n)`,
      [SESSION, OTHER],
    );
    assert.equal(same.rows[0]?.same, true, 'our rows and LangChain\'s rows hold the same JSONB');
    assert.deepEqual(await storedValues('chat_history', SESSION), turn('t-0').map((json) => JSON.parse(json) as unknown));
    assert.deepEqual((await store.messages(SESSION)).map((m) => m.content), ['t-0', 'reply t-0']);
  });

  test('session ids are UUIDs (any form uuid.UUID and PostgreSQL both take); anything else is refused', async () => {
    const store = await open('?table=chat_history');
    await store.append(SESSION.toUpperCase().replace(/-/g, ''), turn('t-0'));
    assert.equal((await store.messages(`{${SESSION}}`)).length, 2, 'the same UUID, however written');
    assert.deepEqual(await store.sessions(), [SESSION]);
    await rejectsWith(store.messages('session-1'), 'no-session', /UUID.*"session-1"/);
    await rejectsWith(store.append('x', turn('t-1')), 'no-session', /UUID/);
  });

  test('reads and sessions of a table that does not exist are empty, and create nothing', async () => {
    const store = await open('?table=chat_history');
    assert.deepEqual(await store.messages(SESSION), []);
    assert.deepEqual(await store.sessions(), []);
    assert.deepEqual(await columns('chat_history'), []);
  });
});

describe('the community PostgresChatMessageHistory', () => {
  test('message_store(id SERIAL, session_id TEXT, message JSONB): any session id; created as its DDL', async () => {
    const store = await open('?schema=community');
    await store.append('user-42', turn('t-0'));
    assert.deepEqual(await columns('message_store'), ["id integer NO nextval('message_store_id_seq'::regclass)", 'session_id text NO -', 'message jsonb NO -']);
    // The class's add_message: one INSERT and commit per message.
    for (const json of turn('t-1')) await raw.query('INSERT INTO "message_store" (session_id, message) VALUES ($1, $2);', ['user-42', json]);
    assert.deepEqual((await store.messages('user-42')).map((m) => m.content), ['t-0', 'reply t-0', 't-1', 'reply t-1']);
    assert.deepEqual(await store.sessions(), ['user-42']);
  });

  test('table names: only what the class can use; nothing reaches SQL unchecked (historyUrl.ts decides)', async () => {
    const table = (query: string) => () => parseHistoryUrl(`${server.url}${query}`, process.cwd());
    assert.throws(table('?schema=community&table=Chat'), /table must be lower-case letters/);
    assert.throws(table('?table=x%22%3B%20DROP%20TABLE%20y'), /table must be letters, digits and _/);
    assert.throws(table(`?table=${'t'.repeat(64)}`), /at most 63 bytes/);
    assert.equal(table('?table=Chat_History')().options.table, 'Chat_History');
    // A langchain-postgres name is `\w+` in Python: a Unicode letter is taken, and quoted in the SQL.
    const store = await open('?table=%C3%A7hat');
    await store.append(SESSION, turn('t-0'));
    assert.equal((await raw.query('SELECT count(*)::int AS n FROM "çhat"')).rows[0].n, 2);
  });
});

describe('appending a turn', () => {
  test('two of our writers and a LangChain executemany at once: every turn whole, each in order', async () => {
    const [a, b] = [await open('?table=chat_history'), await open('?table=chat_history')];
    await a.append(SESSION, turn('first-0'));
    const app = await connectRaw();
    const writes = async (label: string, append: (json: readonly string[]) => Promise<void>) => {
      for (let i = 0; i < 25; i++) await append(turn(`${label}-${i}`));
    };
    await Promise.all([
      writes('a', (json) => a.append(SESSION, json)),
      writes('b', (json) => b.append(SESSION, json)),
      writes('app', (json) => addMessagesAsLangChain('chat_history', SESSION, json, app)),
    ]);
    await app.end();
    assert.deepEqual(Object.fromEntries(turnsByLabel(await a.messages(SESSION))), { first: 1, a: 25, b: 25, app: 25 });
  });

  test('a server killed before COMMIT reaches it: connection-lost, and the table is as it was', async () => {
    const store = await open('?table=chat_history');
    await store.append(SESSION, turn('t-0'));
    const proxy = await startTcpProxy(server.port);
    const viaProxy = await open('?table=chat_history', server.url.replace(`:${server.port}`, `:${proxy.port}`));
    await viaProxy.append(SESSION, turn('t-1'));
    const held = proxy.holdAt('COMMIT');
    const append = viaProxy.append(SESSION, turn('t-2'));
    await held;
    const failure = rejectsWith(append, 'connection-lost', /append to postgres:\/\/postgres:\*\*\*@.* after its COMMIT was sent, so whether the turn was stored is unknown: look at the session's last messages/);
    await raw.end();
    await server.kill();
    await failure;
    await server.restart();
    raw = await connectRaw();
    assert.deepEqual((await store.messages(SESSION)).map((m) => m.content), ['t-0', 'reply t-0', 't-1', 'reply t-1'], 'no half turn; the next operation connects again');
    await proxy.close();
  });

  test('a cancel that comes once COMMIT is on its way is too late: the turn is stored whole and the append succeeds', async () => {
    const proxy = await startTcpProxy(server.port);
    const store = await open('?table=chat_history', server.url.replace(`:${server.port}`, `:${proxy.port}`));
    const held = proxy.holdAt('COMMIT');
    const controller = new AbortController();
    const append = store.append(SESSION, turn('t-0'), controller.signal);
    await held;
    controller.abort();
    proxy.release();
    await append;
    assert.deepEqual((await store.messages(SESSION)).map((m) => m.content), ['t-0', 'reply t-0']);
    await proxy.close();
  });

  test('a cancelled append writes nothing (and creates no table)', async () => {
    const store = await open('?table=chat_history');
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(store.append(SESSION, turn('t-0'), controller.signal), isCancelled);
    assert.deepEqual(await columns('chat_history'), []);
  });

  test('a message LangChain could not read is refused before anything is sent', async () => {
    await rejectsWith((await open('?table=chat_history')).append(SESSION, ['{"type": "ai"}']), 'invalid-data', /new messages/);
    assert.deepEqual(await columns('chat_history'), []);
  });

  test('a dict PostgreSQL cannot hold as JSONB (a NUL character) is invalid-data, and nothing of the turn is stored', async () => {
    const store = await open('?table=chat_history');
    await store.append(SESSION, turn('t-0'));
    await rejectsWith(store.append(SESSION, turn('nul\u0000-0')), 'invalid-data', /PostgreSQL refused to append to postgres:\/\/postgres:\*\*\*@.*unsupported Unicode escape/);
    assert.deepEqual((await store.messages(SESSION)).map((m) => m.content), ['t-0', 'reply t-0']);
  });

  test('clear deletes the session, nothing else', async () => {
    const store = await open('?table=chat_history');
    await store.append(SESSION, turn('t-0'));
    await store.append(OTHER, turn('t-0'));
    await store.clear(SESSION);
    assert.deepEqual(await store.sessions(), [OTHER]);
  });
});

describe('readonly', () => {
  test('reads; append and clear are refused before anything is sent, and no table is created', async () => {
    await createTablesAsLangChain('chat_history');
    await addMessagesAsLangChain('chat_history', SESSION, turn('t-0'));
    const store = await open('?table=chat_history&readonly=1');
    assert.equal((await store.messages(SESSION)).length, 2);
    await rejectsWith(store.append(SESSION, turn('t-1')), 'readonly');
    await rejectsWith(store.clear(SESSION), 'readonly');
    await rejectsWith((await open('?table=fresh&readonly=1')).append(SESSION, turn('t-1')), 'readonly');
    assert.deepEqual(await columns('fresh'), []);
    assert.equal((await store.messages(SESSION)).length, 2);
  });
});

describe('failures', () => {
  test('a wrong password is auth; neither password is in the message', async () => {
    const message = await rejectsWith((await open('', server.url.replace(server.password, 'wrong-secret'))).sessions(), 'auth', /credentials for postgres:\/\/postgres:\*\*\*@/);
    assert.doesNotMatch(message, /wrong-secret/);
  });

  test('nothing listening is unreachable, at once', async () => {
    const port = await closedPort();
    await rejectsWith((await open('', `postgres://postgres:pw@127.0.0.1:${port}/postgres`)).sessions(), 'unreachable', /Cannot reach postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/postgres: .*ECONNREFUSED/);
  });

  test('a read cancelled while the server does not answer ends at once', async () => {
    await createTablesAsLangChain('chat_history');
    const proxy = await startTcpProxy(server.port);
    const store = await open('?table=chat_history', server.url.replace(`:${server.port}`, `:${proxy.port}`));
    await store.sessions();
    const held = proxy.holdAt('SELECT message');
    const controller = new AbortController();
    const read = store.messages(SESSION, controller.signal);
    await held;
    controller.abort();
    await assert.rejects(read, isCancelled);
    await proxy.close();
  });
});
