// The CLI with the memory classes: `run --json` lists the memory's own model calls, `--verbose` prints
// LangChain's trace unchanged and then one line per memory call, a failed summary call is one warning line
// (the turn kept, the summary pending), and `memory show|clear|repair` show and reset the summary and the
// pruned messages beside the full stored history.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useFakeOpenAI } from '../support/useFakeOpenAI';
import { SUMMARY_PROMPT } from '../../core/chain/memoryClasses';
import { createWorkspace, useCliWorkspaces, type Workspace } from './support/cli';

useCliWorkspaces();
const { fake } = useFakeOpenAI();

const summaryFile = '---\nmodel: gpt-3.5-turbo-instruct\nmemory:\n  type: summary\n---\nSummary: {history}\nHuman: {input}\nAI:\n';
const tokenBufferFile = '---\nmodel: gpt-3.5-turbo-instruct\nmemory:\n  type: token_buffer\n  max_token_limit: 6\n---\n{history}\nHuman: {input}\nAI:\n';
const summaryRequest = (summary: string, newLines: string) => SUMMARY_PROMPT.replace('{summary}', summary).replace('{new_lines}', newLines);

function workspace(): Workspace {
  return createWorkspace({ 'summary.prompt': summaryFile, 'window.prompt': tokenBufferFile });
}

function run(ws: Workspace, file: string, input: string, ...flags: string[]) {
  return ws.run(['run', file, '--input', input, ...flags], { OPENAI_BASE_URL: fake.baseURL });
}

/** The one state file of the workspace's default memory folder. */
function stateFile(ws: Workspace): string {
  const [hash] = readdirSync(join(ws.stateHome, 'prompt-chain'));
  const folder = join(ws.stateHome, 'prompt-chain', hash!, 'conversations');
  return join(folder, readdirSync(folder).find((name) => name.endsWith('.state.json'))!);
}

describe('prompt-chain run with a summary memory', () => {
  test('--json lists the summary call: its prompt, reply and usage', async () => {
    const ws = workspace();
    fake.enqueue({ reply: ' Hello Ana!' }, { reply: 'Ana greets the AI.' });
    const result = await run(ws, 'summary.prompt', 'Hi, I am Ana', '--json');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    const { memoryCalls, reply } = JSON.parse(result.stdout) as { memoryCalls: { usage: { totalTokens: number } }[]; reply: string };
    assert.equal(reply, ' Hello Ana!');
    assert.equal(fake.requests[1]?.body.prompt, summaryRequest('', 'Human: Hi, I am Ana\nAI:  Hello Ana!'));
    assert.deepEqual(memoryCalls, [
      {
        purpose: 'summary',
        reason: 'turn',
        model: 'gpt-3.5-turbo-instruct',
        prompt: summaryRequest('', 'Human: Hi, I am Ana\nAI:  Hello Ana!'),
        reply: 'Ana greets the AI.',
        usage: memoryCalls[0]?.usage,
      },
    ]);
    assert.ok((memoryCalls[0]?.usage.totalTokens ?? 0) > 0);
  });

  test('--verbose: LangChain\'s trace unchanged, then one line per memory call with its token usage', async () => {
    const ws = workspace();
    fake.enqueue({ reply: ' Hello!' }, { reply: 'A greeting.' });
    const result = await run(ws, 'summary.prompt', 'Hi', '--verbose');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, ' Hello!\n');
    const trace = '\n\n> Entering new LLMChain chain...\nPrompt after formatting:\nSummary: \nHuman: Hi\nAI:\n\n> Finished chain.\n';
    assert.ok(result.stderr.startsWith(trace), result.stderr);
    const where = `model: gpt-3.5-turbo-instruct at ${fake.baseURL}\n`;
    assert.ok(result.stderr.slice(trace.length).startsWith(where), result.stderr);
    assert.match(result.stderr.slice(trace.length + where.length), /^memory: summary call to gpt-3\.5-turbo-instruct: \d+ prompt \+ \d+ completion = \d+ tokens\n$/);
  });

  test('a failed summary call: one warning line, the turn kept and the summary pending; the next turn catches up', async () => {
    const ws = workspace();
    fake.enqueue({ reply: ' Hello!' }, { fault: 'status', status: 400, body: { error: { message: 'bad summary' } } });
    const failed = await run(ws, 'summary.prompt', 'Hi');
    assert.equal(failed.code, 0);
    assert.equal(failed.stdout, ' Hello!\n');
    const lines = failed.stderr.split('\n').filter(Boolean);
    assert.equal(lines.length, 1, failed.stderr);
    assert.match(lines[0]!, /^warning: the summary call to gpt-3\.5-turbo-instruct failed \(\w[\w-]*\): .+; the turn is kept and the summary is pending: it is made before the next turn$/);
    const shown = await ws.run(['memory', 'show', 'summary.prompt']);
    assert.match(shown.stderr, /^summary pending/m);
    const requests = fake.requests.length;
    const dry = await ws.run(['run', 'summary.prompt', '--input', 'Hi again', '--dry-run'], { OPENAI_BASE_URL: fake.baseURL });
    assert.equal(dry.stdout, 'Summary: \nHuman: Hi again\nAI:\n');
    assert.match(dry.stderr, /^summary pending: the next run makes it before formatting/);
    assert.equal(JSON.parse((await ws.run(['run', 'summary.prompt', '--input', 'x', '--dry-run', '--json'])).stdout).pendingSummary, true);
    assert.equal(fake.requests.length, requests, 'a dry run never calls the model');
    fake.enqueue({ reply: 'A greeting.' }, { reply: ' Again.' }, { reply: 'Two greetings.' });
    const next = await run(ws, 'summary.prompt', 'Hi again', '--json');
    assert.deepEqual(JSON.parse(next.stdout).memoryCalls.map((call: { reason: string }) => call.reason), ['catch-up', 'turn']);
    assert.equal(JSON.parse(next.stdout).prompt, 'Summary: A greeting.\nHuman: Hi again\nAI:');
  });

  test('hostile text in a memory call is shown terminal-safe', async () => {
    const ws = workspace();
    fake.enqueue({ reply: ' ok' }, { fault: 'status', status: 400, body: { error: { message: 'evil \u001b[31mred\u0007' } } });
    const result = await run(ws, 'summary.prompt', 'Hi');
    assert.doesNotMatch(result.stderr, /[\u001b\u0007]/);
  });
});

describe('prompt-chain memory with the memory classes', () => {
  async function twoSummarizedTurns(ws: Workspace): Promise<void> {
    fake.enqueue({ reply: ' Hello Ana!' }, { reply: 'Ana greets the AI.' }, { reply: ' Fine.' }, { reply: 'Ana greets the AI and asks how it is.' });
    await run(ws, 'summary.prompt', 'Hi, I am Ana');
    await run(ws, 'summary.prompt', 'How are you?');
  }

  test('show: what the prompt sees (the summary), and on stderr the stored history\'s account; --all the whole exchange', async () => {
    const ws = workspace();
    await twoSummarizedTurns(ws);
    const requests = fake.requests.length;
    const shown = await ws.run(['memory', 'show', 'summary.prompt']);
    assert.equal(shown.code, 0);
    assert.equal(shown.stdout, 'Ana greets the AI and asks how it is.\n');
    const stderr = shown.stderr.split('\n');
    assert.match(stderr[0]!, /^2 turns stored in .*\.jsonl$/);
    assert.equal(stderr[1], 'summary memory: the prompt sees the summary; 4 messages summarized');
    const all = await ws.run(['memory', 'show', 'summary.prompt', '--all']);
    assert.equal(all.stdout, 'Human: Hi, I am Ana\nAI:  Hello Ana!\nHuman: How are you?\nAI:  Fine.\n');
    assert.equal(fake.requests.length, requests, 'showing never calls the model');
  });

  test('show --json: the view, what the prompt sees and, with --all, every turn', async () => {
    const ws = workspace();
    await twoSummarizedTurns(ws);
    const shown = JSON.parse((await ws.run(['memory', 'show', 'summary.prompt', '--json', '--all'])).stdout);
    assert.equal(shown.memoryKey, 'history');
    assert.equal(shown.type, 'summary');
    assert.equal(shown.sees, 'Ana greets the AI and asks how it is.');
    assert.deepEqual(shown.view, { type: 'summary', storedTurns: 2, keptMessages: 0, prunedMessages: 4, summary: 'Ana greets the AI and asks how it is.' });
    assert.deepEqual(shown.turns, [{ input: 'Hi, I am Ana', output: ' Hello Ana!' }, { input: 'How are you?', output: ' Fine.' }]);
    assert.equal(JSON.parse((await ws.run(['memory', 'show', 'summary.prompt', '--json'])).stdout).turns, undefined);
  });

  test('show for token_buffer: the kept messages, how many were left out, tokens against the limit', async () => {
    const ws = workspace();
    fake.enqueue({ reply: 'alpha beta gamma' }, { reply: 'delta epsilon zeta' });
    await run(ws, 'window.prompt', 'first question here');
    await run(ws, 'window.prompt', 'second question here');
    const shown = await ws.run(['memory', 'show', 'window.prompt']);
    assert.equal(shown.stdout, 'AI: delta epsilon zeta\n');
    assert.equal(shown.stderr.split('\n')[1], 'token_buffer memory: the prompt sees the last 1 message; 3 messages left out; 6 of 6 tokens');
  });

  test('clear resets the summary with the turns', async () => {
    const ws = workspace();
    await twoSummarizedTurns(ws);
    assert.equal((await ws.run(['memory', 'clear', 'summary.prompt'])).stdout, 'cleared 2 stored turns; the summary starts empty\n');
    assert.equal((await ws.run(['memory', 'show', 'summary.prompt'])).stdout, 'no stored turns\n');
    fake.enqueue({ reply: ' Hi.' }, { reply: 'x' });
    await run(ws, 'summary.prompt', 'Hello');
    assert.equal(fake.requests.at(-2)?.body.prompt, 'Summary: \nHuman: Hello\nAI:');
  });

  test('a damaged state: show says it is not used, repair moves it aside, the next turn derives the summary again', async () => {
    const ws = workspace();
    await twoSummarizedTurns(ws);
    const state = stateFile(ws);
    writeFileSync(state, '{"version":1');
    const shown = await ws.run(['memory', 'show', 'summary.prompt']);
    assert.match(shown.stderr, /the memory state .*\.state\.json is damaged \(not JSON\); not used: .*run "prompt-chain memory repair summary\.prompt" to move it aside/);
    assert.match(shown.stderr, /^summary pending/m);
    const repaired = await ws.run(['memory', 'repair', 'summary.prompt']);
    assert.equal(repaired.code, 0);
    assert.equal(repaired.stdout.split('\n')[1], `moved the damaged memory state ${state} to ${state.replace(/\.json$/, '.damaged.json')}; what the prompt sees is derived again from the stored turns on the next turn`);
    assert.equal(readFileSync(state.replace(/\.json$/, '.damaged.json'), 'utf8'), '{"version":1');
    fake.enqueue({ reply: 'Everything.' }, { reply: ' Ana.' }, { reply: 'S3' });
    const next = JSON.parse((await run(ws, 'summary.prompt', 'What is my name?', '--json')).stdout);
    assert.deepEqual(next.memoryCalls.map((call: { reason: string }) => call.reason), ['re-derive', 'turn']);
    assert.equal(fake.requests.at(-3)?.body.prompt, summaryRequest('', 'Human: Hi, I am Ana\nAI:  Hello Ana!\nHuman: How are you?\nAI:  Fine.'));
  });
});
