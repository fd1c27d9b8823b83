// Replacing a conversation's last turn on disk (Retry, Edit and resend): the file keeps its format, one
// record per line, with only the last line new; every other line (damaged ones too) is kept byte for
// byte; a turn that is not the last one, or a file that does not end in it, is refused and nothing
// changes; a process killed while replacing leaves the old file or the new one, never a mix.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { memoryValue } from '../../../core/chain/memory';
import { createInMemoryConversation } from '../../../core/memory/inMemory';
import { LastTurnChangedError, type OpenConversationOptions } from '../../../core/memory/store';
import { memoryConfig } from './fixtures/memoryConfig';
import { openIn, temporaryFolders } from './fixtures/workspaces';

const replacer = join(__dirname, 'fixtures', 'replaceTurns.ts');

const folders = temporaryFolders('replace');
const workspace = () => folders.make();

function open(root: string, overrides: Partial<OpenConversationOptions> = {}) {
  return openIn(root, memoryConfig(), overrides);
}

const lines = (bytes: Buffer) => {
  const all: Buffer[] = [];
  for (let start = 0, end = bytes.indexOf(0x0a); end !== -1; start = end + 1, end = bytes.indexOf(0x0a, start)) all.push(bytes.subarray(start, end));
  return all;
};

describe('replaceLast on the durable store', () => {
  test('only the last line is new: as many records, every other line byte for byte (damaged and non-UTF-8 ones too)', async () => {
    const root = workspace();
    const { conversation } = open(root);
    await conversation.append({ input: 'one', output: '1' });
    appendFileSync(conversation.recordsPath, 'not json\n');
    appendFileSync(conversation.recordsPath, Buffer.from([0xff, 0xfe, 0x0a]));
    await conversation.append({ input: 'two', output: '2' });
    const before = lines(readFileSync(conversation.recordsPath));

    await conversation.replaceLast({ input: 'two', output: '2' }, { input: 'two, edited', output: '2 again\nwith a line break' });
    const after = lines(readFileSync(conversation.recordsPath));
    assert.equal(after.length, before.length);
    after.slice(0, -1).forEach((line, i) => assert.ok(line.equals(before[i]!), `line ${i + 1} kept`));
    const record = JSON.parse(after.at(-1)!.toString('utf8')) as Record<string, string>;
    assert.deepEqual(Object.keys(record), ['input', 'output', 'at'], 'the same record format as an append');
    assert.deepEqual([record.input, record.output], ['two, edited', '2 again\nwith a line break']);

    const { conversation: reader } = open(root);
    assert.deepEqual(await reader.load(), [{ input: 'one', output: '1' }, { input: 'two, edited', output: '2 again\nwith a line break' }]);
    assert.deepEqual((await reader.inspect()).damagedLines, [2, 3]);
  });

  test('an open conversation hands back a new array after a replace; memory rendered from it shows the new turn', async () => {
    const root = workspace();
    const { conversation } = open(root);
    const { conversation: other } = open(root);
    await conversation.append({ input: 'one', output: '1' });
    await conversation.append({ input: 'two', output: '2' });
    const memory = memoryConfig();
    const loaded = await conversation.load();
    const seenByOther = await other.load();
    assert.equal(memoryValue(loaded, memory), 'Human: one\nAI: 1\nHuman: two\nAI: 2');

    await conversation.replaceLast({ input: 'two', output: '2' }, { input: 'two', output: 'two' });
    assert.deepEqual(loaded.at(-1), { input: 'two', output: '2' }, 'the array handed out before is not changed under its holder');
    for (const reloaded of [await conversation.load(), await other.load()]) {
      assert.notEqual(reloaded, loaded);
      assert.notEqual(reloaded, seenByOther);
      assert.equal(memoryValue(reloaded, memory), 'Human: one\nAI: 1\nHuman: two\nAI: two');
    }
    await other.append({ input: 'three', output: '3' });
    assert.equal(memoryValue(await conversation.load(), memory), 'Human: one\nAI: 1\nHuman: two\nAI: two\nHuman: three\nAI: 3');
  });

  test('a turn that is not the last one is refused and the file is unchanged', async () => {
    const root = workspace();
    const { conversation } = open(root);
    await conversation.append({ input: 'one', output: '1' });
    await conversation.append({ input: 'two', output: '2' });
    const before = readFileSync(conversation.recordsPath);
    for (const expected of [{ input: 'one', output: '1' }, { input: 'two', output: '2 ' }, { input: 'tw', output: '2' }]) {
      await assert.rejects(conversation.replaceLast(expected, { input: 'x', output: 'y' }), (error: Error) => {
        assert.ok(error instanceof LastTurnChangedError);
        assert.match(error.message, /no longer the one to replace .*nothing was saved/);
        return true;
      });
    }
    assert.deepEqual(readFileSync(conversation.recordsPath), before);
  });

  test('an empty or cleared conversation has no last turn to replace', async () => {
    const root = workspace();
    const { conversation } = open(root);
    await assert.rejects(conversation.replaceLast({ input: 'a', output: 'b' }, { input: 'a', output: 'c' }), LastTurnChangedError);
    await conversation.append({ input: 'a', output: 'b' });
    await conversation.clear();
    await assert.rejects(conversation.replaceLast({ input: 'a', output: 'b' }, { input: 'a', output: 'c' }), LastTurnChangedError);
    assert.deepEqual(await conversation.load(), []);
  });

  test('a file ending in a torn record or a damaged line is refused, saying what to do; the file is unchanged', async () => {
    const root = workspace();
    const { conversation } = open(root);
    await conversation.append({ input: 'one', output: '1' });
    appendFileSync(conversation.recordsPath, '{"input":"tw');
    let before = readFileSync(conversation.recordsPath);
    await assert.rejects(conversation.replaceLast({ input: 'one', output: '1' }, { input: 'x', output: 'y' }), (error: Error) => {
      assert.ok(error instanceof LastTurnChangedError);
      assert.match(error.message, /ends in an incomplete record .*send the turn as a new one/);
      return true;
    });
    assert.deepEqual(readFileSync(conversation.recordsPath), before);

    appendFileSync(conversation.recordsPath, 'o"\n');
    before = readFileSync(conversation.recordsPath);
    await assert.rejects(conversation.replaceLast({ input: 'one', output: '1' }, { input: 'x', output: 'y' }), (error: Error) => {
      assert.ok(error instanceof LastTurnChangedError);
      assert.ok(error.message.includes(`run "prompt-chain memory repair ${join(root, 'a.prompt')}" to move it aside`), error.message);
      return true;
    });
    assert.deepEqual(readFileSync(conversation.recordsPath), before);
  });

  test('a process killed while replacing in a loop leaves the old or the new file: every turn whole, as many as before', async () => {
    const root = workspace();
    const state = join(root, 'state');
    const options = { stateDir: state, workspaceRoot: state, filePath: join(state, 'a.prompt'), lockTimeoutMs: 5000 };
    const { conversation: seed } = open(root, options);
    await seed.append({ input: 'first', output: 'kept' });
    await seed.append({ input: 'second', output: 'replaced over and over' });

    const child = spawn(process.execPath, ['--import', 'tsx', replacer, state], { stdio: ['ignore', 'pipe', 'inherit'] });
    let saved = -1;
    for await (const line of createInterface({ input: child.stdout! })) if ((saved = Number(line)) >= 30) break;
    child.kill('SIGKILL');
    await once(child, 'exit');

    const { conversation, warnings } = open(root, options);
    const turns = await conversation.load();
    assert.deepEqual(warnings, []);
    assert.equal(turns.length, 2);
    assert.deepEqual(turns[0], { input: 'first', output: 'kept' });
    assert.equal(turns[1]!.input, 'replaced');
    assert.ok(Number(turns[1]!.output) >= saved, `the last saved replacement (${saved}) or a later one, got ${turns[1]!.output}`);
    await conversation.replaceLast(turns[1]!, { input: 'after the crash', output: 'ok' });
    assert.deepEqual((await conversation.load()).at(-1), { input: 'after the crash', output: 'ok' });
  });
});

describe('replaceLast on the in-process conversation', () => {
  test('the same contract: the last turn replaced in a new array, a mismatch refused and nothing changed', async () => {
    const conversation = createInMemoryConversation([{ input: 'one', output: '1' }, { input: 'two', output: '2' }]);
    const loaded = await conversation.load();
    await assert.rejects(conversation.replaceLast({ input: 'one', output: '1' }, { input: 'x', output: 'y' }), LastTurnChangedError);
    assert.equal(await conversation.load(), loaded, 'a refused replace changes nothing');
    await conversation.replaceLast({ input: 'two', output: '2' }, { input: 'two', output: 'two' });
    const reloaded = await conversation.load();
    assert.notEqual(reloaded, loaded);
    assert.deepEqual(loaded, [{ input: 'one', output: '1' }, { input: 'two', output: '2' }]);
    assert.deepEqual(reloaded, [{ input: 'one', output: '1' }, { input: 'two', output: 'two' }]);
    assert.equal(memoryValue(reloaded, memoryConfig()), 'Human: one\nAI: 1\nHuman: two\nAI: two');
  });
});
