import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { encodeMessage } from '../../../../core/history/messageDicts';
import { parseHistoryUrl } from '../../../../core/history/historyUrl';
import { listStoreSessions } from '../../../../core/history/openHistory';
import { createTableSql, openSqliteHistory, type SqliteHistoryOptions } from '../../../../core/history/stores/sqlite';
import type { ChatHistoryStore } from '../../../../core/history/types';
import { exited, nextLine, rejectsWith, spawnFixture, temporaryFolders, turnsByLabel } from '../fixtures/stores';

const golden = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', 'python', name), 'utf8');
const folders = temporaryFolders('sqlite-history');
const human = (content: string) => encodeMessage({ type: 'human', content }, 'python');
const ai = (content: string) => encodeMessage({ type: 'ai', content }, 'python');

function store(query = '', options: SqliteHistoryOptions = {}): { history: ChatHistoryStore; path: string } {
  const folder = folders.make();
  const target = parseHistoryUrl(`sqlite:///chat.db${query}`, folder);
  return { history: openSqliteHistory(target, options), path: target.path! };
}

/** The database as the application's SQLChatMessageHistory left it: its table, with `rows` (session, dict). */
function writtenByLangChain(path: string, rows: [string, string][], table = 'message_store'): void {
  withDatabase(path, (db) => {
    db.exec(createTableSql(table));
    const insert = db.prepare(`INSERT INTO "${table}" (session_id, message) VALUES (?, ?)`);
    for (const [session, message] of rows) insert.run(session, message);
  });
}

/** Runs `work` on a connection of its own to the file (the application's, or a look from outside). */
function withDatabase<T>(path: string, work: (db: Database.Database) => T): T {
  const db = new Database(path);
  try {
    return work(db);
  } finally {
    db.close();
  }
}

function rows(path: string, table = 'message_store'): { id: number; session_id: string; message: string }[] {
  return withDatabase(path, (db) => db.prepare(`SELECT id, session_id, message FROM "${table}" ORDER BY id`).all() as { id: number; session_id: string; message: string }[]);
}

describe('SQLite store: SQLChatMessageHistory', () => {
  test("reads each session ORDER BY id, every dict kept exactly; sessions are the table's session ids", async () => {
    const { history, path } = store();
    writtenByLangChain(path, [['8f3c', golden('human.json')], ['other', golden('human-0.3.json')], ['8f3c', golden('ai.json')], ['other', golden('ai-0.3.json')]]);
    const messages = await history.messages('8f3c');
    assert.deepEqual(messages.map((m) => m.raw), [golden('human.json'), golden('ai.json')]);
    assert.deepEqual((await history.messages('other')).map((m) => m.type), ['human', 'ai']);
    assert.deepEqual(await history.messages('nobody'), []);
    assert.deepEqual((await history.sessions()).sort(), ['8f3c', 'other']);
    await history.close();
  });

  test('listStoreSessions, the one order every host lists: sorted by id, whichever was written last', async () => {
    const { history, path } = store();
    writtenByLangChain(path, [['b', golden('human.json')], ['c', golden('human.json')], ['a', golden('human.json')], ['b', golden('ai.json')]]);
    assert.deepEqual(await listStoreSessions(history.target), ['a', 'b', 'c']);
    await history.close();
  });

  test('the first append creates the table as SQLAlchemy does and stores what Python stores', async () => {
    const { history, path } = store();
    await history.append('s1', [human('Hi there my friend'), ai(' Hi there! How can I help you today?')]);
    const [schema, indexes] = withDatabase(path, (db) => [db.prepare("SELECT sql FROM sqlite_master WHERE name = 'message_store'").pluck().get(), db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'index'").pluck().get()]);
    assert.equal(schema, golden('sqlite-schema.sql'));
    assert.equal(indexes, 0);
    assert.deepEqual(rows(path), [{ id: 1, session_id: 's1', message: golden('human.json') }, { id: 2, session_id: 's1', message: golden('ai.json') }]);
    await history.close();
  });

  test('appends after the rows the application wrote, in one transaction', async () => {
    const { history, path } = store();
    writtenByLangChain(path, [['s', golden('human.json')], ['s', golden('ai.json')]]);
    await history.append('s', [human('next'), ai('reply')]);
    assert.deepEqual(rows(path).map((row) => [row.id, row.message]), [[1, golden('human.json')], [2, golden('ai.json')], [3, human('next')], [4, ai('reply')]]);
    await history.close();
  });

  test('any text (astral, controls, NUL, lone surrogates) reads back as appended', async () => {
    const { history } = store();
    const text = fc.oneof(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }));
    let session = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(text, { minLength: 1, maxLength: 6 }), async (contents) => {
        const id = `s${session++}`;
        await history.append(id, contents.map((content) => human(content)));
        assert.deepEqual((await history.messages(id)).map((m) => m.content), contents);
      }),
      { numRuns: 50 },
    );
    await history.close();
  });

  test('a named table, and one whose name SQLAlchemy quotes', async () => {
    const { history, path } = store('?table=ChatHistory');
    await history.append('s', [human('x')]);
    const schema = withDatabase(path, (db) => db.prepare("SELECT sql FROM sqlite_master WHERE name = 'ChatHistory'").pluck().get());
    assert.match(String(schema), /^CREATE TABLE "ChatHistory" \(\n\tid INTEGER NOT NULL, /);
    assert.deepEqual((await history.messages('s')).map((m) => m.content), ['x']);
    await history.close();
  });

  test('the journal mode is left as the file has it: WAL stays WAL, a new file keeps the default', async () => {
    const wal = store();
    withDatabase(wal.path, (db) => db.pragma('journal_mode = WAL'));
    await wal.history.append('s', [human('x')]);
    await wal.history.close();
    const fresh = store();
    await fresh.history.append('s', [human('x')]);
    await fresh.history.close();
    const mode = (path: string) => withDatabase(path, (db) => db.pragma('journal_mode', { simple: true }));
    assert.deepEqual([mode(wal.path), mode(fresh.path)], ['wal', 'delete']);
  });

  test('reading a database that does not exist creates nothing', async () => {
    const { history, path } = store();
    assert.deepEqual(await history.messages('s'), []);
    assert.deepEqual(await history.sessions(), []);
    await history.clear('s');
    assert.equal(existsSync(path), false);
  });

  test('clear deletes one session only', async () => {
    const { history, path } = store();
    writtenByLangChain(path, [['a', golden('human.json')], ['b', golden('human.json')]]);
    await history.clear('a');
    assert.deepEqual(rows(path).map((row) => row.session_id), ['b']);
    await history.close();
  });

  test('readonly reads but refuses append and clear, and never creates the file', async () => {
    const { history, path } = store('?readonly=true');
    assert.deepEqual(await history.messages('s'), []);
    await rejectsWith(history.append('s', [human('x')]), 'readonly', /Cannot append .* read-only/);
    assert.equal(existsSync(path), false);
    writtenByLangChain(path, [['s', golden('human.json')]]);
    assert.equal((await history.messages('s')).length, 1);
    await rejectsWith(history.clear('s'), 'readonly', /Cannot clear/);
    assert.equal(rows(path).length, 1);
    await history.close();
  });

  test("another application's table of the same name, a NULL message, a file that is not a database: refused, nothing written", async () => {
    const foreign = store();
    withDatabase(foreign.path, (db) => db.exec('CREATE TABLE message_store (id INTEGER PRIMARY KEY, body TEXT)'));
    await rejectsWith(foreign.history.append('s', [human('x')]), 'invalid-data', /table message_store has no session_id, message column/);
    await foreign.history.close();

    const nulls = store();
    writtenByLangChain(nulls.path, [['s', golden('human.json')]]);
    withDatabase(nulls.path, (db) => db.prepare("INSERT INTO message_store (session_id, message) VALUES ('s', NULL)").run());
    await rejectsWith(nulls.history.messages('s'), 'invalid-data', /the message at index 1 is NULL/);
    await nulls.history.close();

    const garbage = store();
    writeFileSync(garbage.path, 'this is a text file, not a database'.repeat(100));
    await rejectsWith(garbage.history.messages('s'), 'invalid-data', /not a SQLite database/);
    await garbage.history.close();
  });

  test('an invalid message is never stored; a cancelled append stores nothing', async () => {
    const { history, path } = store();
    writtenByLangChain(path, []);
    await rejectsWith(history.append('s', [human('ok'), '{"type": "ai"}']), 'invalid-data', /index 1 has neither "data"/);
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(history.append('s', [human('x')], controller.signal), /cancelled/);
    assert.deepEqual(rows(path), []);
    await history.close();
  });

  test("while the application holds a write transaction, an append waits for it, then lands after the application's row", async () => {
    const { history, path } = store('', {});
    writtenByLangChain(path, []);
    const { child, lines } = spawnFixture('holdSqliteLock.ts', [path, 's', golden('human.json')]);
    let busy: () => void = () => undefined;
    const sawBusy = new Promise<void>((resolve) => (busy = resolve));
    const waiting = openSqliteHistory(parseHistoryUrl(`sqlite:${path}`, '/'), { onBusy: () => busy() });
    try {
      assert.equal(await nextLine(lines), 'locked');
      const append = waiting.append('s', [human('mine'), ai('my reply')]);
      await sawBusy; // it met the lock and is waiting, not failing
      child.stdin!.write('commit\n');
      assert.equal(await nextLine(lines), 'committed');
      await append;
    } finally {
      await exited(child);
    }
    assert.deepEqual(rows(path).map((row) => row.message), [golden('human.json'), human('mine'), ai('my reply')]);
    await waiting.close();
    await history.close();
  });

  test('a lock held past the busy timeout: one line saying so, and nothing written', async () => {
    const { path } = store();
    writtenByLangChain(path, []);
    const holder = new Database(path);
    holder.exec('BEGIN IMMEDIATE');
    const history = openSqliteHistory(parseHistoryUrl(`sqlite:${path}`, '/'), { busyTimeoutMs: 50 });
    try {
      await rejectsWith(history.append('s', [human('x')]), 'unreachable', /another connection kept the database locked/);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    assert.deepEqual(rows(path), []);
    await history.close();
  });

  test('a second process appending at the same time: both keep every turn, whole and in order', async () => {
    const { history, path } = store();
    const { child, lines } = spawnFixture('appendHistory.ts', [`sqlite:${path}`, 's', 'child', 'forever']);
    try {
      await nextLine(lines);
      for (let i = 0; i < 25; i++) await history.append('s', [human(`parent-${i}`), ai(`reply parent-${i}`)]);
      await nextLine(lines);
    } finally {
      child.kill('SIGKILL');
      await exited(child);
    }
    const counts = turnsByLabel(await history.messages('s'));
    assert.equal(counts.get('parent'), 25);
    assert.ok((counts.get('child') ?? 0) >= 2);
    await history.close();
  });

  test('where the addon cannot load: kind unsupported, one line saying what works', async () => {
    const { history } = store('', {
      loadBinding: () => {
        throw new Error("The module 'better_sqlite3.node' was compiled against a different Node.js version using NODE_MODULE_VERSION 115.\nThis version of Node.js requires NODE_MODULE_VERSION 130.");
      },
    });
    await rejectsWith(history.append('s', [human('x')]), 'unsupported', /need the better-sqlite3 native addon, .*NODE_MODULE_VERSION 115\. This version of Node\.js requires NODE_MODULE_VERSION 130\.\. Use the prompt-chain CLI/);
    const missing = openSqliteHistory(parseHistoryUrl('sqlite:chat.db', folders.make()), {
      loadBinding: () => {
        throw Object.assign(new Error("Cannot find module 'better-sqlite3'\nRequire stack:\n- /ext/dist/serverMain.js"), { code: 'MODULE_NOT_FOUND' });
      },
    });
    await rejectsWith(missing.append('s', [human('x')]), 'unsupported', /: Cannot find module 'better-sqlite3'\. Use the prompt-chain CLI/);
  });
});
