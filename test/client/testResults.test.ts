// The Testing view's decisions on real runs: outcomes come from core's runner against the fake OpenAI
// server, so what the view shows is checked against what a run really reports.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runTests } from '../../core/testing/runTests';
import type { ConversationOutcome, TestRunEvent } from '../../core/testing/types';
import {
  conversationVerdict, eventItem, parseTestItemId, runSelection, testItemId, traceOutput, type TestItemRef,
} from '../../client/src/testing/testResults';
import { useFakeOpenAI } from '../support/useFakeOpenAI';
import { issueExample, useChatFolder } from '../support/testRuns';

describe('test item ids', () => {
  const refs: TestItemRef[] = [
    { kind: 'file', uri: 'file:///w/chat.prompt-test.yaml' },
    { kind: 'conversation', uri: 'file:///w/chat.prompt-test.yaml', conversation: 'remembers the name' },
    { kind: 'turn', uri: 'file:///w/chat.prompt-test.yaml', conversation: 'remembers the name', turn: 1 },
    // Names are the user's text: quotes, brackets, a NUL, a line break.
    { kind: 'turn', uri: 'file:///w/a%20b.prompt-test.yaml', conversation: 'say "hi" [x]\u0000\nnext', turn: 0 },
  ];

  test('no id holds a NUL, which VS Code uses to join the ids of an item and its parents', () => {
    for (const ref of refs) assert.ok(!testItemId(ref).includes('\u0000'), testItemId(ref));
  });

  test('every id reads back as the item it was made for, and no two items share one', () => {
    for (const ref of refs) assert.deepEqual(parseTestItemId(testItemId(ref)), ref);
    assert.equal(new Set(refs.map(testItemId)).size, refs.length);
    // A conversation named like a turn's path stays a conversation.
    const tricky: TestItemRef = { kind: 'conversation', uri: 'u', conversation: '","x",0]' };
    assert.deepEqual(parseTestItemId(testItemId(tricky)), tricky);
  });

  test('ids it did not make are not read as items', () => {
    for (const id of ['file:///w/chat.prompt-test.yaml', 'file:///w/a\u0000conv', '[]', '[1]', '["u",2]', '["u","c",-1]', '["u","c",1.5]', '["u","c",1,2]', '{}']) {
      assert.equal(parseTestItemId(id), undefined, id);
    }
  });
});

describe('runSelection', () => {
  const a = 'file:///w/a.prompt-test.yaml';
  const b = 'file:///w/b.prompt-test.yaml';
  const listed: Record<string, string[]> = { [a]: ['one', 'two'], [b]: ['three'] };
  const conversationsOf = (uri: string) => listed[uri] ?? [];
  const file = (uri: string): TestItemRef => ({ kind: 'file', uri });
  const conversation = (uri: string, name: string): TestItemRef => ({ kind: 'conversation', uri, conversation: name });

  test('whole files run whole', () => {
    assert.deepEqual(runSelection([file(a), file(b)], [], conversationsOf), { uris: [a, b] });
  });

  test('a turn runs its conversation: the turns before it make its memory', () => {
    assert.deepEqual(runSelection([{ kind: 'turn', uri: a, conversation: 'two', turn: 1 }], [], conversationsOf), { uris: [a], only: [{ uri: a, conversation: 'two' }] });
  });

  test('an excluded conversation of an included file is left out; the other files still run whole', () => {
    assert.deepEqual(runSelection([file(a), file(b)], [conversation(a, 'one')], conversationsOf), {
      uris: [a, b],
      only: [{ uri: a, conversation: 'two' }, { uri: b, conversation: 'three' }],
    });
  });

  test('an excluded file runs nothing, an excluded turn excludes nothing', () => {
    assert.deepEqual(runSelection([file(a), file(b)], [file(b)], conversationsOf), { uris: [a] });
    assert.deepEqual(runSelection([file(a)], [{ kind: 'turn', uri: a, conversation: 'one', turn: 0 }], conversationsOf), { uris: [a] });
    assert.deepEqual(runSelection([file(a)], [conversation(a, 'one'), conversation(a, 'two')], conversationsOf).uris, []);
  });

  test('a conversation with its file, or twice, runs once', () => {
    const selection = runSelection([file(b), conversation(a, 'one'), { kind: 'turn', uri: a, conversation: 'one', turn: 0 }], [], conversationsOf);
    assert.deepEqual(selection, { uris: [b, a], only: [{ uri: b, conversation: 'three' }, { uri: a, conversation: 'one' }] });
  });

  test('a file that listed nothing (it has errors) still goes, so the run says why it cannot run', () => {
    const broken = 'file:///w/broken.prompt-test.yaml';
    assert.deepEqual(runSelection([file(broken), conversation(a, 'one')], [], conversationsOf), { uris: [broken, a], only: [{ uri: a, conversation: 'one' }] });
  });
});

describe('what a run shows', () => {
  const { fake, model } = useFakeOpenAI({ timeoutMs: 5000 });
  const folder = useChatFolder();

  async function run(yaml: string): Promise<{ outcome: ConversationOutcome; events: TestRunEvent[] }> {
    await folder.write('chat.prompt-test.yaml', yaml);
    const events: TestRunEvent[] = [];
    const report = await runTests({ files: [await folder.run('chat.prompt-test.yaml')], model: model(), concurrency: 1, onEvent: (event) => events.push(event) });
    return { outcome: report.outcomes[0]!, events };
  }

  test('each event names the item it is about', async () => {
    fake.enqueue({ reply: 'Ahoy Ada!' }, { reply: 'Yer name be ada.' });
    const { events } = await run(issueExample);
    const conversation = { uri: 'chat.prompt-test.yaml', conversation: 'remembers the name' };
    assert.deepEqual(events.map(eventItem), [
      { kind: 'conversation', ...conversation },
      { kind: 'turn', ...conversation, turn: 0 },
      { kind: 'turn', ...conversation, turn: 1 },
      { kind: 'conversation', ...conversation },
    ]);
  });

  test('a passing conversation passes with every turn', async () => {
    fake.enqueue({ reply: 'Ahoy Ada!' }, { reply: 'Yer name be ada.' });
    const { outcome } = await run(issueExample);
    assert.deepEqual(conversationVerdict(outcome, 2), { pass: true, turns: [{ state: 'passed' }, { state: 'passed' }] });
  });

  test('each failure shows once, at its turn and assertion; the conversation only says which turn failed', async () => {
    fake.enqueue({ reply: 'Ahoy Ada!' }, { reply: "I don't know your name." });
    const { outcome } = await run(issueExample);
    const verdict = conversationVerdict(outcome, 2);
    assert.equal(verdict.pass, false);
    assert.equal(verdict.summary, 'turn 2 failed: 2 of 3 assertions');
    assert.deepEqual(verdict.turns[0], { state: 'passed' });
    const second = verdict.turns[1];
    assert.equal(second?.state, 'failed');
    if (second?.state !== 'failed') return;
    assert.deepEqual(second.messages.map((message) => message.text), ['reply does not match `(?i)\\bada\\b`', "reply contains `I don't know`"]);
    const yaml = await folder.read('chat.prompt-test.yaml');
    assert.deepEqual(second.messages.map((message) => yaml.slice(message.span!.start, message.span!.end)), ['regex: "(?i)\\\\bada\\\\b"', 'not_contains: "I don\'t know"']);
  });

  test('a text assertion carries expected and actual for the diff', async () => {
    fake.enqueue({ reply: 'Hello there!' }, { reply: 'Yer name be ada.' });
    const { outcome } = await run(issueExample);
    const first = conversationVerdict(outcome, 2).turns[0];
    assert.equal(first?.state, 'failed');
    if (first?.state !== 'failed') return;
    assert.deepEqual(first.messages.map(({ expected, actual }) => [expected, actual]), [['Ada', 'Hello there!']]);
  });

  test("the judge's reasoning is part of its failure", async () => {
    fake.enqueue({ reply: 'Hello.' }, { reply: '{"reasoning": "It never says the name.", "pass": false}' });
    const { outcome } = await run('prompt: chatbot-chat.prompt\nconversations:\n  - name: judged\n    vars: { persona: kind }\n    turns:\n      - input: I am Ada.\n        expect:\n          - judge: The reply greets the user by name.\n');
    const verdict = conversationVerdict(outcome, 1);
    assert.equal(verdict.summary, 'turn 1 failed: 1 of 1 assertion');
    const turn = verdict.turns[0];
    assert.equal(turn?.state, 'failed');
    if (turn?.state !== 'failed') return;
    assert.match(turn.messages[0]!.text, /^the judge \(gpt-4o-mini\) failed the reply on .*\njudge: It never says the name\.$/s);
  });

  test('a turn that failed before a reply says why; the turns after it did not run', async () => {
    fake.enqueue({ fault: 'status', status: 401 });
    const { outcome } = await run(issueExample);
    const verdict = conversationVerdict(outcome, 2);
    assert.match(verdict.summary ?? '', /^turn 1 failed: .*API key/);
    assert.equal(verdict.turns[0]?.state, 'failed');
    assert.deepEqual(verdict.turns[1], { state: 'skipped' });
  });

  test('repeat: the conversation gives the share of runs that passed, its turns each failure by run', async () => {
    fake.enqueue({ reply: 'Hello!' }, { reply: 'Hi!' }, { reply: 'Hey' });
    const { outcome } = await run('prompt: chatbot-chat.prompt\nconversations:\n  - name: greets\n    vars: { persona: kind }\n    repeat: 3\n    turns:\n      - input: Hi\n        expect:\n          - starts_with: Hello\n');
    const verdict = conversationVerdict(outcome, 1);
    assert.equal(verdict.summary, 'passed 1 of 3 runs (33%)');
    const turn = verdict.turns[0];
    assert.equal(turn?.state, 'failed');
    if (turn?.state !== 'failed') return;
    assert.deepEqual(turn.messages.map((message) => message.text.replace(/:.*/s, '')), ['run 2 of 3', 'run 3 of 3']);
  });

  test('repeat within its pass_rate passes, turns included: a tolerated run is not a failure', async () => {
    fake.enqueue({ reply: 'Hello!' }, { reply: 'Hi!' });
    const { outcome } = await run('prompt: chatbot-chat.prompt\nconversations:\n  - name: greets\n    vars: { persona: kind }\n    repeat: 2\n    pass_rate: 0.5\n    turns:\n      - input: Hi\n        expect:\n          - starts_with: Hello\n');
    assert.deepEqual(conversationVerdict(outcome, 1), { pass: true, turns: [{ state: 'passed' }] });
  });

  test("a turn's trace shows on the Test Results terminal: CRLF line ends, control characters escaped", async () => {
    // YAML's "\e" is ESC: the input, and so the formatted prompt in the trace, clears the screen.
    const { events } = await run('prompt: chatbot-chat.prompt\nconversations:\n  - name: hostile\n    vars: { persona: kind }\n    turns:\n      - input: "Hi \\e[2JAda"\n        expect: [{ contains: Ada }]\n');
    const trace = events.flatMap((event) => (event.type === 'turn-finished' && event.turn.trace ? [event.turn.trace] : []))[0]!;
    assert.ok(trace.includes('\u001b[2J'), 'the trace holds the escape sequence');
    const shown = traceOutput(trace);
    assert.ok(shown.includes('Prompt after formatting:\r\n'), shown);
    assert.ok(!shown.includes('\u001b'), 'no escape sequence reaches the terminal');
    assert.ok(shown.includes('Human: Hi \\x1b[2JAda'), shown);
    assert.equal(shown.replace(/\r\n/g, '').includes('\n'), false, 'every line ends in CRLF');
    assert.ok(shown.endsWith('\r\n'), 'the next turn starts on a line of its own');
  });
});
