// `prompt-chain test` as a user runs it: the built CLI in a throw-away workspace against the fake OpenAI
// server (the real SDK over HTTP). Replies are the fake's echo of the last human input unless a test
// scripts them, so they do not depend on which conversation reaches the server first.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { useFakeOpenAI } from '../support/useFakeOpenAI';
import { chatExample } from '../support/examples';
import { createWorkspace, repoRoot, useCliWorkspaces, type Workspace } from './support/cli';
import type { TestRunReport } from '../../core/testing/types';

useCliWorkspaces();
const { fake } = useFakeOpenAI();

const rememberTest = `prompt: chatbot-chat.prompt
conversations:
  - name: remembers the name
    turns:
      - input: My name is Ada.
        expect:
          - contains: Ada
          - starts_with: "Echo:"
      - input: What is my name?
        expect:
          - prompt_contains: "Human: My name is Ada."
          - regex: "(?i)\\\\bname\\\\b"
          - not_contains: "I don't know"
          - max_tokens: 50
  - name: forgets the name
    turns:
      - input: Tell me a joke.
        expect:
          - contains: Ada
          - equals: "Echo: Tell me a joke."
`;

function workspace(files: Record<string, string> = {}): Workspace {
  return createWorkspace({ 'chatbot-chat.prompt': chatExample, 'chat.prompt-test.yaml': rememberTest, ...files });
}

function promptTest(ws: Workspace, ...args: string[]) {
  return ws.run(['test', ...args], { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.baseURL });
}

/** Every file under a folder with its bytes, to prove a run changed nothing there. */
function filesUnder(folder: string): Record<string, Buffer> {
  const read = (p: string): [string, Buffer][] =>
    statSync(p).isDirectory() ? readdirSync(p).flatMap((name) => read(path.join(p, name))) : [[p, readFileSync(p)]];
  return Object.fromEntries(read(folder));
}

describe('prompt-chain test', () => {
  test('a passing and a failing conversation: a progress line each, the failure with expected and actual, exit 1', async () => {
    const ws = workspace();
    const result = await promptTest(ws);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /^✓ remembers the name — chat\.prompt-test\.yaml \[gpt-4o-mini\] passed \(2 turns, \d+ ms\)$/m);
    assert.match(result.stderr, /^✗ forgets the name — chat\.prompt-test\.yaml \[gpt-4o-mini\] failed \(1 turn, \d+ ms\)$/m);
    assert.match(result.stdout, /turn 1: Tell me a joke\.\n {4}reply: Echo: Tell me a joke\.\n {4}✗ contains: "Ada" — .*\n {6}expected: Ada/);
    assert.doesNotMatch(result.stdout, /remembers the name/, 'only failures are detailed');
    assert.match(result.stdout, /^2 conversations: 1 passed, 1 failed; 8 assertions, 1 failed \(\d+ ms\)$/m);
    // The second turn's prompt held the first exchange: the memory reached the model.
    const second = fake.requests.find((r) => JSON.stringify(r.body.messages).includes('What is my name?'));
    assert.deepEqual(second?.body.messages.map((m: { content: string }) => m.content).slice(1), ['My name is Ada.', 'Echo: My name is Ada.', 'What is my name?']);
  });

  test("the user's stored conversation is neither read nor changed by a run", async () => {
    const ws = workspace();
    const stored = await ws.run(['run', 'chatbot-chat.prompt', '--input', 'My name is Grace.'], { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.baseURL });
    assert.equal(stored.code, 0, stored.stderr);
    const before = filesUnder(ws.stateHome);
    assert.ok(Object.values(before).some((bytes) => bytes.includes('My name is Grace.')), 'run stored the turn under the state folder');
    fake.reset();
    await promptTest(ws);
    assert.deepEqual(filesUnder(ws.stateHome), before);
    assert.ok(fake.requests.length > 0);
    for (const request of fake.requests) assert.doesNotMatch(request.raw, /Grace/, 'a test starts from empty memory');
  });

  test('--update records the baselines; a later run passes, and a changed reply shows the line diff', async () => {
    const ws = workspace({ 'chat.prompt-test.yaml': 'prompt: chatbot-chat.prompt\nconversations:\n  - name: greets\n    turns:\n      - input: Hello\n        expect:\n          - snapshot: true\n' });
    const unrecorded = await promptTest(ws);
    assert.equal(unrecorded.code, 1);
    assert.match(unrecorded.stdout, /✗ snapshot — .*--update/);
    const recorded = await promptTest(ws, '--update');
    assert.equal(recorded.code, 0, recorded.stdout + recorded.stderr);
    const baseline = readFileSync(path.join(ws.root, '__snapshots__/chat.snap.yaml'), 'utf8');
    assert.match(baseline, /reply: "?Echo: Hello"?/);
    assert.equal((await promptTest(ws)).code, 0);
    fake.enqueue({ reply: 'Echo: Hello\nand more' });
    const changed = await promptTest(ws);
    assert.equal(changed.code, 1);
    assert.match(changed.stdout, /✗ snapshot — .*\n(.*\n)*\s+ {2}Echo: Hello\n\s+\+ and more\n/);
  });

  test('repeat with pass_rate: 2 of 3 attempts pass a 0.6 rate; 1 of 3 does not', async () => {
    const repeated = (rate: number) => `prompt: chatbot-chat.prompt\nconversations:\n  - name: flaky\n    repeat: 3\n    pass_rate: ${rate}\n    turns:\n      - input: Hi\n        expect:\n          - contains: yes\n`;
    const ws = workspace({ 'chat.prompt-test.yaml': repeated(0.6) });
    fake.enqueue({ reply: 'yes' }, { reply: 'no' }, { reply: 'yes' });
    const passing = await promptTest(ws, '--reporter', 'json');
    assert.equal(passing.code, 0, passing.stderr);
    const report = JSON.parse(passing.stdout) as TestRunReport;
    assert.deepEqual(report.outcomes[0]?.attempts.map((a) => a.pass), [true, false, true]);
    assert.equal(report.outcomes[0]?.passRate, 2 / 3);
    assert.equal(report.outcomes[0]?.pass, true);
    assert.match(passing.stderr, /✓ flaky .* 2\/3 attempts passed \(67%\)/);
    writeFileSync(path.join(ws.root, 'chat.prompt-test.yaml'), repeated(0.6));
    fake.enqueue({ reply: 'no' }, { reply: 'yes' }, { reply: 'no' });
    const failing = await promptTest(ws);
    assert.equal(failing.code, 1);
    assert.match(failing.stdout, /✗ flaky .* 1\/3 attempts passed \(33%\)\n {2}attempt 1, turn 1: Hi/);
  });

  test('two models: every conversation on each, side by side, with tokens and latency', async () => {
    const ws = workspace();
    const result = await promptTest(ws, '--model', 'gpt-4o', '--model', 'gpt-4o-mini', '--filter', 'REMEMBERS');
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.deepEqual([...new Set(fake.requests.map((r) => r.body.model))].sort(), ['gpt-4o', 'gpt-4o-mini']);
    assert.match(result.stdout, /^conversation {2,}gpt-4o {2,}gpt-4o-mini$/m);
    assert.match(result.stdout, /^remembers the name \(chat\.prompt-test\.yaml\) {2}✓ \d+ tok, \d+ ms {2,}✓ \d+ tok, \d+ ms$/m);
    // Under it, each turn's input and the reply each model gave, in the models' columns.
    assert.match(result.stdout, /^ {2}1\. My name is Ada\. {2,}Echo: My name is Ada\. {2,}Echo: My name is Ada\.$/m);
    assert.match(result.stdout, /^ {2}2\. What is my name\? {2,}Echo: What is my name\? {2,}Echo: What is my name\?$/m);
    assert.doesNotMatch(result.stderr, /forgets the name/, '--filter keeps the others from running');
  });

  test('two models, one failing: per-model pass/fail, tokens and latency in the pretty table and the json report', async () => {
    const ws = workspace({ 'chat.prompt-test.yaml': 'prompt: chatbot-chat.prompt\nconversations:\n  - name: agrees\n    turns:\n      - input: Say yes\n        expect:\n          - contains: "yes"\n' });
    // One conversation at a time: gpt-4o is asked first, then gpt-4o-mini.
    const models = ['--model', 'gpt-4o', '--model', 'gpt-4o-mini', '--concurrency', '1'];
    fake.enqueue({ reply: 'yes indeed' }, { reply: 'no' });
    const json = await promptTest(ws, ...models, '--reporter', 'json');
    assert.equal(json.code, 1, json.stderr);
    assert.deepEqual(fake.requests.map((r) => r.body.model), ['gpt-4o', 'gpt-4o-mini']);
    const report = JSON.parse(json.stdout) as TestRunReport;
    assert.deepEqual(report.models, ['gpt-4o', 'gpt-4o-mini']);
    assert.deepEqual(report.outcomes.map((o) => [o.model, o.pass, o.attempts[0]?.turns[0]?.reply]), [['gpt-4o', true, 'yes indeed'], ['gpt-4o-mini', false, 'no']]);
    for (const outcome of report.outcomes) {
      const turn = outcome.attempts[0]!.turns[0]!;
      assert.ok(turn.usage?.promptTokens! > 0 && turn.usage?.totalTokens === turn.usage!.promptTokens! + turn.usage!.completionTokens!, JSON.stringify(turn.usage));
      assert.ok(turn.latencyMs >= 0 && outcome.durationMs >= turn.latencyMs, `${turn.latencyMs} / ${outcome.durationMs}`);
    }
    assert.deepEqual(report.outcomes.map((o) => o.attempts[0]!.turns[0]!.usage!.completionTokens), [2, 1]);
    // The table counts each model's reply tokens.
    const tokens = report.outcomes.map((o) => o.attempts[0]!.turns[0]!.usage!.completionTokens);

    fake.reset();
    fake.enqueue({ reply: 'yes indeed' }, { reply: 'no' });
    const pretty = await promptTest(ws, ...models);
    assert.equal(pretty.code, 1);
    assert.match(pretty.stdout, /^✗ agrees — chat\.prompt-test\.yaml \[gpt-4o-mini\] failed\n {2}turn 1: Say yes\n {4}reply: no\n/m);
    assert.doesNotMatch(pretty.stdout, /\[gpt-4o\] failed/);
    assert.match(pretty.stdout, new RegExp(`^agrees \\(chat\\.prompt-test\\.yaml\\) {2}✓ ${tokens[0]} tok, \\d+ ms {2,}✗ ${tokens[1]} tok, \\d+ ms$`, 'm'));
    assert.match(pretty.stdout, /^ {2}1\. Say yes {2,}yes indeed {2,}no$/m);
  });

  test("the judge's reasoning is in the pretty and the html report, escaped", async () => {
    const ws = workspace({ 'chat.prompt-test.yaml': 'prompt: chatbot-chat.prompt\nconversations:\n  - name: polite\n    turns:\n      - input: Greet me\n        expect:\n          - judge: Greets the user politely.\n' });
    const verdict = JSON.stringify({ reasoning: 'The reply <b>orders</b> the user about; not a greeting.', pass: false });
    const judged = () => fake.enqueue({ reply: 'Go away.' }, { reply: verdict });
    judged();
    const pretty = await promptTest(ws);
    assert.equal(pretty.code, 1, pretty.stderr);
    // The second request is the judge's: the rubric, the input and the reply, through the same endpoint.
    assert.match(JSON.stringify(fake.requests[1]?.body.messages), /Rubric:\\nGreets the user politely\.\\n\\nInput:\\nGreet me\\n\\nReply:\\nGo away\./);
    assert.match(pretty.stdout, /✗ judge: Greets the user politely\. — the judge \(gpt-4o-mini\) failed the reply .*\n(.*\n)*? {6}judge: The reply <b>orders<\/b> the user about; not a greeting\.\n/);
    fake.reset();
    judged();
    const html = await promptTest(ws, '--reporter', 'html', '-o', 'report.html');
    assert.equal(html.code, 1, html.stderr);
    const page = readFileSync(path.join(ws.root, 'report.html'), 'utf8');
    assert.match(page, /<div class="detail">judge: The reply &lt;b&gt;orders&lt;\/b&gt; the user about; not a greeting\.<\/div>/);
  });

  test('junit: valid against the JUnit schema, hostile reply text escaped, written with --output', async () => {
    const ws = workspace();
    fake.enqueue({ reply: 'Ada <b>&</b> "q" \u001b[31m' });
    const result = await promptTest(ws, '--reporter', 'junit', '--output', 'report.xml', '--filter', 'forgets');
    assert.equal(result.code, 1);
    assert.match(result.stderr, /report written to report\.xml/);
    const xml = path.join(ws.root, 'report.xml');
    const lint = spawnSync('xmllint', ['--noout', '--schema', path.join(repoRoot, 'test/cli/support/junit.xsd'), xml], { encoding: 'utf8' });
    assert.equal(lint.status, 0, lint.stderr);
    const text = readFileSync(xml, 'utf8');
    assert.match(text, /<failure message="turn 1: [^"]*" type="equals">/);
    assert.match(text, /AI: Ada &lt;b&gt;&amp;&lt;\/b&gt; &quot;q&quot; \\u\{1B\}\[31m/);
    assert.match(text, /<testsuites name="prompt-chain test" tests="1" failures="1" errors="0"/);
  });

  test('usage errors exit 2: an unknown reporter, a path without test files', async () => {
    const ws = workspace();
    const reporter = await promptTest(ws, '--reporter', 'xml');
    assert.equal(reporter.code, 2);
    assert.match(reporter.stderr, /--reporter needs one of pretty, json, junit, html, got "xml"/);
    ws.write('empty/readme.md', 'nothing');
    const empty = await promptTest(ws, 'empty');
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /^empty: no \.prompt-test\.yaml files in this folder$/m);
    assert.equal(fake.requests.length, 0);
  });

  test('--filter matching no conversation: one usage line naming the filter and the first few conversations, no model asked', async () => {
    const ws = workspace();
    const none = await promptTest(ws, '--filter', 'nobody');
    assert.equal(none.code, 2);
    assert.equal(none.stderr, 'prompt-chain: --filter "nobody" matches no conversation; the conversations are "remembers the name", "forgets the name" (see "prompt-chain --help")\n');
    assert.equal(none.stdout, '');
    const many = Array.from({ length: 7 }, (_, n) => `  - name: "c${n}\\nx"\n    turns: [{ input: Hi }]\n`).join('');
    ws.write('chat.prompt-test.yaml', `prompt: chatbot-chat.prompt\nconversations:\n${many}`);
    const more = await promptTest(ws, '--filter', 'zz');
    assert.equal(more.code, 2);
    assert.equal(more.stderr, 'prompt-chain: --filter "zz" matches no conversation; the conversations are "c0\\nx", "c1\\nx", "c2\\nx", "c3\\nx", "c4\\nx" and 2 more (see "prompt-chain --help")\n');
    assert.equal(fake.requests.length, 0);
  });

  test('a prompt given to test: exit 2, pointing to its test file beside it, or saying how to write one', async () => {
    const ws = workspace({ 'lonely.prompt': chatExample, 'notes.txt': 'x' });
    const tested = await promptTest(ws, 'chatbot-chat.prompt');
    assert.equal(tested.code, 2);
    assert.equal(tested.stderr, 'chatbot-chat.prompt: is a prompt, not a test file; its tests are in chat.prompt-test.yaml: run "prompt-chain test chat.prompt-test.yaml"\n');
    const untested = await promptTest(ws, 'lonely.prompt');
    assert.equal(untested.code, 2);
    assert.equal(untested.stderr, 'lonely.prompt: is a prompt, not a test file; to test it, write lonely.prompt-test.yaml beside it with "prompt: lonely.prompt" and its conversations (docs/prompt-tests.md), then run "prompt-chain test lonely.prompt-test.yaml"\n');
    const other = await promptTest(ws, 'chat.prompt-test.yaml', 'notes.txt');
    assert.equal(other.code, 2);
    assert.equal(other.stderr, 'notes.txt: not a test file; prompt tests are .prompt-test.yaml files (see "prompt-chain test --help")\n');
    assert.equal(fake.requests.length, 0);
  });

  test('--output over a file the run reads, or over a prompt, is refused before any model call; nothing is overwritten', async () => {
    const historyTest = 'prompt: chatbot-chat.prompt\nconversations:\n  - name: resumes\n    history: grace.json\n    turns: [{ input: Hi }]\n';
    const ws = workspace({ 'history.prompt-test.yaml': historyTest, 'grace.json': '[]', 'other.prompt': chatExample });
    symlinkSync('chat.prompt-test.yaml', path.join(ws.root, 'link.xml'));
    const refusals: [string, string][] = [
      ['chat.prompt-test.yaml', 'is a test file being run'],
      ['chatbot-chat.prompt', 'is the prompt of chat.prompt-test.yaml'],
      ['grace.json', 'is a history file of history.prompt-test.yaml'],
      ['other.prompt', 'is a prompt'],
      ['new.prompt', 'is a prompt'],
      ['link.xml', 'is a test file being run (under another name)'],
    ];
    const before = filesUnder(ws.root);
    for (const [output, why] of refusals) {
      const result = await promptTest(ws, '--reporter', 'junit', '--output', output);
      assert.equal(result.code, 2, output);
      assert.equal(result.stderr, `${output}: ${why}; write the report to another file\n`);
    }
    assert.deepEqual(filesUnder(ws.root), before);
    assert.equal(fake.requests.length, 0);
  });

  test('a test file with problems does not run: each problem at its line, exit 1, the other files run', async () => {
    const ws = workspace({ 'bad.prompt-test.yaml': 'prompt: chatbot-chat.prompt\nconversations:\n  - name: typo\n    turns:\n      - input: Hi\n        expect:\n          - contain: Hi\n' });
    const result = await promptTest(ws, '--filter', 'remembers');
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^bad\.prompt-test\.yaml:7:13 error test-unknown-assertion /m);
    assert.match(result.stderr, /✓ remembers the name/);
    assert.match(result.stdout, /✗ bad\.prompt-test\.yaml: could not run/);
  });
});
