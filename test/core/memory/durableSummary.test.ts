// A summary memory on the durable store, through real turns against the fake OpenAI server: a reload in
// the middle of the conversation formats the same prompt without calling the model; a process killed
// (kill -9) while its summary call is held open keeps its turn, leaves the summary pending, and the next
// turn catches up with one call; clear resets the summary; Retry starts from the state before the
// replaced turn; a damaged state is derived again from the full history.

import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { previewTurn, runTurn } from '../../../core/chain/run';
import { memoryViewOf, SUMMARY_PROMPT } from '../../../core/chain/memoryClasses';
import { openConversation } from '../../../core/memory/store';
import { useFakeOpenAI } from '../../support/useFakeOpenAI';
import { summaryPrompt } from './fixtures/summaryPrompt';

const child = join(__dirname, 'fixtures', 'runSummaryTurn.ts');

const createdFolders: string[] = [];
after(() => createdFolders.splice(0).forEach((folder) => rmSync(folder, { recursive: true, force: true })));

function stateDir(): string {
  const folder = mkdtempSync(join(tmpdir(), 'prompt-chain-durable-summary-'));
  createdFolders.push(folder);
  return folder;
}

const summaryRequest = (summary: string, newLines: string) => SUMMARY_PROMPT.replace('{summary}', summary).replace('{new_lines}', newLines);

describe('a summary memory on the durable store', () => {
  const { fake, model } = useFakeOpenAI({ timeoutMs: 10_000 });
  const { prompt, config } = summaryPrompt();
  const open = (state: string, warnings: string[] = []) =>
    openConversation({ stateDir: state, workspaceRoot: state, filePath: join(state, 'a.prompt'), memory: config.memory!, onWarning: (w) => warnings.push(w) });
  const turn = (state: string, input: string) => runTurn({ prompt, config, input, conversation: open(state), model: model() });

  test('a reload mid-conversation formats the same prompt without a model call', async () => {
    const state = stateDir();
    fake.enqueue({ reply: ' Hello Ana!' }, { reply: 'Ana greets the AI.' }, { reply: ' Fine.' }, { reply: 'Ana greets the AI and asks how it is.' });
    await turn(state, 'Hi, I am Ana');
    await turn(state, 'How are you?');
    const requests = fake.requests.length;
    const reloaded = await previewTurn({ prompt, config, input: 'What is my name?', conversation: open(state) });
    assert.equal(fake.requests.length, requests, 'loading never calls the model');
    assert.equal(reloaded.prompt, 'Summary: Ana greets the AI and asks how it is.\nHuman: What is my name?\nAI:');
    assert.equal(reloaded.pendingSummary, undefined);
    fake.enqueue({ reply: ' Ana.' }, { reply: 'S3' });
    const third = await turn(state, 'What is my name?');
    assert.equal(third.prompt, reloaded.prompt, 'the turn sends what the reload showed');
    assert.equal(fake.requests.length, requests + 2, 'the reply and its own summary: nothing re-summarized');
  });

  test('kill -9 while the summary call is held open: the turn is kept, the summary pending, the next turn catches up with one call', { timeout: 120_000 }, async () => {
    const state = stateDir();
    fake.enqueue({ reply: ' Hello Ana!' }, { reply: 'Ana greets the AI.' });
    await turn(state, 'Hi, I am Ana');
    fake.enqueue({ reply: ' Fine.' }, { fault: 'hang' });
    const running = spawn(process.execPath, ['--import', 'tsx', child, state, fake.baseURL, 'How are you?'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = once(running, 'exit');
    const lines = createInterface({ input: running.stdout! })[Symbol.asyncIterator]();
    assert.equal((await lines.next()).value, 'stored');
    await fake.waitForHang();
    assert.equal(fake.requests.at(-1)?.body.prompt, summaryRequest('Ana greets the AI.', 'Human: How are you?\nAI:  Fine.'));
    running.kill('SIGKILL');
    await exited;

    const warnings: string[] = [];
    const conversation = open(state, warnings);
    const turns = await conversation.load();
    assert.deepEqual(turns.map((t) => t.input), ['Hi, I am Ana', 'How are you?'], 'the turn is kept');
    const saved = await conversation.loadState();
    assert.deepEqual([saved?.turns, saved?.summary], [1, 'Ana greets the AI.'], 'the old state, whole');
    const view = memoryViewOf(turns, saved, config.memory!, config);
    assert.deepEqual([view.summary, view.pendingSummary], ['Ana greets the AI.', true]);
    assert.deepEqual(warnings, []);

    const before = fake.requests.length;
    fake.enqueue({ reply: 'Ana greets the AI and asks how it is.' }, { reply: ' Ana.' }, { reply: 'S3' });
    const third = await runTurn({ prompt, config, input: 'What is my name?', conversation, model: model() });
    assert.equal(fake.requests[before]?.body.prompt, summaryRequest('Ana greets the AI.', 'Human: How are you?\nAI:  Fine.'), 'one catch-up call');
    assert.equal(third.prompt, 'Summary: Ana greets the AI and asks how it is.\nHuman: What is my name?\nAI:');
    assert.deepEqual(third.memoryCalls?.map((call) => call.reason), ['catch-up', 'turn']);
    assert.equal(fake.requests.length, before + 3);
    assert.deepEqual([(await open(state).loadState())?.turns, (await open(state).loadState())?.summary], [3, 'S3']);
  });

  test('clear resets the summary: the next turn starts from an empty one', async () => {
    const state = stateDir();
    fake.enqueue({ reply: ' Hello!' }, { reply: 'A greeting.' });
    await turn(state, 'Hi');
    await open(state).clear();
    fake.enqueue({ reply: ' Again.' }, { reply: 'x' });
    const next = await turn(state, 'Hi again');
    assert.equal(next.prompt, 'Summary: \nHuman: Hi again\nAI:');
    assert.equal(fake.requests.at(-1)?.body.prompt, summaryRequest('', 'Human: Hi again\nAI:  Again.'));
  });

  test('Retry of the last turn formats with the summary from before it, and summarizes the new reply once', async () => {
    const state = stateDir();
    fake.enqueue({ reply: ' Hello!' }, { reply: 'S1' }, { reply: ' Bad.' }, { reply: 'S2' });
    await turn(state, 'Hi');
    await turn(state, 'How are you?');
    const before = fake.requests.length;
    fake.enqueue({ reply: ' Good.' }, { reply: 'S2 again' });
    const retried = await runTurn({ prompt, config, input: 'How are you?', replaceLast: { input: 'How are you?', output: ' Bad.' }, conversation: open(state), model: model() });
    assert.equal(retried.prompt, 'Summary: S1\nHuman: How are you?\nAI:', 'the prompt the first try sent');
    assert.equal(fake.requests.length, before + 2, 'no re-summary of the history');
    assert.equal(fake.requests.at(-1)?.body.prompt, summaryRequest('S1', 'Human: How are you?\nAI:  Good.'));
    const saved = await open(state).loadState();
    assert.deepEqual([saved?.turns, saved?.summary], [2, 'S2 again']);
  });

  test('a damaged state is said once, and the next turn derives the summary again from the full history', async () => {
    const state = stateDir();
    fake.enqueue({ reply: ' Hello!' }, { reply: 'S1' });
    await turn(state, 'Hi');
    const warnings: string[] = [];
    const conversation = open(state, warnings);
    writeFileSync(conversation.statePath, 'garbage');
    fake.enqueue({ reply: 'All of it.' }, { reply: ' Fine.' }, { reply: 'S2' });
    const second = await runTurn({ prompt, config, input: 'How are you?', conversation, model: model() });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /is damaged \(not JSON\); not used/);
    assert.deepEqual(second.memoryCalls?.map((call) => call.reason), ['re-derive', 'turn']);
    assert.equal(second.prompt, 'Summary: All of it.\nHuman: How are you?\nAI:');
  });
});
