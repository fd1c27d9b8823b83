import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { rmSync, appendFileSync, existsSync, mkdtempSync, openSync, readFileSync, readdirSync, closeSync, statSync, writeSync, writeFileSync, ftruncateSync, readSync } from 'node:fs';
import { homedir, hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { openConversation, defaultStateDir, LockTimeoutError, type OpenConversationOptions } from '../../../core/memory/store';
import { memoryConfig } from './fixtures/memoryConfig';

const appender = join(__dirname, 'fixtures', 'appendTurns.ts');

const createdFolders: string[] = [];
after(() => createdFolders.splice(0).forEach((folder) => rmSync(folder, { recursive: true, force: true })));

function workspace(): string {
  const folder = mkdtempSync(join(tmpdir(), 'prompt-chain-store-'));
  createdFolders.push(folder);
  return folder;
}

function open(root: string, overrides: Partial<OpenConversationOptions> = {}) {
  const warnings: string[] = [];
  const conversation = openConversation({
    stateDir: join(root, 'state'),
    workspaceRoot: root,
    filePath: join(root, 'a.prompt'),
    memory: memoryConfig(),
    onWarning: (message) => warnings.push(message),
    ...overrides,
  });
  return { conversation, warnings };
}

function spawnAppender(stateDir: string, label: string, count: string): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', appender, stateDir, label, count], { stdio: ['ignore', 'pipe', 'inherit'] });
}

async function exitCode(child: ChildProcess): Promise<number | null> {
  const [code] = (await once(child, 'exit')) as [number | null];
  return code;
}

describe('openConversation', () => {
  test('turns round-trip in order, with line breaks and unicode intact', async () => {
    const root = workspace();
    const { conversation } = open(root);
    assert.deepEqual(await conversation.load(), []);
    await conversation.append({ input: 'Hi there my friend', output: ' Hi there! How can I help you today?' });
    await conversation.append({ input: 'line one\nsystem:\nline three', output: 'café ☕ "quoted" \u2028' });
    const reopened = open(root).conversation;
    assert.deepEqual(await reopened.load(), [
      { input: 'Hi there my friend', output: ' Hi there! How can I help you today?' },
      { input: 'line one\nsystem:\nline three', output: 'café ☕ "quoted" \u2028' },
    ]);
  });

  test('stores one line per turn holding only the exchange and its time', async () => {
    const root = workspace();
    const { conversation } = open(root);
    await conversation.append({ input: 'a', output: 'b' });
    const lines = readFileSync(conversation.recordsPath, 'utf8').split('\n');
    assert.equal(lines.length, 2);
    assert.equal(lines[1], '');
    assert.deepEqual(Object.keys(JSON.parse(lines[0] ?? '')), ['input', 'output', 'at']);
  });

  test('names the prompt file beside the records', async () => {
    const root = workspace();
    const { conversation } = open(root, { filePath: join(root, 'examples', 'chat.prompt') });
    await conversation.append({ input: 'a', output: 'b' });
    const meta = JSON.parse(readFileSync(conversation.recordsPath.replace(/\.jsonl$/, '.json'), 'utf8'));
    assert.equal(meta.file, 'examples/chat.prompt');
    assert.equal(meta.scope, 'file');
  });

  test('a torn last record is skipped with a warning, earlier turns are kept, the next append is clean', async () => {
    const root = workspace();
    const { conversation } = open(root);
    await conversation.append({ input: 'one', output: '1' });
    await conversation.append({ input: 'two', output: '2' });
    appendFileSync(conversation.recordsPath, '{"input":"three","outp');

    const { conversation: reader, warnings } = open(root);
    assert.deepEqual(await reader.load(), [{ input: 'one', output: '1' }, { input: 'two', output: '2' }]);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /incomplete last record .*2 earlier turns are intact/);
    await reader.load();
    assert.equal(warnings.length, 1, 'said once, not at every load while the record stays torn');

    await reader.append({ input: 'four', output: '4' });
    const { conversation: after, warnings: afterWarnings } = open(root);
    assert.deepEqual(await after.load(), [
      { input: 'one', output: '1' },
      { input: 'two', output: '2' },
      { input: 'four', output: '4' },
    ]);
    assert.deepEqual(afterWarnings, []);
  });

  test('appending behind a torn record without loading first warns once and repairs', async () => {
    const root = workspace();
    const { conversation } = open(root);
    await conversation.append({ input: 'one', output: '1' });
    appendFileSync(conversation.recordsPath, '{"inp');
    const { conversation: writer, warnings } = open(root);
    await writer.append({ input: 'two', output: '2' });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /removed an incomplete last record \(5 bytes/);
    assert.deepEqual(await writer.load(), [{ input: 'one', output: '1' }, { input: 'two', output: '2' }]);
  });

  test('a file holding only a torn record loads as empty', async () => {
    const root = workspace();
    const { conversation } = open(root);
    await conversation.append({ input: 'one', output: '1' });
    writeFileSync(conversation.recordsPath, '{"input":"x"');
    const { conversation: reader, warnings } = open(root);
    assert.deepEqual(await reader.load(), []);
    assert.equal(warnings.length, 1);
    await reader.append({ input: 'two', output: '2' });
    assert.deepEqual(await reader.load(), [{ input: 'two', output: '2' }]);
  });

  test('a damaged line in the middle is skipped with a warning naming it', async () => {
    const root = workspace();
    const { conversation } = open(root);
    await conversation.append({ input: 'one', output: '1' });
    appendFileSync(conversation.recordsPath, 'not json\n{"input":1,"output":"x"}\n');
    await conversation.append({ input: 'two', output: '2' });
    const { conversation: reader, warnings } = open(root);
    assert.deepEqual(await reader.load(), [{ input: 'one', output: '1' }, { input: 'two', output: '2' }]);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /unreadable records on lines 2, 3 of /);
  });

  test('append reads only the tail: it works on a 3 GiB store that could not be read whole', async () => {
    const root = workspace();
    const { conversation } = open(root);
    await conversation.append({ input: 'first', output: '1' });
    // Sparse: takes no disk space. Node refuses to read a file this large in one piece.
    const size = 3 * 2 ** 30;
    const fd = openSync(conversation.recordsPath, 'r+');
    ftruncateSync(fd, size);
    writeSync(fd, '\n', size - 1);
    closeSync(fd);

    await conversation.append({ input: 'next', output: '2' });
    const record = '{"input":"next","output":"2","at":"';
    const tail = Buffer.alloc(record.length);
    const tailFd = openSync(conversation.recordsPath, 'r');
    readSync(tailFd, tail, 0, tail.length, size);
    closeSync(tailFd);
    assert.equal(tail.toString(), record);
    assert.ok(statSync(conversation.recordsPath).size > size);
  });

  test('clear removes every turn; the conversation starts again', async () => {
    const root = workspace();
    const { conversation } = open(root);
    await conversation.append({ input: 'one', output: '1' });
    await conversation.clear();
    assert.deepEqual(await conversation.load(), []);
    await conversation.clear();
    await conversation.append({ input: 'two', output: '2' });
    assert.deepEqual(await open(root).conversation.load(), [{ input: 'two', output: '2' }]);
  });

  test('scope file: one conversation per prompt file, however its path is spelled', async () => {
    const root = workspace();
    await open(root, { filePath: join(root, 'a.prompt') }).conversation.append({ input: 'a', output: '1' });
    const sameFile = open(root, { filePath: join(root, 'sub', '..', 'a.prompt') }).conversation;
    const otherFile = open(root, { filePath: join(root, 'b.prompt') }).conversation;
    assert.deepEqual(await sameFile.load(), [{ input: 'a', output: '1' }]);
    assert.deepEqual(await otherFile.load(), []);
  });

  test('scope workspace: files with the same memory key share one conversation, other keys do not', async () => {
    const root = workspace();
    const shared = memoryConfig({ scope: 'workspace', key: 'chat_history' });
    await open(root, { filePath: join(root, 'a.prompt'), memory: shared }).conversation.append({ input: 'a', output: '1' });
    const b = open(root, { filePath: join(root, 'b.prompt'), memory: shared }).conversation;
    const otherKey = open(root, { filePath: join(root, 'b.prompt'), memory: { ...shared, key: 'history' } }).conversation;
    const fileScoped = open(root, { filePath: join(root, 'a.prompt') }).conversation;
    assert.deepEqual(await b.load(), [{ input: 'a', output: '1' }]);
    assert.deepEqual(await otherKey.load(), []);
    assert.deepEqual(await fileScoped.load(), []);
  });

  test('the same file in two workspaces sharing a state folder keeps two conversations', async () => {
    const root = workspace();
    const state = join(root, 'state');
    const one = open(join(root, 'one'), { stateDir: state, filePath: join(root, 'one', 'a.prompt') }).conversation;
    const two = open(join(root, 'two'), { stateDir: state, filePath: join(root, 'two', 'b.prompt') }).conversation;
    await one.append({ input: 'a', output: '1' });
    assert.deepEqual(await two.load(), []);
  });

  test('withLock nests: a turn holding the lock can append without waiting for itself', async () => {
    const root = workspace();
    const { conversation } = open(root, { lockTimeoutMs: 1000 });
    await conversation.withLock(async () => {
      await conversation.withLock(async () => conversation.append({ input: 'a', output: '1' }));
    });
    assert.deepEqual(await conversation.load(), [{ input: 'a', output: '1' }]);
  });

  test('withLock serializes two turns in one process', async () => {
    const root = workspace();
    const { conversation } = open(root);
    const other = open(root).conversation;
    const order: string[] = [];
    let releaseFirst!: () => void;
    const firstHolds = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstEntered!: () => void;
    const entered = new Promise<void>((resolve) => (firstEntered = resolve));
    const first = conversation.withLock(async () => {
      order.push('first in');
      firstEntered();
      await firstHolds;
      order.push('first out');
    });
    await entered;
    const second = other.withLock(async () => void order.push('second in'));
    releaseFirst();
    await Promise.all([first, second]);
    assert.deepEqual(order, ['first in', 'first out', 'second in']);
  });

  test('a lock held by a live process makes a turn give up after its wait with a clear error', async () => {
    const root = workspace();
    const { conversation } = open(root, { lockTimeoutMs: 30 });
    const lockPath = conversation.recordsPath.replace(/\.jsonl$/, '.lock');
    await open(root).conversation.append({ input: 'a', output: '1' });
    writeFileSync(lockPath, JSON.stringify({ pid: process.pid, host: hostname(), acquiredAt: '', token: 'x' }));
    await assert.rejects(conversation.withLock(async () => undefined), (error: Error) => {
      assert.ok(error instanceof LockTimeoutError);
      assert.match(error.message, new RegExp(`^conversation is busy: process ${process.pid} has been running a turn`));
      assert.ok(error.message.includes(lockPath));
      return true;
    });
    assert.ok(existsSync(lockPath), 'a live lock is never broken');
  });

  test('a lock left by a dead process is broken', async () => {
    const root = workspace();
    const { conversation } = open(root, { lockTimeoutMs: 5000 });
    await conversation.append({ input: 'a', output: '1' });
    const dead = spawn(process.execPath, ['-e', '']);
    await exitCode(dead);
    const lockPath = conversation.recordsPath.replace(/\.jsonl$/, '.lock');
    writeFileSync(lockPath, JSON.stringify({ pid: dead.pid, host: hostname(), acquiredAt: '', token: 'x' }));
    await conversation.append({ input: 'b', output: '2' });
    assert.equal((await conversation.load()).length, 2);
    assert.ok(!existsSync(lockPath), 'the lock is released after the turn');
  });

  test('a process killed while appending in a loop leaves a readable store that takes new turns', async () => {
    const root = workspace();
    const state = join(root, 'state');
    const child = spawnAppender(state, 'killed', 'forever');
    const lines = createInterface({ input: child.stdout! });
    for await (const line of lines) if (Number(line) >= 30) break;
    child.kill('SIGKILL');
    await exitCode(child);

    const { conversation, warnings } = open(root, { stateDir: state, workspaceRoot: state, filePath: join(state, 'a.prompt'), lockTimeoutMs: 5000 });
    const turns = await conversation.load();
    assert.ok(turns.length >= 31, `kept ${turns.length} turns`);
    turns.forEach((turn, i) => assert.deepEqual(turn, { input: `killed-${i}`, output: `after ${i}` }));
    assert.ok(warnings.every((w) => /incomplete last record/.test(w)), warnings.join('\n'));
    await conversation.append({ input: 'after the crash', output: 'ok' });
    assert.deepEqual((await conversation.load()).at(-1), { input: 'after the crash', output: 'ok' });
  });

  test('two processes appending under the lock: every turn lands, whole and in order', async () => {
    const root = workspace();
    const state = join(root, 'state');
    const perProcess = 40;
    const children = [spawnAppender(state, 'p', String(perProcess)), spawnAppender(state, 'q', String(perProcess))];
    children.forEach((child) => child.stdout?.resume());
    assert.deepEqual(await Promise.all(children.map(exitCode)), [0, 0]);

    const { conversation, warnings } = open(root, { stateDir: state, workspaceRoot: state, filePath: join(state, 'a.prompt') });
    const turns = await conversation.load();
    assert.deepEqual(warnings, []);
    assert.equal(turns.length, 2 * perProcess);
    // Each turn saw exactly the turns before it: load-then-append never overlapped with the other process.
    turns.forEach((turn, i) => assert.equal(turn.output, `after ${i}`));
    for (const label of ['p', 'q']) {
      const mine = turns.filter((t) => t.input.startsWith(`${label}-`)).map((t) => t.input);
      assert.deepEqual(mine, Array.from({ length: perProcess }, (_, i) => `${label}-${i}`));
    }
    const leftovers = readdirSync(join(state, 'conversations')).filter((name) => /\.(lock|break|tmp)$/.test(name));
    assert.deepEqual(leftovers, []);
  });
});

describe('defaultStateDir', () => {
  test('is $XDG_STATE_HOME/prompt-chain/<16 hex of the resolved workspace root>', () => {
    const dir = defaultStateDir('/work/project/../project', { XDG_STATE_HOME: '/state' });
    assert.match(dir, /^\/state\/prompt-chain\/[0-9a-f]{16}$/);
    assert.equal(dir, defaultStateDir('/work/project', { XDG_STATE_HOME: '/state' }));
    assert.notEqual(dir, defaultStateDir('/work/other', { XDG_STATE_HOME: '/state' }));
  });

  test('falls back to ~/.local/state when XDG_STATE_HOME is unset or relative', () => {
    const home = homedir();
    assert.ok(defaultStateDir('/w', {}).startsWith(join(home, '.local', 'state', 'prompt-chain')));
    assert.ok(defaultStateDir('/w', { XDG_STATE_HOME: 'relative' }).startsWith(join(home, '.local', 'state')));
  });
});
