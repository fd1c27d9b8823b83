// The memory state on disk (core/memory/state.ts, storedState.ts): it survives a reopen, the turn records
// keep their format, a kill -9 at any point leaves the old state or the new one, a state that does not
// match the stored turns or cannot be read is said once and not used, clear resets it, Retry drops the
// state that accounts for the replaced turn, and every file-system failure is the store's one line.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { MemoryState } from '../../../core/chain/types';
import { createInMemoryConversation } from '../../../core/memory/inMemory';
import { LockTimeoutError, MemoryStoreError, type OpenConversationOptions } from '../../../core/memory/store';
import { memoryConfig } from './fixtures/memoryConfig';
import { openIn, temporaryFolders } from './fixtures/workspaces';
import { summaryOf } from './fixtures/saveStates';

const saver = join(__dirname, 'fixtures', 'saveStates.ts');
const lockHolder = join(__dirname, 'fixtures', 'holdLock.ts');

const folders = temporaryFolders('state');
const workspace = () => folders.make();

function open(root: string, overrides: Partial<OpenConversationOptions> = {}) {
  return openIn(root, memoryConfig({ type: 'summary' }), { repairCommand: 'prompt-chain memory repair a.prompt', ...overrides });
}

function summaryState(turns: number, summary = `summary of ${turns}`): MemoryState {
  return { basis: { type: 'summary', model: 'gpt-4o-mini' }, turns, prunedMessages: 2 * turns, summary };
}

/** Appends the turns and saves a state after each, as the chain engine does. */
async function runTurns(conversation: ReturnType<typeof open>['conversation'], from: number, to: number): Promise<void> {
  for (let i = from; i < to; i++) {
    await conversation.withLock(async () => {
      await conversation.append({ input: `in ${i}`, output: `out ${i}` });
      await conversation.saveState(summaryState(i + 1));
    });
  }
}

describe('the durable memory state', () => {
  test('survives a reopen exactly; the turn records keep their format and nothing else is written', async () => {
    const root = workspace();
    const { conversation } = open(root);
    assert.equal(await conversation.loadState(), undefined);
    await runTurns(conversation, 0, 2);
    const state: MemoryState = { basis: { type: 'summary_buffer', maxTokenLimit: 40, summaryPrompt: '{summary}\n{new_lines}', model: 'gpt-4o-mini' }, turns: 2, prunedMessages: 3, summary: 'line\nbreak "quoted" ☕' };
    await conversation.saveState(state);
    const { conversation: reopened, warnings } = open(root);
    assert.deepEqual(await reopened.loadState(), state);
    assert.deepEqual(warnings, []);
    const lines = readFileSync(conversation.recordsPath, 'utf8').trimEnd().split('\n');
    assert.deepEqual(lines.map((line) => Object.keys(JSON.parse(line))), [['input', 'output', 'at'], ['input', 'output', 'at']]);
    const names = readdirSync(join(root, 'state', 'conversations')).sort();
    assert.deepEqual(names.map((name) => name.replace(/^a\.prompt-[0-9a-f]+/, 'ID')), ['ID.json', 'ID.jsonl', 'ID.state.json']);
    assert.doesNotMatch(readFileSync(conversation.statePath, 'utf8'), /key|http|endpoint/i);
  });

  test('clear resets the state with the turns', async () => {
    const root = workspace();
    const { conversation } = open(root);
    await runTurns(conversation, 0, 2);
    await conversation.clear();
    assert.equal(await conversation.loadState(), undefined);
    assert.ok(!existsSync(conversation.statePath));
    await runTurns(conversation, 0, 1);
    assert.deepEqual(await open(root).conversation.loadState(), summaryState(1));
  });

  test('replaceLast (Retry) drops the state that accounts for the replaced turn and goes back to the one before', async () => {
    const root = workspace();
    const { conversation, warnings } = open(root);
    await runTurns(conversation, 0, 3);
    assert.deepEqual(await conversation.loadState(2), summaryState(2), 'a Retry formats with the state before the last turn');
    await conversation.replaceLast({ input: 'in 2', output: 'out 2' }, { input: 'in 2', output: 'again' });
    assert.deepEqual(await conversation.loadState(), summaryState(2), 'the replaced turn is owed, not accounted for');
    await conversation.saveState(summaryState(3, 'retried'));
    assert.deepEqual(await open(root).conversation.loadState(), summaryState(3, 'retried'));
    assert.deepEqual(await conversation.loadState(2), summaryState(2));
    assert.deepEqual(warnings, []);
  });

  test('a refused replaceLast leaves the state alone', async () => {
    const root = workspace();
    const { conversation } = open(root);
    await runTurns(conversation, 0, 2);
    await assert.rejects(conversation.replaceLast({ input: 'in 0', output: 'out 0' }, { input: 'x', output: 'y' }), /no longer the one to replace/);
    assert.deepEqual(await conversation.loadState(), summaryState(2));
  });

  test('a damaged state is said once and not used; repair moves it aside and the next save starts afresh', async () => {
    const root = workspace();
    const { conversation, warnings } = open(root);
    await runTurns(conversation, 0, 2);
    writeFileSync(conversation.statePath, '{"version":1,"current":{"basis":');
    assert.equal(await conversation.loadState(), undefined);
    assert.equal(await conversation.loadState(), undefined);
    assert.deepEqual(warnings, [
      `the memory state ${conversation.statePath} is damaged (not JSON); not used: what the prompt sees is derived again from the 2 stored turns on the next turn (none is lost); run "prompt-chain memory repair a.prompt" to move it aside`,
    ]);
    assert.deepEqual((await conversation.inspect()).memoryState, { problem: warnings[0] });
    assert.equal(await conversation.repairState(), true);
    assert.equal(readFileSync(conversation.statePath.replace(/\.json$/, '.damaged.json'), 'utf8'), '{"version":1,"current":{"basis":');
    assert.equal(await conversation.repairState(), false);
    assert.deepEqual(await conversation.loadState(), undefined);
    await runTurns(conversation, 2, 3);
    assert.deepEqual(await conversation.loadState(), summaryState(3));
  });

  test('values of the wrong kind are damage too', async () => {
    const root = workspace();
    const { conversation, warnings } = open(root);
    await runTurns(conversation, 0, 1);
    const file = JSON.parse(readFileSync(conversation.statePath, 'utf8'));
    for (const current of [{ ...file.current, turns: -1 }, { ...file.current, prunedMessages: 3 }, { ...file.current, basis: { type: 'vector' } }, { ...file.current, summary: 7 }]) {
      writeFileSync(conversation.statePath, JSON.stringify({ ...file, current }));
      assert.equal(await conversation.loadState(), undefined, JSON.stringify(current));
    }
    assert.ok(warnings.length >= 1 && warnings.every((w) => /is damaged \(its state is malformed\)/.test(w)), warnings.join('\n'));
  });

  test('a state that claims more turns than are stored is said and not used', async () => {
    const root = workspace();
    const { conversation, warnings } = open(root);
    await runTurns(conversation, 0, 1);
    const kept = readFileSync(conversation.statePath);
    await runTurns(conversation, 1, 3);
    // The turn records rewritten by another program down to two turns, the state left as it was.
    const twoLines = readFileSync(conversation.recordsPath, 'utf8').split('\n').slice(0, 2);
    writeFileSync(conversation.recordsPath, `${twoLines.join('\n')}\n`);
    assert.deepEqual(await conversation.loadState(), summaryState(2), 'the state before it still matches');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /does not match the stored turns: it accounts for 3 turns but 2 are stored; the one saved after turn 2 is used/);
    writeFileSync(conversation.statePath, kept);
    writeFileSync(conversation.recordsPath, '');
    const fresh = open(root);
    assert.equal(await fresh.conversation.loadState(), undefined);
    assert.match(fresh.warnings[0] ?? '', /it accounts for 1 turns but 0 are stored/);
  });

  test('a state made from other turns than the stored ones is not used', async () => {
    const root = workspace();
    const { conversation, warnings } = open(root);
    await runTurns(conversation, 0, 1);
    writeFileSync(conversation.recordsPath, `${JSON.stringify({ input: 'someone else', output: 'wrote this', at: '' })}\n`);
    assert.equal(await conversation.loadState(), undefined);
    assert.match(warnings.at(-1) ?? '', /stored turn 1 is not the one it was made from/);
  });

  test('saveState holds the lock: it waits for another process that holds it', async () => {
    const root = workspace();
    const state = join(root, 'state');
    const { conversation } = open(root, { stateDir: state, workspaceRoot: state, filePath: join(state, 'a.prompt'), lockTimeoutMs: 200 });
    const holder = spawn(process.execPath, ['--import', 'tsx', lockHolder, state], { stdio: ['pipe', 'pipe', 'inherit'] });
    const exited = once(holder, 'exit');
    const lines = createInterface({ input: holder.stdout! })[Symbol.asyncIterator]();
    assert.equal((await lines.next()).value, 'held');
    assert.equal((await lines.next()).value, 'appended');
    await assert.rejects(conversation.saveState(summaryState(1)), LockTimeoutError);
    holder.stdin!.end('release\n');
    await exited;
    await conversation.saveState(summaryState(1));
    assert.deepEqual(await conversation.loadState(), summaryState(1));
  });

  test('a state for turns that are not stored is refused as a bug, and nothing is written', async () => {
    const root = workspace();
    const { conversation } = open(root);
    await assert.rejects(conversation.saveState(summaryState(1)), /refusing to save a memory state that does not match the stored turns/);
    assert.ok(!existsSync(conversation.statePath));
  });

  test('a process killed (kill -9) while saving states leaves the old state or the new one, never a torn one', { timeout: 120_000 }, async () => {
    const root = workspace();
    const state = join(root, 'state');
    const child = spawn(process.execPath, ['--import', 'tsx', saver, state], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = once(child, 'exit');
    for await (const line of createInterface({ input: child.stdout! })) if (Number(line) >= 12) break;
    child.kill('SIGKILL');
    await exited;

    const { conversation, warnings } = open(root, { stateDir: state, workspaceRoot: state, filePath: join(state, 'a.prompt') });
    const turns = await conversation.load();
    const loaded = await conversation.loadState();
    assert.ok(loaded, 'a state is there');
    // Killed between the turn's append and its state's rename: the state owes that one turn.
    assert.ok(loaded.turns === turns.length || loaded.turns === turns.length - 1, `${loaded.turns} of ${turns.length}`);
    assert.equal(loaded.summary, summaryOf(loaded.turns));
    assert.deepEqual(warnings.filter((w) => !/incomplete last record/.test(w)), []);
    // The next save catches up and replaces whatever temporary file the kill left.
    await conversation.withLock(async () => conversation.saveState({ ...loaded, turns: turns.length, summary: 'caught up' }));
    assert.equal((await open(root, { stateDir: state, workspaceRoot: state, filePath: join(state, 'a.prompt') }).conversation.loadState())?.summary, 'caught up');
    assert.ok(!existsSync(`${conversation.statePath}.tmp`));
  });

  test('the in-memory conversation keeps the same rules', async () => {
    const conversation = createInMemoryConversation();
    await conversation.append({ input: 'a', output: '1' });
    await conversation.saveState(summaryState(1));
    await conversation.append({ input: 'b', output: '2' });
    await conversation.saveState(summaryState(2));
    assert.deepEqual(await conversation.loadState(1), summaryState(1));
    await conversation.replaceLast({ input: 'b', output: '2' }, { input: 'b', output: '3' });
    assert.deepEqual(await conversation.loadState(), summaryState(1));
    await conversation.clear();
    assert.equal(await conversation.loadState(), undefined);
  });
});

describe('file-system faults of the state are the store\'s one-line message', () => {
  test('ENOSPC while writing the state: the save fails naming the folder; the old state stays', async () => {
    const root = workspace();
    const { conversation } = open(root);
    await runTurns(conversation, 0, 1);
    await conversation.append({ input: 'in 1', output: 'out 1' });
    symlinkSync('/dev/full', `${conversation.statePath}.tmp`);
    await assert.rejects(conversation.saveState(summaryState(2)), (error: Error) => {
      assert.ok(error instanceof MemoryStoreError);
      assert.equal(error.kind, 'memory');
      assert.equal(error.code, 'ENOSPC');
      assert.equal(error.message, `cannot save the memory state: ${join(root, 'state', 'conversations')} is on a full disk (ENOSPC): free some space on its disk or set XDG_STATE_HOME (or the CLI's --memory-dir) to a writable folder`);
      return true;
    });
    assert.deepEqual(await conversation.loadState(), summaryState(1));
  });

  test('a folder where the state file should be: reading and clearing fail with the store message', async () => {
    const root = workspace();
    const { conversation } = open(root);
    await runTurns(conversation, 0, 1);
    rmSync(conversation.statePath);
    mkdirSync(conversation.statePath);
    await assert.rejects(conversation.loadState(), /^MemoryStoreError: cannot read the memory state: .*conversations has a folder where a file should be \(EISDIR\)/);
    await assert.rejects(conversation.clear(), (error: Error) => error instanceof MemoryStoreError && /cannot clear the memory state/.test(error.message));
  });

  test('EROFS, through a real read-only bind mount: saving the state fails at the lock; loading it works', async (t) => {
    const root = workspace();
    const { conversation } = open(root);
    await runTurns(conversation, 0, 1);
    appendFileSync(conversation.recordsPath, '');
    const folder = join(root, 'state', 'conversations');
    const mounted = spawnSync('mount', ['--bind', folder, folder]);
    if (mounted.status !== 0) return t.skip(`mount is not permitted here: ${mounted.stderr}`);
    try {
      assert.equal(spawnSync('mount', ['-o', 'remount,bind,ro', folder, folder]).status, 0);
      await assert.rejects(conversation.saveState(summaryState(1)), (error: Error) => error instanceof MemoryStoreError && error.code === 'EROFS');
      assert.deepEqual(await conversation.loadState(), summaryState(1));
    } finally {
      spawnSync('umount', [folder]);
    }
  });
});
