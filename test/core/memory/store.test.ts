import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { rmSync, mkdirSync, appendFileSync, existsSync, openSync, readFileSync, readdirSync, closeSync, statSync, writeSync, writeFileSync, ftruncateSync, readSync, symlinkSync } from 'node:fs';
import { homedir, hostname } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { openConversation, defaultStateDir, LockTimeoutError, MemoryStoreError, repairCommandFor, type OpenConversationOptions } from '../../../core/memory/store';
import { readStartTime } from '../../../core/memory/lock';
import { memoryConfig } from './fixtures/memoryConfig';
import { openIn, temporaryFolders } from './fixtures/workspaces';

const appender = join(__dirname, 'fixtures', 'appendTurns.ts');
const lockHolder = join(__dirname, 'fixtures', 'holdLock.ts');

const folders = temporaryFolders('store');
const workspace = () => folders.make();

function open(root: string, overrides: Partial<OpenConversationOptions> = {}) {
  return openIn(root, memoryConfig(), overrides);
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

  test('a damaged line in the middle is skipped with one warning per process naming it and the repair command', async () => {
    const root = workspace();
    const { conversation } = open(root);
    await conversation.append({ input: 'one', output: '1' });
    appendFileSync(conversation.recordsPath, 'not json\n{"input":1,"output":"x"}\n');
    await conversation.append({ input: 'two', output: '2' });
    const { conversation: reader, warnings } = open(root);
    assert.deepEqual(await reader.load(), [{ input: 'one', output: '1' }, { input: 'two', output: '2' }]);
    assert.deepEqual(warnings, [
      `skipped 2 damaged records (lines 2, 3) of ${conversation.recordsPath}; run "prompt-chain memory repair ${join(root, 'a.prompt')}" to move them aside`,
    ]);
    const { conversation: again, warnings: later } = open(root);
    assert.equal((await again.load()).length, 2);
    assert.deepEqual(later, [], 'said once per process, not on every load');
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

  /** A conversation stored under the old rule: the state folder keyed by the workspace's path through a link. */
  async function storedBeforeTheRealPathRule() {
    const root = workspace();
    const link = `${root}-link`;
    symlinkSync(root, link);
    folders.remember(link);
    const env = { XDG_STATE_HOME: join(root, 'xdg') };
    const oldFolder = join(root, 'xdg', 'prompt-chain', createHash('sha256').update(link).digest('hex').slice(0, 16));
    const old = openConversation({ stateDir: oldFolder, workspaceRoot: link, filePath: join(link, 'a.prompt'), memory: memoryConfig() });
    await old.append({ input: 'kept', output: 'safe' });
    return { root, link, env, oldFolder };
  }

  test('a workspace through a symbolic link: its old folder (keyed by the link) is moved to the real path\'s, once', async () => {
    const { root, link, env, oldFolder } = await storedBeforeTheRealPathRule();
    const warnings: string[] = [];
    const dir = defaultStateDir(link, env, (message) => warnings.push(message));
    assert.equal(dir, defaultStateDir(root, env));
    assert.notEqual(dir, oldFolder);
    assert.ok(!existsSync(oldFolder), 'the old folder was renamed');
    const viaRoot = openConversation({ stateDir: defaultStateDir(root, env), workspaceRoot: root, filePath: join(root, 'a.prompt'), memory: memoryConfig() });
    assert.deepEqual(await viaRoot.load(), [{ input: 'kept', output: 'safe' }]);
    assert.equal(defaultStateDir(link, env), dir, 'the second time finds the new folder');
    assert.deepEqual(warnings, []);
  });

  test('an old folder that cannot be renamed (a mount point: EBUSY) is used where it is, said once', async (t) => {
    const { link, env, oldFolder } = await storedBeforeTheRealPathRule();
    if (spawnSync('mount', ['--bind', oldFolder, oldFolder]).status !== 0) return t.skip('mount is not permitted here');
    try {
      const warnings: string[] = [];
      const warn = (message: string) => warnings.push(message);
      assert.equal(defaultStateDir(link, env, warn), oldFolder);
      assert.equal(defaultStateDir(link, env, warn), oldFolder);
      assert.equal(warnings.length, 1, warnings.join(' | '));
      assert.match(warnings[0]!, /could not move the conversations of .* \(EBUSY\); using /);
      const viaLink = openConversation({ stateDir: defaultStateDir(link, env, warn), workspaceRoot: link, filePath: join(link, 'a.prompt'), memory: memoryConfig() });
      assert.deepEqual(await viaLink.load(), [{ input: 'kept', output: 'safe' }]);
    } finally {
      spawnSync('umount', [oldFolder]);
    }
  });

  test('falls back to ~/.local/state when XDG_STATE_HOME is unset or relative', () => {
    const home = homedir();
    assert.ok(defaultStateDir('/w', {}).startsWith(join(home, '.local', 'state', 'prompt-chain')));
    assert.ok(defaultStateDir('/w', { XDG_STATE_HOME: 'relative' }).startsWith(join(home, '.local', 'state')));
  });
});

describe('locks that outlive their process', () => {
  const lockOf = (conversation: { recordsPath: string }) => conversation.recordsPath.replace(/\.jsonl$/, '.lock');
  const bootId = () => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();

  async function withLockFile(content: string, ownerFields?: object) {
    const root = workspace();
    const { conversation } = open(root, { lockTimeoutMs: 60_000 });
    await conversation.append({ input: 'a', output: '1' });
    writeFileSync(lockOf(conversation), ownerFields ? JSON.stringify({ host: hostname(), acquiredAt: '', token: 'x', ...ownerFields }) : content);
    return conversation;
  }

  // The timeout is a minute: a lock wrongly judged live fails the test by its timeout, not by a clock.
  test('a live pid that started at another time (pid reuse) is stale: the lock is taken at once', async () => {
    const startTime = await readStartTime('/proc', process.ppid);
    assert.ok(startTime, 'the parent has a start time in /proc');
    const conversation = await withLockFile('', { pid: process.ppid, bootId: bootId(), startTime: `${Number(startTime) + 1}` });
    await conversation.append({ input: 'b', output: '2' });
    assert.equal((await conversation.load()).length, 2);
    assert.ok(!existsSync(lockOf(conversation)));
  });

  test('pid 1 recorded before the last boot is stale', async () => {
    const conversation = await withLockFile('', { pid: 1, bootId: '00000000-0000-0000-0000-000000000000', startTime: await readStartTime('/proc', 1) });
    await conversation.append({ input: 'b', output: '2' });
    assert.equal((await conversation.load()).length, 2);
  });

  for (const [name, content] of [['empty', ''], ['garbage', '\u0000\u0000{"pi'], ['JSON without an owner', '[1,2]']] as const) {
    test(`an ${name} lock file is stale at once (lock files are created atomically)`, async () => {
      const conversation = await withLockFile(content);
      await conversation.append({ input: 'b', output: '2' });
      assert.equal((await conversation.load()).length, 2);
    });
  }

  test('the lock names this process beyond its pid; no temporary file is left', async () => {
    const root = workspace();
    const { conversation } = open(root);
    await conversation.withLock(async () => {
      const owner = JSON.parse(readFileSync(lockOf(conversation), 'utf8'));
      assert.equal(owner.pid, process.pid);
      assert.equal(owner.bootId, bootId());
      assert.equal(owner.startTime, await readStartTime('/proc', process.pid));
    });
    assert.deepEqual(readdirSync(join(root, 'state', 'conversations')).filter((name) => /\.(lock|tmp)$/.test(name)), []);
  });

  test('a lock held by another live process still blocks until it is released', { timeout: 120_000 }, async () => {
    const root = workspace();
    const state = join(root, 'state');
    const { conversation } = open(root, { stateDir: state, workspaceRoot: state, filePath: join(state, 'a.prompt'), lockTimeoutMs: 60_000 });
    await conversation.append({ input: 'first', output: 'x' });
    const holder = spawn(process.execPath, ['--import', 'tsx', lockHolder, state], { stdio: ['pipe', 'pipe', 'inherit'] });
    // Listened for from the start: the holder may have exited by the time our lock is taken.
    const exited = exitCode(holder);
    // An iterator buffers lines: both may arrive in one chunk, before a second `once` could listen.
    const lines = createInterface({ input: holder.stdout! })[Symbol.asyncIterator]();
    assert.equal((await lines.next()).value, 'held');
    let taken = false;
    const waiting = conversation.withLock(async () => {
      taken = true;
      return (await conversation.load()).map((turn) => turn.input);
    });
    // The holder appends one turn, then waits for our word: our lock must not have been taken meanwhile.
    assert.equal((await lines.next()).value, 'appended');
    assert.equal(taken, false, 'a live holder keeps its lock');
    holder.stdin!.end('release\n');
    assert.deepEqual(await waiting, ['first', 'holder']);
    assert.equal(await exited, 0);
  });

  test('without /proc the pid alone decides: a live pid keeps its lock, a dead one loses it', async () => {
    const root = workspace();
    const noProc = join(root, 'no-proc');
    const { conversation } = open(root, { lockTimeoutMs: 30, procRoot: noProc });
    await conversation.withLock(async () => {
      assert.deepEqual(Object.keys(JSON.parse(readFileSync(lockOf(conversation), 'utf8'))).sort(), ['acquiredAt', 'host', 'pid', 'token']);
    });
    writeFileSync(lockOf(conversation), JSON.stringify({ pid: process.ppid, host: hostname(), acquiredAt: '', token: 'x', startTime: '1' }));
    await assert.rejects(conversation.withLock(async () => undefined), LockTimeoutError);
    const dead = spawn(process.execPath, ['-e', '']);
    await exitCode(dead);
    writeFileSync(lockOf(conversation), JSON.stringify({ pid: dead.pid, host: hostname(), acquiredAt: '', token: 'x' }));
    await conversation.append({ input: 'b', output: '2' });
  });
});

describe('memory repair', () => {
  test('the repair command is one a shell runs as written: odd paths quoted, the folders named when given', () => {
    assert.equal(repairCommandFor('/w/chat.prompt'), 'prompt-chain memory repair /w/chat.prompt');
    assert.equal(
      repairCommandFor("/w/my file's.prompt", { workspaceRoot: '/w', stateDir: '/s/$HOME dir' }),
      "prompt-chain memory repair '/w/my file'\\''s.prompt' --workspace /w --memory-dir '/s/$HOME dir'",
    );
  });

  test('moves damaged records to the side file with where they came from, keeps every turn and the torn tail', async () => {
    const root = workspace();
    const { conversation } = open(root);
    await conversation.append({ input: 'one', output: '1' });
    const invalidUtf8 = Buffer.from([0xff, 0xfe, 0x0a]);
    appendFileSync(conversation.recordsPath, 'not json\n');
    appendFileSync(conversation.recordsPath, invalidUtf8);
    await conversation.append({ input: 'two', output: '2' });
    appendFileSync(conversation.recordsPath, '{"input":"torn');
    const before = await conversation.inspect();
    assert.deepEqual(before.damagedLines, [2, 3]);
    assert.deepEqual(before.movedAside, []);

    assert.deepEqual(await conversation.repairDamaged(), [2, 3]);
    const text = readFileSync(conversation.recordsPath, 'utf8');
    assert.equal(text.split('\n').length, 3, 'two records and the torn tail');
    assert.ok(text.endsWith('{"input":"torn'), 'the torn tail is left for the next save to cut');
    const moved = readFileSync(conversation.damagedPath, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    assert.deepEqual(moved.map(({ from, line, text, base64 }) => ({ from, line, text, base64 })), [
      { from: conversation.recordsPath, line: 2, text: 'not json', base64: undefined },
      { from: conversation.recordsPath, line: 3, text: undefined, base64: Buffer.from([0xff, 0xfe]).toString('base64') },
    ]);
    const after = await conversation.inspect();
    assert.deepEqual(after.turns, [{ input: 'one', output: '1' }, { input: 'two', output: '2' }]);
    assert.deepEqual(after.damagedLines, []);
    assert.deepEqual(after.movedAside.map((record) => record.line), [2, 3]);
    assert.deepEqual(await conversation.load(), after.turns, 'an open conversation sees the rewritten file');
    assert.deepEqual(await conversation.repairDamaged(), [], 'nothing left to move');
    await conversation.append({ input: 'three', output: '3' });
    assert.equal((await open(root).conversation.load()).length, 3);
  });

  test('a second repair appends to the side file', async () => {
    const root = workspace();
    const { conversation } = open(root);
    for (const damage of ['first damage', 'second damage']) {
      await conversation.append({ input: 'x', output: 'y' });
      appendFileSync(conversation.recordsPath, `${damage}\n`);
      await conversation.append({ input: 'x', output: 'y' });
      await conversation.repairDamaged();
    }
    assert.deepEqual((await conversation.inspect()).movedAside.map((record) => record.text), ['first damage', 'second damage']);
  });
});

describe('file-system faults are the store\'s one-line message', () => {
  test('ENOSPC (records on /dev/full): the turn fails naming the folder and what to do', async () => {
    const root = workspace();
    const { conversation } = open(root);
    await conversation.append({ input: 'a', output: '1' });
    rmSync(conversation.recordsPath);
    symlinkSync('/dev/full', conversation.recordsPath);
    await assert.rejects(conversation.append({ input: 'b', output: '2' }), (error: Error) => {
      assert.ok(error instanceof MemoryStoreError);
      assert.equal(error.kind, 'memory');
      assert.equal(error.code, 'ENOSPC');
      assert.equal(error.message, `cannot save the turn: ${join(root, 'state', 'conversations')} is on a full disk (ENOSPC): free some space on its disk or set XDG_STATE_HOME (or the CLI's --memory-dir) to a writable folder`);
      return true;
    });
  });

  test('EROFS, through a real read-only bind mount: saving, clearing and repairing fail at the lock with the store message; reading works', async (t) => {
    const root = workspace();
    const { conversation } = open(root, { relocateHint: 'set --memory-dir to a writable folder' });
    await conversation.append({ input: 'a', output: '1' });
    appendFileSync(conversation.recordsPath, 'damaged\n');
    const folder = join(root, 'state', 'conversations');
    const mounted = spawnSync('mount', ['--bind', folder, folder]);
    if (mounted.status !== 0) return t.skip(`mount is not permitted here: ${mounted.stderr}`);
    try {
      assert.equal(spawnSync('mount', ['-o', 'remount,bind,ro', folder, folder]).status, 0);
      const readOnly = (action: string) => (error: Error) => {
        assert.ok(error instanceof MemoryStoreError, String(error));
        assert.equal(error.message, `cannot ${action}: ${folder} is on a read-only file system (EROFS): make the folder writable or set --memory-dir to a writable folder`);
        return true;
      };
      await assert.rejects(conversation.append({ input: 'b', output: '2' }), readOnly('lock the conversation'));
      await assert.rejects(conversation.clear(), readOnly('lock the conversation'));
      await assert.rejects(conversation.repairDamaged(), readOnly('lock the conversation'));
      assert.equal((await conversation.load()).length, 1, 'reading still works');
    } finally {
      spawnSync('umount', [folder]);
    }
  });

  test('a folder in the way of the memory folder', async () => {
    const root = workspace();
    writeFileSync(join(root, 'state'), 'a file, not a folder');
    const { conversation } = open(root);
    await assert.rejects(conversation.append({ input: 'b', output: '2' }), /^MemoryStoreError: cannot create the memory folder: .*state\/conversations has a parent path that is not a folder \(ENOTDIR\)/);
    await assert.rejects(conversation.load(), /^MemoryStoreError: cannot read the conversation: .* \(ENOTDIR\)/);
  });
});

describe('conversation identity', () => {
  test('a workspace reached through a symbolic link is the same workspace', async () => {
    const root = workspace();
    const link = `${root}-link`;
    symlinkSync(root, link);
    folders.remember(link);
    const real = openConversation({ stateDir: defaultStateDir(root, { XDG_STATE_HOME: join(root, 'xdg') }), workspaceRoot: root, filePath: join(root, 'a.prompt'), memory: memoryConfig() });
    const viaLink = openConversation({ stateDir: defaultStateDir(link, { XDG_STATE_HOME: join(root, 'xdg') }), workspaceRoot: link, filePath: join(link, 'a.prompt'), memory: memoryConfig() });
    assert.equal(viaLink.recordsPath, real.recordsPath);
    await real.append({ input: 'a', output: '1' });
    assert.deepEqual(await viaLink.load(), [{ input: 'a', output: '1' }]);
  });

  // The file's real path settles the root's when it is the file's own path under the root; each of these
  // spellings has a link somewhere, so the root must still be resolved, or the file's real path used.
  test('a link anywhere on the way is resolved: the root, a folder inside it, the file itself, or the root alone', async () => {
    const root = workspace();
    const link = `${root}-link`;
    symlinkSync(root, link);
    folders.remember(link);
    mkdirSync(join(root, 'real-sub'));
    writeFileSync(join(root, 'real-sub', 'a.prompt'), 'hello');
    symlinkSync(join(root, 'real-sub'), join(root, 'linked-sub'));
    symlinkSync(join(root, 'real-sub', 'a.prompt'), join(root, 'alias.prompt'));
    const stateDir = join(root, 'state');
    const at = (workspaceRoot: string, filePath: string) => openConversation({ stateDir, workspaceRoot, filePath, memory: memoryConfig() });
    const real = at(root, join(root, 'real-sub', 'a.prompt'));
    assert.deepEqual(real.identity, { scope: 'file', file: 'real-sub/a.prompt' });
    for (const [workspaceRoot, filePath] of [
      [link, join(root, 'real-sub', 'a.prompt')],
      [root, join(link, 'real-sub', 'a.prompt')],
      [link, join(link, 'real-sub', 'a.prompt')],
      [root, join(root, 'linked-sub', 'a.prompt')],
      [link, join(link, 'linked-sub', 'a.prompt')],
      [root, join(root, 'alias.prompt')],
      [link, join(link, 'alias.prompt')],
    ]) {
      assert.deepEqual(at(workspaceRoot!, filePath!).identity, real.identity, `${workspaceRoot} ${filePath}`);
      assert.equal(at(workspaceRoot!, filePath!).recordsPath, real.recordsPath);
    }
    // A file not written yet, in a linked folder: its folder's real path, its own name.
    assert.deepEqual(at(link, join(link, 'linked-sub', 'new.prompt')).identity, { scope: 'file', file: 'real-sub/new.prompt' });
    // A file outside the root is named from the root's real path.
    assert.deepEqual(at(join(link, 'real-sub'), join(root, 'alias.prompt')).identity, { scope: 'file', file: 'a.prompt' });
  });
});
