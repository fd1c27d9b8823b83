// The CLI on shared chat histories (the built bin, a real SQLite file and a FileChatMessageHistory file
// written as LangChain writes them, the fake OpenAI server): run --history/--session and the environment,
// a file's memory.history by name, memory show|clear|sessions|export|import, refusals in one line with
// their kind, and never a password on screen.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { closedPort } from '../support/ports';
import { startRedisServer, type RedisServer } from '../support/redisServer';
import { useFakeOpenAI } from '../support/useFakeOpenAI';
import { cliPath, createWorkspace, runProcess, useCliWorkspaces, type Workspace } from './support/cli';
import { encodeTurn } from '../../core/history/messageDicts';

useCliWorkspaces();
const { fake } = useFakeOpenAI();
let redis: RedisServer;
before(async () => {
  redis = await startRedisServer();
});
after(() => redis.stop());

const golden = (name: string) => readFileSync(join(__dirname, '..', 'core', 'history', 'fixtures', 'python', `${name}.json`), 'utf8');
const [systemDict, humanDict, aiDict] = [golden('system'), golden('human'), golden('ai')];
const schema = readFileSync(join(__dirname, '..', 'core', 'history', 'fixtures', 'python', 'sqlite-schema.sql'), 'utf8');

const chatPrompt = '---\nmodel: gpt-4o-mini\nmemory:\n  return_messages: true\n---\nsystem:\nYou are kind.\nplaceholder:\n{history}\nhuman:\n{input}\n';

/** A workspace with chat.prompt and chat.db holding session s1 as SQLChatMessageHistory wrote it. */
function workspace(dicts: readonly string[] = [systemDict]): { ws: Workspace; rows: () => string[]; env: Record<string, string> } {
  const ws = createWorkspace({ 'chat.prompt': chatPrompt });
  const path = join(ws.root, 'chat.db');
  const db = new Database(path);
  db.exec(schema);
  for (const dict of dicts) db.prepare('INSERT INTO message_store (session_id, message) VALUES (?, ?)').run('s1', dict);
  db.prepare('INSERT INTO message_store (session_id, message) VALUES (?, ?)').run('s2', humanDict);
  db.close();
  const rows = () => {
    const reader = new Database(path, { readonly: true });
    const messages = (reader.prepare("SELECT message FROM message_store WHERE session_id = 's1' ORDER BY id").all() as { message: string }[]).map((row) => row.message);
    reader.close();
    return messages;
  };
  return { ws, rows, env: { OPENAI_BASE_URL: fake.baseURL } };
}

describe('prompt-chain and shared histories', () => {
  test('run --history --session: the session is the conversation, and the turn is appended as LangChain writes it', async () => {
    const { ws, rows, env } = workspace();
    fake.enqueue({ reply: ' Hi there! How can I help you today?' });
    const result = await ws.run(['run', 'chat.prompt', '--input', 'Hi there my friend', '--history', 'sqlite:chat.db', '--session', 's1'], env);
    assert.deepEqual(result, { code: 0, stdout: ' Hi there! How can I help you today?\n', stderr: '' });
    assert.deepEqual((fake.requests[0]!.body as { messages: unknown[] }).messages.slice(1, 2), [{ role: 'system', content: 'You are a chatbot having a conversation with a human.' }]);
    assert.deepEqual(rows(), [systemDict, humanDict, aiDict]);
    // The local conversation was not touched.
    assert.equal((await ws.run(['memory', 'show', 'chat.prompt'])).stdout, 'no stored turns\n');
  });

  test("the environment and a file's memory.history name the store; a name resolves through PROMPT_CHAIN_HISTORY_STORES", async () => {
    const { ws, rows, env } = workspace();
    ws.write('named.prompt', chatPrompt.replace('  return_messages: true\n', '  return_messages: true\n  history: team\n'));
    const stores = JSON.stringify({ team: 'sqlite:chat.db' });
    fake.enqueue({ reply: 'one' });
    assert.equal((await ws.run(['run', 'named.prompt', '--input', 'a'], { ...env, PROMPT_CHAIN_HISTORY_STORES: stores, PROMPT_CHAIN_HISTORY_SESSION: 's1' })).code, 0);
    fake.enqueue({ reply: 'two' });
    assert.equal((await ws.run(['run', 'chat.prompt', '--input', 'b'], { ...env, PROMPT_CHAIN_HISTORY_URL: 'sqlite:chat.db', PROMPT_CHAIN_HISTORY_SESSION: 's1' })).code, 0);
    assert.equal(rows().length, 5);
    const unknown = await ws.run(['run', 'named.prompt', '--input', 'c', '--session', 's1', '--json'], env);
    assert.equal(unknown.code, 1);
    assert.deepEqual(JSON.parse(unknown.stdout).error.kind, 'history');
    assert.deepEqual(JSON.parse(unknown.stdout).error.reason, 'unknown-store');
    assert.match(unknown.stderr, /^No history store is named "team" \(the file's memory.history\): no store is configured\..*\n$/);
    assert.equal(fake.requests.length, 2);
  });

  test('no session: one line with the store, nothing sent', async () => {
    const { ws, env } = workspace();
    const result = await ws.run(['run', 'chat.prompt', '--input', 'x', '--history', 'sqlite:chat.db'], env);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^No session for sqlite:chat\.db: give one with --session ID/);
    assert.equal(fake.requests.length, 0);
  });

  test('a password is never printed: a wrong one refused by a real Redis, one holding @ and : at a closed port', async () => {
    const { ws, env } = workspace();
    const wrong = `redis://:wr%40ng-s3cret@127.0.0.1:${redis.port}/0`;
    const closed = `redis://app:s3@cr:et@127.0.0.1:${await closedPort()}/0`;
    for (const [url, pattern, secrets] of [
      [wrong, /^Redis refused the credentials for redis:\/\/:\*\*\*@127\.0\.0\.1:\d+\/0: WRONGPASS/, ['s3cret', 'wr@ng']],
      [closed, /^Cannot reach redis:\/\/app:\*\*\*@127\.0\.0\.1:\d+\/0: .*ECONNREFUSED/, ['s3@cr', 'cr:et', 's3%40cr']],
    ] as const) {
      const result = await ws.run(['run', 'chat.prompt', '--input', 'x', '--history', url, '--session', 's1', '--json'], env);
      assert.equal(result.code, 1);
      assert.match(result.stderr, pattern);
      assert.equal(result.stderr.split('\n').length, 2, result.stderr);
      for (const secret of secrets) assert.ok(!`${result.stdout}${result.stderr}`.includes(secret), result.stderr);
      assert.equal(JSON.parse(result.stdout).error.kind, 'history');
    }
    assert.equal(fake.requests.length, 0);
  });

  test('read-only: the reply is shown, stderr says it was not saved, --json says saved: false', async () => {
    const { ws, rows, env } = workspace();
    fake.enqueue({ reply: 'Here.' });
    const result = await ws.run(['run', 'chat.prompt', '--input', 'x', '--history', 'sqlite:chat.db?readonly=1', '--session', 's1', '--json'], env);
    assert.equal(result.code, 0);
    assert.deepEqual(JSON.parse(result.stdout).history, { store: 'sqlite:chat.db?readonly=1', session: 's1', saved: false });
    assert.match(result.stderr, /^not saved: sqlite:chat\.db\?readonly=1 is attached read-only\n$/);
    assert.deepEqual(rows(), [systemDict]);
  });

  test('memory show and sessions on a store; clear asks for --yes', async () => {
    const { ws, rows } = workspace([systemDict, humanDict, aiDict]);
    const flags = ['--history', 'sqlite:chat.db', '--session', 's1'];
    const shown = await ws.run(['memory', 'show', 'chat.prompt', ...flags]);
    assert.deepEqual(shown, { code: 0, stdout: 'System: You are a chatbot having a conversation with a human.\nHuman: Hi there my friend\nAI:  Hi there! How can I help you today?\n', stderr: '3 messages in session s1 of sqlite:chat.db: 1 turn, 1 lone message\n' });
    const asJson = JSON.parse((await ws.run(['memory', 'show', 'chat.prompt', ...flags, '--json', '--all'])).stdout);
    assert.deepEqual([asJson.history, asJson.view.storedTurns, asJson.view.loneMessages, asJson.messages.map((m: { raw: string }) => m.raw)], [{ store: 'sqlite:chat.db', session: 's1' }, 1, 1, [systemDict, humanDict, aiDict]]);
    assert.deepEqual(await ws.run(['memory', 'sessions', '--history', 'sqlite:chat.db']), { code: 0, stdout: 's1\ns2\n', stderr: '' });
    const refused = await ws.run(['memory', 'clear', 'chat.prompt', ...flags]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /deletes session s1 of sqlite:chat\.db for every application that reads it: add --yes/);
    assert.equal(rows().length, 3);
    assert.deepEqual(await ws.run(['memory', 'clear', 'chat.prompt', ...flags, '--yes']), { code: 0, stdout: 'cleared 3 messages from session s1 of sqlite:chat.db\n', stderr: '' });
    assert.deepEqual(rows(), []);
  });

  test('memory export appends the local turns to the session; import brings a session of exchanges into an empty conversation', async () => {
    const { ws, rows, env } = workspace([]);
    fake.enqueue({ reply: ' Hi there! How can I help you today?' });
    await ws.run(['run', 'chat.prompt', '--input', 'Hi there my friend'], env);
    assert.deepEqual(await ws.run(['memory', 'export', 'chat.prompt', '--to', 'sqlite:chat.db', '--session', 's1']), { code: 0, stdout: 'exported 1 turn (2 messages) from chat.prompt to session s1 of sqlite:chat.db\n', stderr: '' });
    assert.deepEqual(rows(), [humanDict, aiDict]);

    ws.write('other.prompt', chatPrompt);
    assert.deepEqual(await ws.run(['memory', 'import', 'other.prompt', '--from', 'sqlite:chat.db', '--session', 's1']), { code: 0, stdout: "imported 1 turn from session s1 of sqlite:chat.db into other.prompt's conversation\n", stderr: '' });
    assert.equal((await ws.run(['memory', 'show', 'other.prompt'])).stdout, 'Human: Hi there my friend\nAI:  Hi there! How can I help you today?\n');
    const again = await ws.run(['memory', 'import', 'other.prompt', '--from', 'sqlite:chat.db', '--session', 's1']);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /already has 1 stored turn/);
  });

  test('an import that fails part way (the disk fills up) leaves the conversation empty; the next import takes it all', async () => {
    const turns = Array.from({ length: 300 }, (_, i) => ({ input: `question ${i} `.padEnd(80, '?'), output: `answer ${i} `.padEnd(80, '!') }));
    const { ws } = workspace(turns.flatMap((turn) => encodeTurn(turn)));
    const args = ['memory', 'import', 'chat.prompt', '--from', 'sqlite:chat.db', '--session', 's1'];
    // A file size limit of a few KB: the records (about 60 KB) hit it part way, as a full disk would.
    const env = { PATH: process.env.PATH, HOME: dirname(ws.root), XDG_STATE_HOME: ws.stateHome };
    const limited = await runProcess('/bin/sh', ['-c', 'ulimit -f 16 && exec "$0" "$@"', process.execPath, cliPath, ...args], ws.root, env);
    assert.notEqual(limited.code, 0, limited.stderr);
    assert.match(limited.stderr, /cannot save the turn: .*\(EFBIG\)/);
    assert.equal((await ws.run(['memory', 'show', 'chat.prompt'])).stdout, 'no stored turns\n');
    assert.deepEqual(await ws.run(args), { code: 0, stdout: "imported 300 turns from session s1 of sqlite:chat.db into chat.prompt's conversation\n", stderr: '' });
  });

  test('import refuses a session with a lone message, naming it, and imports nothing', async () => {
    const { ws } = workspace([systemDict, humanDict, aiDict]);
    const result = await ws.run(['memory', 'import', 'chat.prompt', '--from', 'sqlite:chat.db', '--session', 's1']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^message 1 of session s1 of sqlite:chat\.db is a system message without its pair: the local conversation keeps exchanges only/);
    assert.equal((await ws.run(['memory', 'show', 'chat.prompt'])).stdout, 'no stored turns\n');
  });

  test('a FileChatMessageHistory file needs no session', async () => {
    const ws = createWorkspace({ 'chat.prompt': chatPrompt, 'history.json': `[${humanDict}, ${aiDict}]` });
    fake.enqueue({ reply: 'ok' });
    const result = await ws.run(['run', 'chat.prompt', '--input', 'next', '--history', 'file:history.json'], { OPENAI_BASE_URL: fake.baseURL });
    assert.equal(result.code, 0, result.stderr);
    const stored = JSON.parse(readFileSync(join(ws.root, 'history.json'), 'utf8')) as { data: { content: string } }[];
    assert.deepEqual(stored.map((m) => m.data.content), ['Hi there my friend', ' Hi there! How can I help you today?', 'next', 'ok']);
  });
});
