import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runTests } from '../../../core/testing/runTests';
import type { TestRunEvent } from '../../../core/testing/types';
import { useFakeOpenAI } from '../../support/useFakeOpenAI';
import { issueExample, useChatFolder } from '../../support/testRuns';

describe('runTests', () => {
  const { fake, model } = useFakeOpenAI({ timeoutMs: 5000 });
  const folder = useChatFolder();

  test('the issue example passes: memory reaches the second turn, events come in order', async () => {
    await folder.write('chat.prompt-test.yaml', issueExample);
    fake.enqueue({ reply: 'Ahoy Ada!' }, { reply: 'Yer name be ada, matey.' });
    const events: TestRunEvent[] = [];
    const report = await runTests({ files: [await folder.run('chat.prompt-test.yaml')], model: model(), concurrency: 1, onEvent: (event) => events.push(event) });
    assert.deepEqual(report.summary, { conversations: 1, passed: 1, failed: 0, assertions: 4, failedAssertions: 0 });
    assert.deepEqual(report.models, ['gpt-4o-mini']);
    const [outcome] = report.outcomes;
    assert.equal(outcome?.passRate, 1);
    const second = outcome!.attempts[0]!.turns[1]!;
    assert.equal(second.prompt, 'System: You are a pirate chatbot.\nHuman: My name is Ada.\nAI: Ahoy Ada!\nHuman: What is my name?');
    assert.ok(second.trace?.includes('Prompt after formatting:\nSystem: You are a pirate chatbot.'));
    assert.equal(second.assertions[1]?.message, 'reply matches `(?i)\\bada\\b` (`ada`)');
    // The second request carries the first turn: the memory was the test's own.
    assert.deepEqual(fake.requests[1]!.body.messages.map((m: { content: string }) => m.content), ['You are a pirate chatbot.', 'My name is Ada.', 'Ahoy Ada!', 'What is my name?']);
    assert.deepEqual(events.map((event) => (event.type === 'turn-finished' ? `turn ${event.turn.index}` : event.type)), ['conversation-started', 'turn 0', 'turn 1', 'conversation-finished']);
  });

  test('a forgetful reply fails with what was expected and what came', async () => {
    await folder.write('chat.prompt-test.yaml', issueExample);
    fake.enqueue({ reply: 'Hello there!' }, { reply: "I don't know your name." });
    const report = await runTests({ files: [await folder.run('chat.prompt-test.yaml')], model: model(), concurrency: 1 });
    assert.deepEqual(report.summary, { conversations: 1, passed: 0, failed: 1, assertions: 4, failedAssertions: 3 });
    const [first, second] = report.outcomes[0]!.attempts[0]!.turns;
    assert.equal(first?.assertions[0]?.message, 'reply does not contain `Ada`');
    assert.equal(first?.assertions[0]?.actual, 'Hello there!');
    assert.deepEqual(second?.assertions.map((a) => [a.pass, a.message]), [
      [true, 'prompt contains `Human: My name is Ada.`'],
      [false, 'reply does not match `(?i)\\bada\\b`'],
      [false, "reply contains `I don't know`"],
    ]);
  });

  test('a turn that fails stops its attempt; its kind is kept', async () => {
    await folder.write('chat.prompt-test.yaml', issueExample);
    fake.enqueue({ fault: 'status', status: 401 });
    const report = await runTests({ files: [await folder.run('chat.prompt-test.yaml')], model: model(), concurrency: 1 });
    const turns = report.outcomes[0]!.attempts[0]!.turns;
    assert.equal(turns.length, 1);
    assert.equal(turns[0]?.failure?.kind, 'auth');
    assert.equal(report.outcomes[0]?.pass, false);
    assert.equal(fake.requests.length, 1);
  });

  test('repeat with pass_rate: the share of passing attempts decides', async () => {
    const yaml = (rate: number) => `prompt: chatbot-chat.prompt\nconversations:\n  - name: greets\n    vars: { persona: kind }\n    repeat: 4\n    pass_rate: ${rate}\n    turns:\n      - input: Hi\n        expect:\n          - starts_with: Hello\n`;
    for (const [rate, pass] of [[0.5, true], [0.75, false]] as const) {
      await folder.write('repeat.prompt-test.yaml', yaml(rate));
      fake.enqueue({ reply: 'Hello!' }, { reply: 'Hi!' }, { reply: 'Hello.' }, { reply: 'Hey' });
      const report = await runTests({ files: [await folder.run('repeat.prompt-test.yaml')], model: model(), concurrency: 1 });
      const outcome = report.outcomes[0]!;
      assert.equal(outcome.attempts.length, 4);
      assert.equal(outcome.passRate, 0.5);
      assert.equal(outcome.pass, pass, `pass_rate ${rate}`);
      fake.reset();
    }
  });

  test('two models: every conversation runs on each, reported side by side in order', async () => {
    await folder.write('models.prompt-test.yaml', `prompt: chatbot-chat.prompt\nconversations:\n  - name: one\n    vars: { persona: x }\n    turns:\n      - input: Hi\n        expect: [{ contains: "Hi" }]\n  - name: two\n    vars: { persona: x }\n    turns:\n      - input: Bye\n        expect: [{ contains: "Bye" }]\n`);
    const report = await runTests({ files: [await folder.run('models.prompt-test.yaml')], model: model(), models: ['gpt-4o-mini', 'gpt-4o'], concurrency: 3 });
    assert.deepEqual(report.models, ['gpt-4o-mini', 'gpt-4o']);
    assert.deepEqual(report.outcomes.map((o) => `${o.conversation}/${o.model}/${o.pass}`), ['one/gpt-4o-mini/true', 'one/gpt-4o/true', 'two/gpt-4o-mini/true', 'two/gpt-4o/true']);
    assert.deepEqual(fake.requests.map((r) => `${r.body.model}:${r.body.messages.at(-1).content}`).sort(), ['gpt-4o-mini:Bye', 'gpt-4o-mini:Hi', 'gpt-4o:Bye', 'gpt-4o:Hi']);
  });

  test('history: FILE starts the memory from a FileChatMessageHistory and never writes it', async () => {
    const history = '[{"type": "human", "data": {"content": "I am Grace.", "additional_kwargs": {}, "response_metadata": {}, "type": "human", "name": null, "id": null, "example": false}}, {"type": "ai", "data": {"content": "Hi Grace.", "additional_kwargs": {}, "response_metadata": {}, "type": "ai", "name": null, "id": null, "example": false, "tool_calls": [], "invalid_tool_calls": [], "usage_metadata": null}}]';
    const historyPath = await folder.write('histories/grace.json', history);
    await folder.write('history.prompt-test.yaml', `prompt: chatbot-chat.prompt\nconversations:\n  - name: from history\n    vars: { persona: kind }\n    history: histories/grace.json\n    repeat: 2\n    turns:\n      - input: Who am I?\n        expect:\n          - prompt_contains: "Human: I am Grace.\\nAI: Hi Grace.\\nHuman: Who am I?"\n`);
    const report = await runTests({ files: [await folder.run('history.prompt-test.yaml')], model: model(), concurrency: 1 });
    assert.equal(report.outcomes[0]?.pass, true, JSON.stringify(report.outcomes[0]?.attempts[0]?.turns[0]?.assertions));
    // Each attempt starts from the file again, not from the attempt before.
    assert.equal(fake.requests[1]!.body.messages.length, 4);
    assert.equal(await readFile(historyPath, 'utf8'), history);
  });

  test('a history that is not one fails the conversation at its first turn, with its kind', async () => {
    await folder.write('histories/bad.json', '{"not": "a list"}');
    await folder.write('bad.prompt-test.yaml', `prompt: chatbot-chat.prompt\nconversations:\n  - name: bad history\n    vars: { persona: kind }\n    history: histories/bad.json\n    turns:\n      - input: Hi\n`);
    const report = await runTests({ files: [await folder.run('bad.prompt-test.yaml')], model: model() });
    const turn = report.outcomes[0]!.attempts[0]!.turns[0]!;
    assert.equal(turn.failure?.kind, 'history');
    assert.match(turn.failure!.message, /not an array/);
    assert.equal(fake.requests.length, 0);
  });

  test('--filter and only pick conversations', async () => {
    await folder.write('models.prompt-test.yaml', `prompt: chatbot-chat.prompt\nconversations:\n  - name: Greets\n    vars: { persona: x }\n    turns: [{ input: Hi }]\n  - name: leaves\n    vars: { persona: x }\n    turns: [{ input: Bye }]\n`);
    const run = await folder.run('models.prompt-test.yaml');
    assert.deepEqual((await runTests({ files: [run], model: model(), filter: 'greet' })).outcomes.map((o) => o.conversation), ['Greets']);
    assert.deepEqual((await runTests({ files: [run], model: model(), only: [{ file: run.file, conversation: 'leaves' }] })).outcomes.map((o) => o.conversation), ['leaves']);
  });

  test('at most `concurrency` conversations are under way; a cancel ends the run without their outcomes', async () => {
    const conversations = [1, 2, 3].map((n) => `  - name: c${n}\n    vars: { persona: x }\n    turns: [{ input: "q${n}" }]\n`).join('');
    await folder.write('pool.prompt-test.yaml', `prompt: chatbot-chat.prompt\nconversations:\n${conversations}`);
    fake.enqueue({ fault: 'hang' }, { fault: 'hang' }, { fault: 'hang' });
    const controller = new AbortController();
    const running = runTests({ files: [await folder.run('pool.prompt-test.yaml')], model: model(), concurrency: 2, signal: controller.signal });
    await fake.waitForHang(2);
    assert.equal(fake.requests.length, 2);
    controller.abort();
    const report = await running;
    assert.equal(report.cancelled, true);
    assert.deepEqual(report.outcomes, []);
    assert.equal(fake.requests.length, 2);
  });

  test('every file failure the host found is reported as given', async () => {
    const failure = { file: 'gone.prompt-test.yaml', problems: [{ code: 'test-prompt-missing' as const, message: 'gone.prompt: no such file', span: { start: 0, end: 4 }, severity: 'error' as const }] };
    const report = await runTests({ files: [], fileFailures: [failure], model: model() });
    assert.deepEqual(report.fileFailures, [failure]);
    assert.equal(report.summary.conversations, 0);
  });

  test('results are written nowhere but the report (no snapshot folder without --update)', async () => {
    await folder.write('chat.prompt-test.yaml', issueExample);
    await runTests({ files: [await folder.run('chat.prompt-test.yaml')], model: model() });
    await assert.rejects(readFile(join(folder.dir, '__snapshots__', 'chat.snap.yaml')), { code: 'ENOENT' });
  });
});
