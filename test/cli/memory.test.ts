import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useFakeOpenAI } from '../support/useFakeOpenAI';
import { completionExample } from '../support/examples';
import { appendFileSync, chmodSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createWorkspace, useCliWorkspaces, type Workspace } from './support/cli';

useCliWorkspaces();
const { fake } = useFakeOpenAI();

function workspace() {
  const ws = createWorkspace({ 'chat.prompt': completionExample });
  const turn = (input: string, reply: string) => {
    fake.enqueue({ reply });
    return ws.run(['run', 'chat.prompt', '--input', input], { OPENAI_BASE_URL: fake.baseURL });
  };
  return { ws, turn };
}

describe('prompt-chain memory', () => {
  test('show prints the stored turns as the model sees them, with the file\'s prefixes', async () => {
    const { ws, turn } = workspace();
    assert.deepEqual(await ws.run(['memory', 'show', 'chat.prompt']), { code: 0, stdout: 'no stored turns\n', stderr: '' });
    await turn('Hi there my friend', ' Hi there! How can I help you today?');
    await turn('line one\nline two', 'ok');
    const shown = await ws.run(['memory', 'show', 'chat.prompt']);
    assert.equal(shown.code, 0);
    assert.equal(shown.stdout, 'Human: Hi there my friend\nAI:  Hi there! How can I help you today?\nHuman: line one\nline two\nAI: ok\n');
    assert.match(shown.stderr, /^2 turns stored in .*\.jsonl\n$/);

    ws.write('prefixed.prompt', '---\nmemory:\n  human_prefix: Me\n  ai_prefix: Bot\n---\n{history}\nMe: {input}\nBot:');
    fake.enqueue({ reply: 'hello' });
    await ws.run(['run', 'prefixed.prompt', '--input', 'hi'], { OPENAI_BASE_URL: fake.baseURL });
    assert.equal((await ws.run(['memory', 'show', 'prefixed.prompt'])).stdout, 'Me: hi\nBot: hello\n');
  });

  test('clear deletes the turns; the next run starts a new conversation', async () => {
    const { ws, turn } = workspace();
    await turn('one', '1');
    await turn('two', '2');
    assert.deepEqual(await ws.run(['memory', 'clear', 'chat.prompt']), { code: 0, stdout: 'cleared 2 stored turns\n', stderr: '' });
    assert.equal((await ws.run(['memory', 'show', 'chat.prompt'])).stdout, 'no stored turns\n');
    assert.equal((await ws.run(['memory', 'clear', 'chat.prompt'])).stdout, 'no stored turns to clear\n');
    await turn('three', '3');
    assert.equal(fake.requests.at(-1)!.body.prompt, 'You are a chatbot having a conversation with a human.\n\n\nHuman: three\nChatbot:');
  });

  test('a file with memory: false has no stored turns', async () => {
    const { ws } = workspace();
    ws.write('stateless.prompt', '---\nmemory: false\n---\n{input}');
    assert.equal((await ws.run(['memory', 'show', 'stateless.prompt'])).stdout, 'no stored turns (stateless.prompt has memory: false)\n');
  });

  test('bad arguments and files', async () => {
    const { ws } = workspace();
    for (const args of [['memory'], ['memory', 'list', 'chat.prompt'], ['memory', 'show'], ['memory', 'show', 'a', 'b'], ['memory', 'clear', 'chat.prompt', '--json'], ['memory', 'repair', 'chat.prompt', '--all']]) {
      const result = await ws.run(args);
      assert.equal(result.code, 2, args.join(' '));
      assert.match(result.stderr, /^prompt-chain: [^\n]+\n$/);
    }
    assert.deepEqual(await ws.run(['memory', 'show', 'missing.prompt']), { code: 1, stdout: '', stderr: 'missing.prompt: no such file or folder\n' });
    const noWorkspace = await ws.run(['memory', 'show', 'chat.prompt', '--workspace', 'nowhere']);
    assert.equal(noWorkspace.code, 1);
    assert.match(noWorkspace.stderr, /^--workspace .*nowhere: no such folder\n$/);
  });
});

describe('prompt-chain memory repair', () => {
  test('with --memory-dir, the repair command it suggests names that folder, shell-quoted, and runs as written', async () => {
    const { ws } = workspace();
    const folder = ["--memory-dir", "my state's"];
    fake.enqueue({ reply: '1' });
    await ws.run(['run', 'chat.prompt', '--input', 'one', ...folder], { OPENAI_BASE_URL: fake.baseURL });
    const records = readdirSync(join(ws.root, "my state's", 'conversations')).find((name) => name.endsWith('.jsonl'));
    appendFileSync(join(ws.root, "my state's", 'conversations', records!), 'not a record\n');
    const shown = await ws.run(['memory', 'show', 'chat.prompt', ...folder]);
    const suggested = /run "(prompt-chain memory repair [^"]*)"/.exec(shown.stderr)?.[1];
    assert.equal(suggested, "prompt-chain memory repair chat.prompt --memory-dir 'my state'\\''s'");
    const repaired = await ws.run(['memory', 'repair', 'chat.prompt', ...folder]);
    assert.equal(repaired.code, 0);
    assert.match(repaired.stdout, /moved 1 damaged record \(line 2\)/);
  });

  test('show lists damaged records; repair moves them to the side file, reports them, and show lists the side file', async () => {
    const { ws, turn } = workspace();
    await turn('one', '1');
    const records = conversationFile(ws);
    appendFileSync(records, 'not a record\n');
    await turn('two', '2');
    const damagedPath = records.replace(/\.jsonl$/, '.damaged.jsonl');

    const shown = await ws.run(['memory', 'show', 'chat.prompt']);
    assert.equal(shown.stdout, 'Human: one\nAI: 1\nHuman: two\nAI: 2\n');
    assert.ok(
      shown.stderr.includes(`1 damaged record skipped (line 2 of ${records}); run "prompt-chain memory repair chat.prompt" to move them to ${damagedPath}\n`),
      shown.stderr,
    );

    const run = await turn('three', '3');
    assert.equal(run.code, 0);
    assert.equal(run.stderr.match(/damaged record/g)?.length, 1, `warned once per run: ${run.stderr}`);
    assert.match(run.stderr, /memory repair .*chat\.prompt/);

    assert.deepEqual(await ws.run(['memory', 'repair', 'chat.prompt']), {
      code: 0,
      stdout: `moved 1 damaged record (line 2) from ${records} to ${damagedPath}\n`,
      stderr: '',
    });
    assert.ok(readFileSync(damagedPath, 'utf8').includes('"text":"not a record"'));
    const after = await ws.run(['memory', 'show', 'chat.prompt']);
    assert.equal(after.stdout, 'Human: one\nAI: 1\nHuman: two\nAI: 2\nHuman: three\nAI: 3\n');
    assert.match(after.stderr, new RegExp(`^3 turns stored in .*\\n1 damaged record moved aside earlier, in ${escape(damagedPath)}:\\n  line 2 \\(moved [^)]+\\): not a record\\n$`));
    assert.deepEqual(await ws.run(['memory', 'repair', 'chat.prompt']), { code: 0, stdout: `no damaged records in ${records}\n`, stderr: '' });
    assert.doesNotMatch((await turn('four', '4')).stderr, /damaged/);
  });
});

describe('a memory folder the CLI cannot use', () => {
  const nobody = { uid: 65534, gid: 65534 };

  /** A workspace user `nobody` can read, whose memory folder (owned by root) it cannot write. */
  async function unwritableMemory() {
    const { ws, turn } = workspace();
    await turn('one', '1');
    chmodSync(dirname(ws.root), 0o755);
    chmodSync(ws.stateHome, 0o755);
    const records = conversationFile(ws);
    for (let folder = dirname(records); folder !== ws.stateHome; folder = dirname(folder)) chmodSync(folder, 0o755);
    return { ws, records };
  }

  test('not writable (EACCES): run fails with the store message and exit 1, memory untouched, the model never called', async () => {
    const { ws, records } = await unwritableMemory();
    const before = readFileSync(records, 'utf8');
    const requests = fake.requests.length;
    const result = await ws.run(['run', 'chat.prompt', '--input', 'two'], { OPENAI_BASE_URL: fake.baseURL }, nobody);
    assert.deepEqual(result, {
      code: 1,
      stdout: '',
      stderr: `cannot lock the conversation: ${dirname(records)} is not accessible to this user (permission denied) (EACCES): give this user read and write access to the folder or set --memory-dir to a writable folder\n`,
    });
    assert.equal(fake.requests.length, requests);
    assert.equal(readFileSync(records, 'utf8'), before);
    const cleared = await ws.run(['memory', 'clear', 'chat.prompt'], {}, nobody);
    assert.equal(cleared.code, 1);
    assert.match(cleared.stderr, /^cannot lock the conversation: .* \(EACCES\): [^\n]+\n$/);
  });

  test('not readable (EACCES): show fails with the store message', async () => {
    const { ws, records } = await unwritableMemory();
    chmodSync(records, 0o600);
    const result = await ws.run(['memory', 'show', 'chat.prompt'], {}, nobody);
    assert.equal(result.code, 1);
    assert.equal(result.stderr, `cannot read the conversation: ${dirname(records)} is not accessible to this user (permission denied) (EACCES): give this user read and write access to the folder or set --memory-dir to a writable folder\n`);
    assert.doesNotMatch(result.stderr, /internal error/);
  });

  test('a memory folder that cannot be created (EACCES) names it', async () => {
    const { ws } = await unwritableMemory();
    const result = await ws.run(['run', 'chat.prompt', '--input', 'x', '--memory-dir', join(ws.stateHome, 'new')], { OPENAI_BASE_URL: fake.baseURL }, nobody);
    assert.equal(result.code, 1);
    assert.match(result.stderr, new RegExp(`^cannot create the memory folder: ${escape(join(ws.stateHome, 'new', 'conversations'))} is not accessible to this user .*\\(EACCES\\)`));
  });

  test('full (ENOSPC, the conversation is /dev/full): the reply is shown, saving it fails with the store message', async () => {
    const { ws, turn } = workspace();
    await turn('one', '1');
    const records = conversationFile(ws);
    rmSync(records);
    symlinkSync('/dev/full', records);
    fake.enqueue({ reply: 'lost' });
    const result = await ws.run(['run', 'chat.prompt', '--input', 'two'], { OPENAI_BASE_URL: fake.baseURL });
    assert.equal(result.code, 1);
    assert.equal(result.stderr.split('\n').filter(Boolean).at(-1), `cannot save the turn: ${dirname(records)} is on a full disk (ENOSPC): free some space on its disk or set --memory-dir to a writable folder`);
    assert.doesNotMatch(result.stderr, /internal error/);
  });
});

describe('--workspace through a symbolic link', () => {
  test('sees the same conversation as the real path', async () => {
    const { ws, turn } = workspace();
    await turn('one', '1');
    const link = `${ws.root}-link`;
    symlinkSync(ws.root, link);
    const viaLink = await ws.run(['memory', 'show', 'chat.prompt', '--workspace', link]);
    assert.equal(viaLink.stdout, 'Human: one\nAI: 1\n');
    const inside = await ws.run(['memory', 'show', join(link, 'chat.prompt'), '--workspace', link]);
    assert.equal(inside.stdout, 'Human: one\nAI: 1\n');
  });
});

/** The one conversation file of the workspace's default memory folder. */
function conversationFile(ws: Workspace): string {
  const [hash] = readdirSync(join(ws.stateHome, 'prompt-chain'));
  const folder = join(ws.stateHome, 'prompt-chain', hash!, 'conversations');
  const [file] = readdirSync(folder).filter((name) => name.endsWith('.jsonl') && !name.endsWith('.damaged.jsonl'));
  return join(folder, file!);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
