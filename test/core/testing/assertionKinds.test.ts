// Every assertion kind, passing and failing, through the real runner against the fake OpenAI server: what
// the report says of each (message, expected, actual, the judge's reasoning), and what the judge was asked.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runTests } from '../../../core/testing/runTests';
import type { AssertionOutcome, TestRunReport } from '../../../core/testing/types';
import { useFakeOpenAI } from '../../support/useFakeOpenAI';
import { useChatFolder } from '../../support/testRuns';

const testFile = `prompt: chatbot-chat.prompt
conversations:
  - name: every kind
    vars: { persona: careful }
    turns:
      - input: Greet me.
        expect:
          - equals: Hello, Ada.
          - starts_with: Hello
      - input: Your data as JSON.
        expect:
          - json: true
          - json:
              schema:
                type: object
                required: [name]
                properties:
                  age: { type: integer }
      - input: One word.
        expect:
          - max_tokens: 3
      - input: Again.
        expect:
          - prompt_equals: "System: You are a careful chatbot.\\nHuman: Greet me.\\nAI: Hello, Ada.\\nHuman: Your data as JSON.\\nAI: {\\"name\\": \\"Ada\\", \\"age\\": 36}\\nHuman: One word.\\nAI: Fine.\\nHuman: Again."
          - judge: The reply greets the user by name.
`;

const passingReplies = ['Hello, Ada.', '{"name": "Ada", "age": 36}', 'Fine.', 'Hi Ada!'];
const failingReplies = ['Hi, Ada.', '```json\n{"name": "Ada"}\n```', 'one two three four five six seven eight', 'Hi there!'];

describe('assertion kinds', () => {
  const { fake, model } = useFakeOpenAI({ timeoutMs: 5000 });
  const folder = useChatFolder();
  before(async () => {
    await folder.write('kinds.prompt-test.yaml', testFile);
  });

  const run = async (): Promise<TestRunReport> => runTests({ files: [await folder.run('kinds.prompt-test.yaml')], model: model(), concurrency: 1 });
  const assertionsOf = (report: TestRunReport): AssertionOutcome[] => report.outcomes[0]!.attempts[0]!.turns.flatMap((turn) => turn.assertions);

  test('each kind passes on a reply that meets it; the judge is asked with the rubric, input and reply', async () => {
    fake.enqueue(...passingReplies.map((reply) => ({ reply })), { reply: 'Sure: {"reasoning": "It greets Ada by name.", "pass": true}' });
    const report = await run();
    const outcomes = assertionsOf(report);
    assert.deepEqual(outcomes.map((a) => [a.assertion.kind, a.pass]), [
      ['equals', true], ['starts_with', true], ['json', true], ['json', true], ['max_tokens', true], ['prompt_equals', true], ['judge', true],
    ]);
    assert.equal(report.summary.failedAssertions, 0);
    assert.equal(outcomes[3]?.message, 'reply is JSON valid against the schema');
    assert.match(outcomes[4]!.message, /^reply has \d+ tokens? \(as the endpoint counts them\), within the limit of 3$/);
    assert.equal(outcomes[6]?.reasoning, 'It greets Ada by name.');
    // The fifth request is the judge's: the rubric, the turn's input and its reply, at temperature 0.
    const judgeRequest = fake.requests[4]!.body;
    assert.equal(judgeRequest.temperature, 0);
    const asked = judgeRequest.messages.at(-1).content as string;
    assert.equal(asked, 'Rubric:\nThe reply greets the user by name.\n\nInput:\nAgain.\n\nReply:\nHi Ada!');
    assert.equal(fake.requests.length, 5, 'one request per turn, one for the judge');
  });

  test('each kind fails on a reply that misses it, saying what was expected and what came', async () => {
    fake.enqueue(...failingReplies.map((reply) => ({ reply })), { reply: '{"reasoning": "It never says the name.", "pass": false}' });
    const outcomes = assertionsOf(await run());
    assert.deepEqual(outcomes.map((a) => [a.assertion.kind, a.pass]), [
      ['equals', false], ['starts_with', false], ['json', false], ['json', false], ['max_tokens', false], ['prompt_equals', false], ['judge', false],
    ]);
    const [equals, startsWith, json, schema, maxTokens, promptEquals, judge] = outcomes;
    assert.deepEqual([equals?.expected, equals?.actual], ['Hello, Ada.', 'Hi, Ada.']);
    assert.equal(startsWith?.actual, 'Hi, Ada.');
    assert.match(json!.message, /^reply is not JSON \(it is wrapped in a ``` fence: ask the model for bare JSON\): /);
    assert.match(schema!.message, /^reply is not JSON/);
    assert.match(maxTokens!.message, /^reply has \d+ tokens \(as the endpoint counts them\), over the limit of 3$/);
    assert.equal(maxTokens?.expected, 'at most 3 tokens');
    // The prompt holds this conversation's replies, so it differs from the one written for the passing replies.
    assert.ok(promptEquals?.actual?.includes('AI: Hi, Ada.'));
    assert.equal(judge?.reasoning, 'It never says the name.');
    assert.match(judge!.message, /^the judge \(gpt-4o-mini\) failed the reply on /);
  });

  test('a reply valid JSON but not valid against the schema names the schema error', async () => {
    const replies = ['Hello, Ada.', '{"age": "old"}', 'Fine.', 'Hi Ada!'];
    fake.enqueue(...replies.map((reply) => ({ reply })), { reply: '{"reasoning": "ok", "pass": true}' });
    const [, , json, schema] = assertionsOf(await run());
    assert.equal(json?.pass, true);
    assert.equal(schema?.pass, false);
    assert.match(schema!.message, /^reply is JSON but not valid against the schema: .*required property 'name'/);
    assert.match(schema!.message, /must be integer/);
  });

  test('a judge whose answer holds no verdict fails the assertion with its reply, and the run goes on', async () => {
    fake.enqueue(...passingReplies.map((reply) => ({ reply })), { reply: 'I think it is fine.' });
    const report = await run();
    const judge = assertionsOf(report).at(-1);
    assert.equal(judge?.pass, false);
    assert.match(judge!.message, /^the judge \(gpt-4o-mini\) gave no verdict on .*: its reply holds no JSON object$/);
    assert.equal(judge?.reasoning, 'I think it is fine.');
    assert.equal(report.summary.failedAssertions, 1);
  });
});
