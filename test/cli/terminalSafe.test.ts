// Text from outside (a reply, a stored turn, a shared .prompt, a server's error, a file name) cannot drive
// the terminal: every output shows its control characters escaped, while memory and the prompt sent to
// the model keep the exact text.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { useFakeOpenAI } from '../support/useFakeOpenAI';
import { completionExample } from '../support/examples';
import { main } from '../../cli/src/main';
import type { ProcessIo } from '../../cli/src/output';
import { createWorkspace, useCliWorkspaces, type Workspace } from './support/cli';

useCliWorkspaces();
const { fake } = useFakeOpenAI();

/** What a terminal acts on: C0 but tab and newline, DEL, C1, and the bidi embedding/override/isolate controls. */
const TERMINAL_CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

/** Sets the window title, erases the line, returns the cursor, a NUL, a C1 CSI and a right-to-left override. */
const hostileReply = 'Sure\x1b]0;owned\x07\x1b[2K\rOK\x00 \x9b31mdone\u202e!';
/** Streamed with each escape sequence cut between two chunks. */
const hostileChunks = ['Sure\x1b', ']0;owned\x07\x1b[', '2K\rOK\x00 \x9b', '31mdone\u202e!'];
const hostileShown = 'Sure\\x1b]0;owned\\x07\\x1b[2K\\x0dOK\\x00 \\x9b31mdone\\u202e!';

const system = 'You are a chatbot having a conversation with a human.';
const turn2Prompt = (reply: string, input: string) => `${system}\n\nHuman: hi\nAI: ${reply}\nHuman: ${input}\nChatbot:`;
const hostileInput = 'again\x1b[2J';
const hostileInputShown = 'again\\x1b[2J';

function assertNoTerminalControls(text: string, what: string): void {
  const found = TERMINAL_CONTROLS.exec(text);
  assert.equal(found, null, `${what} holds U+${found?.[0].charCodeAt(0).toString(16).padStart(4, '0')}: ${JSON.stringify(text)}`);
}

function run(ws: Workspace, input: string, ...flags: string[]) {
  return ws.run(['run', 'chat.prompt', '--input', input, ...flags], { OPENAI_BASE_URL: fake.baseURL });
}

/** A workspace whose conversation holds one turn: "hi", answered by the hostile reply (its run's output returned). */
async function withHostileTurn() {
  const ws = createWorkspace({ 'chat.prompt': completionExample });
  fake.enqueue({ reply: hostileReply, chunks: hostileChunks });
  const turn = await run(ws, 'hi');
  return { ws, turn };
}

/** The records of the file's conversation, parsed from the JSONL the store wrote (its path from `memory show`). */
async function storedRecords(ws: Workspace): Promise<{ input: string; output: string }[]> {
  const shown = await ws.run(['memory', 'show', 'chat.prompt']);
  const recordsPath = /stored in (.*\.jsonl)\n$/.exec(shown.stderr)?.[1];
  assert.ok(recordsPath, shown.stderr);
  return readFileSync(recordsPath, 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as { input: string; output: string });
}

describe('a reply with control characters', () => {
  test('streams escaped, chunk by chunk, and is stored byte for byte', async () => {
    const { ws, turn } = await withHostileTurn();
    assert.deepEqual(turn, { code: 0, stdout: `${hostileShown}\n`, stderr: '' });
    const [record, ...others] = await storedRecords(ws);
    assert.deepEqual(others, []);
    assert.equal(record?.input, 'hi');
    assert.equal(record?.output, hostileReply);
  });

  test('memory show prints the stored turns escaped', async () => {
    const { ws } = await withHostileTurn();
    const shown = await ws.run(['memory', 'show', 'chat.prompt']);
    assert.equal(shown.code, 0);
    assert.equal(shown.stdout, `Human: hi\nAI: ${hostileShown}\n`);
  });

  test('the next turn sends the exact text to the model, while --dry-run and --verbose show it escaped', async () => {
    const { ws } = await withHostileTurn();
    const exactPrompt = turn2Prompt(hostileReply, hostileInput);
    const shownPrompt = turn2Prompt(hostileShown, hostileInputShown);
    const dry = await run(ws, hostileInput, '--dry-run');
    assert.deepEqual(dry, { code: 0, stdout: `${shownPrompt}\n`, stderr: '' });

    fake.enqueue({ reply: 'fine' });
    const verbose = await run(ws, hostileInput, '--verbose');
    assert.equal(fake.requests.at(-1)!.body.prompt, exactPrompt);
    assert.deepEqual(verbose, {
      code: 0,
      stdout: 'fine\n',
      // After LangChain's trace, where the turn ran.
      stderr: `\n\n> Entering new LLMChain chain...\nPrompt after formatting:\n${shownPrompt}\n\n> Finished chain.\nmodel: gpt-3.5-turbo-instruct at ${fake.baseURL}\n`,
    });
    assert.deepEqual((await storedRecords(ws)).map((r) => r.input), ['hi', hostileInput]);
  });

  test('--verbose on a colour terminal keeps its own colour codes around the escaped prompt', async () => {
    const { ws } = await withHostileTurn();
    const streams = { stdout: '', stderr: '' };
    const io: ProcessIo = {
      out: (text) => void (streams.stdout += text),
      err: (text) => void (streams.stderr += text),
      env: { OPENAI_BASE_URL: fake.baseURL, XDG_STATE_HOME: ws.stateHome },
      cwd: ws.root,
      stderrIsTTY: true,
      signal: new AbortController().signal,
    };
    fake.enqueue({ reply: hostileReply, chunks: hostileChunks });
    // main() reads FILE against the process's folder, not io.cwd: an absolute path.
    const code = await main(['run', path.join(ws.root, 'chat.prompt'), '--input', hostileInput, '--verbose'], io);
    assert.equal(code, 0, streams.stderr);
    assert.equal(streams.stdout, `${hostileShown}\n`);
    assert.equal(
      streams.stderr,
      '\n\n\x1b[1m> Entering new LLMChain chain...\x1b[0m\nPrompt after formatting:\n\x1b[32;1m\x1b[1;3m' +
        turn2Prompt(hostileShown, hostileInputShown) +
        `\x1b[0m\n\n\x1b[1m> Finished chain.\x1b[0m\nmodel: gpt-3.5-turbo-instruct at ${fake.baseURL}\n`,
    );
  });

  test('--json escapes C1 and bidi controls too, and parses back to the exact text', async () => {
    const { ws } = await withHostileTurn();
    fake.enqueue({ reply: hostileReply, chunks: hostileChunks });
    const turn = await run(ws, hostileInput, '--json');
    assert.equal(turn.code, 0, turn.stderr);
    assertNoTerminalControls(turn.stdout, 'run --json');
    const parsed = JSON.parse(turn.stdout) as { prompt: string; reply: string };
    assert.equal(parsed.reply, hostileReply);
    assert.equal(parsed.prompt, turn2Prompt(hostileReply, hostileInput));
    const dry = await run(ws, hostileInput, '--dry-run', '--json');
    assertNoTerminalControls(dry.stdout, 'run --dry-run --json');
    assert.equal((JSON.parse(dry.stdout) as { prompt: string }).prompt.includes(hostileReply), true);
    assert.deepEqual((await storedRecords(ws)).map((r) => r.output), [hostileReply, hostileReply]);
  });
});

describe('a shared .prompt file with control characters', () => {
  // ASCII only: erase the line, go to its start, print a green "all valid", set the title, hide the rest.
  const spoof = '\x1b[2K\x1b[1G\x1b[A\x1b[32mOK, all prompts valid\x1b[0m\x1b]0;all good\x07\x1b[8m';
  const spoofShown = '\\x1b[2K\\x1b[1G\\x1b[A\\x1b[32mOK, all prompts valid\\x1b[0m\\x1b]0;all good\\x07\\x1b[8m';
  const file = 'shared\x1b[2K.prompt';
  const fileShown = 'shared\\x1b[2K.prompt';
  const content = `---\nmemory: false\nmodle${spoof}: x\n---\nHi {input}\n`;

  test('check shows the file name and the quoted text escaped, so every problem stays visible', async () => {
    const ws = createWorkspace({ [file]: content });
    const result = await ws.run(['check', file]);
    assert.equal(result.code, 1);
    assertNoTerminalControls(result.stdout + result.stderr, 'check');
    assert.ok(result.stdout.startsWith(`${fileShown}:3:1 error unknown-key Unknown key “modle${spoofShown}”:`), result.stdout);
    assert.equal(result.stdout.split('\n').length, 2, result.stdout);
    assert.equal(result.stderr, '1 file checked: 1 error, 0 warnings\n');
  });

  test('check --json carries the exact text, C1 and bidi controls included', async () => {
    const ws = createWorkspace({ [file]: `${content}{x.y\u009b\u202e}\n` });
    const result = await ws.run(['check', '--json', file]);
    assertNoTerminalControls(result.stdout, 'check --json');
    const diagnostics = JSON.parse(result.stdout) as { file: string; message: string }[];
    assert.deepEqual(
      diagnostics.map((d) => [d.file, d.message.includes(`modle${spoof}`) || d.message.includes('{x.y\u009b\u202e}')]),
      [[file, true], [file, true]],
    );
  });

  test('run refuses it with the same escaped lines, and an unreadable path is named escaped', async () => {
    const ws = createWorkspace({ [file]: content });
    const refused = await ws.run(['run', file, '--input', 'hi']);
    assert.equal(refused.code, 1);
    assertNoTerminalControls(refused.stderr, 'run');
    assert.match(refused.stderr, /^shared\\x1b\[2K\.prompt:3:1 error unknown-key .*\nshared\\x1b\[2K\.prompt: 1 error; fix it before running\n$/);
    const missing = await ws.run(['check', 'gone\x1b]0;t\x07.prompt']);
    assert.deepEqual(missing, { code: 1, stdout: '', stderr: 'gone\\x1b]0;t\\x07.prompt: no such file or folder\n' });
  });
});

describe('a server error with control characters', () => {
  test('is quoted escaped on its one line', async () => {
    const ws = createWorkspace({ 'chat.prompt': completionExample });
    const message = 'Invalid\x1b]0;owned\x07 \x9bvalue\x1b[2KOK\x00';
    fake.enqueue({ fault: 'status', status: 400, body: { error: { message, type: 'invalid_request_error', param: null, code: null } } });
    const failed = await run(ws, 'hi');
    assert.equal(failed.code, 1);
    assertNoTerminalControls(failed.stderr, 'the error line');
    assert.ok(failed.stderr.includes('Invalid\\x1b]0;owned\\x07 \\x9bvalue\\x1b[2KOK\\x00'), failed.stderr);
    assert.equal(failed.stderr.split('\n').length, 2, failed.stderr);
  });
});
