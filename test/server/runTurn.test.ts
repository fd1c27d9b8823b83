// promptChain.runTurn / showMemory / clearMemory through the real server, against the local
// OpenAI-compatible test server: the reply streams as notifications (prompt first), turns are stored so
// the second prompt holds the first, and a cancelled turn aborts the model call and stores nothing.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { CodeLens } from 'vscode-languageserver/node';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fakeOpenAI';
import type { RunTurnResult, ShowMemoryResult, TurnProgress } from '../../server/src/protocol';
import { CancellationTokenSource, ensureServerBuilt, fileUri, LspClient, hangGuardMs } from './lspClient';
import { completionExample } from './prompts';

const turn1Prompt = 'You are a chatbot having a conversation with a human.\n\n\nHuman: Hi there my friend\nChatbot:';
const turn1Reply = ' Hi there! How can I help you today?';
const turn2Prompt =
  'You are a chatbot having a conversation with a human.\n\nHuman: Hi there my friend\nAI:  Hi there! How can I help you today?\nHuman: Not too bad - how are you?\nChatbot:';

interface ResponseErrorShape {
  code: number;
  message: string;
  data?: { kind?: string; reason?: string };
}

describe('promptChain.runTurn over LSP', { timeout: hangGuardMs }, () => {
  let fake: FakeOpenAI;
  let client: LspClient;
  let workspace: string;
  let uri: string;

  before(async () => {
    ensureServerBuilt();
    workspace = mkdtempSync(path.join(tmpdir(), 'prompt-chain-lsp-'));
    const promptFile = path.join(workspace, 'chatbot.prompt');
    writeFileSync(promptFile, completionExample);
    uri = fileUri(promptFile);
    fake = await startFakeOpenAI();
    client = await LspClient.start({
      pull: true,
      workspaceFolder: workspace,
      env: { OPENAI_BASE_URL: fake.baseURL, OPENAI_API_KEY: 'sk-test-key', XDG_STATE_HOME: path.join(workspace, 'xdg') },
      initializationOptions: { stateDir: path.join(workspace, 'state') },
    });
    await client.open(uri, completionExample, 1);
  });
  after(async () => {
    await client.stop();
    await fake.close();
    rmSync(workspace, { recursive: true, force: true });
  });

  const memory = () => client.executeCommand<ShowMemoryResult>('promptChain.showMemory', { uri });
  const progressOf = (turnId: string) => client.progress.items.filter((p) => p.turnId === turnId);
  const clearLensTitle = async () => {
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    return lenses.map((lens) => lens.command?.title ?? '').find((title) => title.startsWith('Clear memory'));
  };
  /** Runs `change` (a turn, a clear) and waits for the code-lens refresh it must cause. */
  const withLensRefresh = async <T>(change: () => Promise<T>): Promise<T> => {
    const since = client.serverRequests.items.length;
    const result = await change();
    await client.serverRequests.waitFor((method) => method === 'workspace/codeLens/refresh', since);
    return result;
  };

  test('before any turn the lens says there is nothing to clear', async () => {
    assert.equal(await clearLensTitle(), 'Clear memory (0 turns)');
  });

  test('a turn streams the prompt then the reply, returns the result and is stored', async () => {
    fake.enqueue({ reply: turn1Reply, chunks: [' Hi there!', ' How can I', ' help you today?'] });
    const result = await withLensRefresh(() =>
      client.executeCommand<RunTurnResult>('promptChain.runTurn', { uri, input: 'Hi there my friend', turnId: 'turn-1' }),
    );
    assert.equal(result.prompt, turn1Prompt);
    assert.equal(result.reply, turn1Reply);
    assert.ok(result.timings.totalMs >= 0);
    assert.match(result.trace, /> Entering new LLMChain chain\.\.\./);

    const progress = progressOf('turn-1');
    assert.deepEqual(progress[0], { turnId: 'turn-1', kind: 'prompt', prompt: turn1Prompt });
    const tokens = progress.slice(1) as Extract<TurnProgress, { kind: 'token' }>[];
    assert.ok(tokens.length >= 2 && tokens.every((p) => p.kind === 'token'));
    assert.equal(tokens.map((p) => p.text).join(''), turn1Reply);

    const request = fake.requests.at(-1)!;
    assert.equal(request.path, '/v1/completions');
    assert.equal(request.body.prompt, turn1Prompt);
    assert.equal(request.headers.authorization, 'Bearer sk-test-key');
    assert.deepEqual((await memory()).turns, [{ input: 'Hi there my friend', output: turn1Reply }]);
    assert.equal(await clearLensTitle(), 'Clear memory (1 turn)');
  });

  test('the second turn’s prompt holds the first turn', async () => {
    fake.enqueue({ reply: 'I am well, thanks.' });
    const result = await withLensRefresh(() => client.executeCommand<RunTurnResult>('promptChain.runTurn', { uri, input: 'Not too bad - how are you?' }));
    assert.equal(result.prompt, turn2Prompt);
    assert.equal(fake.requests.at(-1)!.body.prompt, turn2Prompt);
    assert.equal(progressOf(uri)[0]?.kind, 'prompt', 'without a turnId, progress is reported under the uri');
    assert.equal((await memory()).turns.length, 2);
  });

  test('after each turn the client is asked to refresh code lenses, and the count follows', async () => {
    assert.equal(await clearLensTitle(), 'Clear memory (2 turns)', 'the lens computed after the first turn is not reused');
    const hover = await client.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri }, position: { line: 6, character: 3 } });
    assert.match(hover.contents.value, /2 turns stored/);
  });

  test('lenses asked for while the next turn loads its history never count a turn twice', async () => {
    fake.enqueue({ reply: 'Third.' }, { reply: 'Fourth.' });
    // Right after a turn the stored turns are read again: these lenses read them as the next turn does.
    await withLensRefresh(() => client.executeCommand('promptChain.runTurn', { uri, input: 'And a third?' }));
    const lensesMeanwhile = Array.from({ length: 4 }, () => clearLensTitle());
    await withLensRefresh(() => client.executeCommand('promptChain.runTurn', { uri, input: 'And a fourth?' }));
    for (const title of await Promise.all(lensesMeanwhile)) assert.match(title ?? '', /\((3|4) turns\)/);
    assert.equal(await clearLensTitle(), 'Clear memory (4 turns)');
    assert.equal((await memory()).turns.length, 4);
  });

  test('cancelling mid-stream aborts the model call, answers RequestCancelled and stores nothing', async () => {
    const before = (await memory()).turns;
    fake.enqueue({ fault: 'hang', chunks: ['I was about to'] });
    const cancellation = new CancellationTokenSource();
    const turn = client.executeCommand('promptChain.runTurn', { uri, input: 'Tell me a long story', turnId: 'cancelled' }, cancellation);
    await client.progress.waitFor((p) => p.turnId === 'cancelled' && p.kind === 'token');
    cancellation.cancel();
    await assert.rejects(turn, (error: ResponseErrorShape) => error.code === -32800 && /cancelled/i.test(error.message));
    await fake.waitForClientAbort();
    assert.deepEqual((await memory()).turns, before);
  });

  test('a model failure is one clear message naming the endpoint, and memory is untouched', async () => {
    const before = (await memory()).turns;
    fake.enqueue({ fault: 'status', status: 401 });
    await assert.rejects(
      client.executeCommand('promptChain.runTurn', { uri, input: 'Hello?' }),
      (error: ResponseErrorShape) => error.code === -32803 && error.message.includes('127.0.0.1') && !error.message.includes('sk-test-key'),
    );
    assert.deepEqual((await memory()).turns, before);
  });

  test('a reply over promptChain.maxReplyChars fails with data.kind reply (reason reply-too-large), and memory is untouched', async () => {
    const before = (await memory()).turns;
    await client.changeSettings({ maxReplyChars: 20 });
    try {
      fake.enqueue({ reply: 'This reply is longer than twenty characters.' });
      await assert.rejects(
        client.executeCommand('promptChain.runTurn', { uri, input: 'Tell me a long story' }),
        (error: ResponseErrorShape) =>
          error.code === -32803 && error.data?.kind === 'reply' && error.data?.reason === 'reply-too-large' && /longer than 20 characters/.test(error.message),
      );
      fake.enqueue({ fault: 'body', contentType: 'text/html', body: '<html><body>Not the API</body></html>' });
      await assert.rejects(
        client.executeCommand('promptChain.runTurn', { uri, input: 'Hello?' }),
        (error: ResponseErrorShape) => error.code === -32803 && error.data?.kind === 'endpoint' && error.data?.reason === 'not-openai',
      );
    } finally {
      await client.changeSettings({});
    }
    assert.deepEqual((await memory()).turns, before);
  });

  test('a file that is not open is read from disk and has its own conversation', async () => {
    const other = path.join(workspace, 'closed.prompt');
    writeFileSync(other, completionExample);
    fake.enqueue({ reply: 'From disk.' });
    const result = await client.executeCommand<RunTurnResult>('promptChain.runTurn', { uri: fileUri(other), input: 'Hi there my friend' });
    assert.equal(result.prompt, turn1Prompt, 'a different file has its own (empty) conversation');
    const shown = await client.executeCommand<ShowMemoryResult>('promptChain.showMemory', { uri: fileUri(other) });
    assert.deepEqual(shown, { memoryKey: 'chat_history', turns: [{ input: 'Hi there my friend', output: 'From disk.' }], view: { type: 'buffer', storedTurns: 1, keptMessages: 2, prunedMessages: 0 } });
  });

  test('clearMemory forgets the stored turns, says how many, and the lens follows', async () => {
    assert.deepEqual(await withLensRefresh(() => client.executeCommand('promptChain.clearMemory', { uri })), { cleared: 4 });
    assert.deepEqual(await memory(), { memoryKey: 'chat_history', turns: [], view: { type: 'buffer', storedTurns: 0, keptMessages: 0, prunedMessages: 0 } });
    assert.equal(await clearLensTitle(), 'Clear memory (0 turns)');
  });

  test('wrong arguments are answered with InvalidParams naming what to send', async () => {
    await assert.rejects(
      client.executeCommand('promptChain.runTurn', { uri }),
      (error: ResponseErrorShape) => error.code === -32602 && error.message.includes('"input"'),
    );
    await assert.rejects(
      client.executeCommand('promptChain.runTurn', { uri: fileUri(path.join(workspace, 'missing.prompt')), input: 'x' }),
      (error: ResponseErrorShape) => error.code === -32803 && error.message.includes('missing.prompt'),
    );
  });

  test('a file on disk that is not a prompt: the one-line errors the CLI gives, nothing sent', async () => {
    const onDisk = (name: string, content: string | Buffer) => {
      const file = path.join(workspace, name);
      writeFileSync(file, content);
      return file;
    };
    const huge = onDisk('huge.prompt', '');
    truncateSync(huge, 50 * 1024 * 1024);
    const cases: [string, string][] = [
      [onDisk('binary.prompt', Buffer.from([0x2d, 0x2d, 0x2d, 0x0a, 0x00, 0x01, 0xff])), 'binary file (contains NUL bytes), not a .prompt text file'],
      [onDisk('latin1.prompt', Buffer.from('caf\xe9 {input}', 'latin1')), 'not UTF-8 text; save the file as UTF-8'],
      [huge, 'file is too large (50 MB); .prompt files are limited to 5 MB'],
      [workspace, 'is a folder, not a .prompt file'],
    ];
    const requests = fake.requests.length;
    for (const [file, problem] of cases) {
      await assert.rejects(
        client.executeCommand('promptChain.runTurn', { uri: fileUri(file), input: 'x' }),
        (error: ResponseErrorShape) => error.code === -32803 && error.message === `${file}: ${problem}`,
      );
    }
    assert.equal(fake.requests.length, requests);
  });
});
