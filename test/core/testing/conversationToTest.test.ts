import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { conversationToTest, type SaveAsTestRequest } from '../../../core/testing/conversationToTest';
import { snapshotPathOf } from '../../../core/testing/snapshots';
import { runTests } from '../../../core/testing/runTests';
import type { HistoryEntry } from '../../../core/chain/types';
import { useFakeOpenAI } from '../../support/useFakeOpenAI';
import { issueExample, useChatFolder } from '../../support/testRuns';

const entries: HistoryEntry[] = [
  { input: 'My name is Ada.', output: 'Ahoy Ada!' },
  { input: 'What is my name?\nSay it twice.', output: 'Ada.\nAda.' },
];

describe('conversationToTest', () => {
  const { fake, model } = useFakeOpenAI({ timeoutMs: 5000 });
  const folder = useChatFolder();

  const request = (extra: Partial<SaveAsTestRequest> = {}): SaveAsTestRequest => {
    const testFilePath = join(folder.dir, 'chatbot-chat.prompt-test.yaml');
    return { promptPath: join(folder.dir, 'chatbot-chat.prompt'), testFilePath, snapshotPath: snapshotPathOf(testFilePath), entries, vars: { persona: 'pirate' }, model: 'gpt-4o-mini', name: 'saved conversation', ...extra };
  };

  /** Writes what was saved and runs it with the fake answering `replies`. */
  const runSaved = async (saved: { testFileText: string; snapshotText: string }, replies: string[]) => {
    await folder.write('chatbot-chat.prompt-test.yaml', saved.testFileText);
    await folder.write('__snapshots__/chatbot-chat.snap.yaml', saved.snapshotText);
    fake.enqueue(...replies.map((reply) => ({ reply })));
    return runTests({ files: [await folder.run('chatbot-chat.prompt-test.yaml')], model: model(), concurrency: 1 });
  };

  test('a new test file whose snapshots pass on the same replies and fail on others', async () => {
    const saved = conversationToTest(request());
    assert.equal(saved.conversation, 'saved conversation');
    assert.equal(saved.turns, 2);
    assert.equal(
      saved.testFileText,
      'prompt: chatbot-chat.prompt\nconversations:\n  - name: saved conversation\n    vars:\n      persona: pirate\n    turns:\n      - input: My name is Ada.\n        expect:\n          - snapshot: true\n      - input: |-\n          What is my name?\n          Say it twice.\n        expect:\n          - snapshot: true\n',
    );
    const same = await runSaved(saved, ['Ahoy Ada!', 'Ada.\nAda.']);
    assert.deepEqual(same.summary, { conversations: 1, passed: 1, failed: 0, assertions: 2, failedAssertions: 0 });
    // The persona reached the prompt: the saved vars are the turns' own.
    assert.equal(fake.requests[0]!.body.messages[0].content, 'You are a pirate chatbot.');
    const changed = await runSaved(saved, ['Ahoy Ada!', 'Ada.']);
    assert.equal(changed.summary.failedAssertions, 1);
    assert.deepEqual(changed.outcomes[0]!.attempts[0]!.turns[1]!.snapshot?.diff, [
      { op: 'same', text: 'Ada.' },
      { op: 'removed', text: 'Ada.' },
    ]);
  });

  test('an existing test file keeps what it holds, comments included; the name is made unique', async () => {
    const first = conversationToTest(request({ testFileText: issueExample, name: 'remembers the name' }));
    assert.equal(first.conversation, 'remembers the name 2');
    assert.ok(first.testFileText.startsWith(issueExample.trimEnd()), first.testFileText);
    assert.ok(first.testFileText.includes('# other variables, optional'));
    const second = conversationToTest(request({ testFileText: first.testFileText, snapshotText: first.snapshotText, name: 'remembers the name' }));
    assert.equal(second.conversation, 'remembers the name 3');
    const report = await runSaved(second, ['Ahoy Ada!', 'Yer name be Ada.', 'Ahoy Ada!', 'Ada.\nAda.', 'Ahoy Ada!', 'Ada.\nAda.']);
    assert.deepEqual(report.outcomes.map((outcome) => [outcome.conversation, outcome.pass]), [
      ['remembers the name', true],
      ['remembers the name 2', true],
      ['remembers the name 3', true],
    ]);
  });

  test('a CRLF test file stays CRLF, a list at column 0 stays at column 0', () => {
    const crlf = issueExample.replace(/\n/g, '\r\n');
    const saved = conversationToTest(request({ testFileText: crlf }));
    assert.ok(saved.testFileText.startsWith(crlf));
    assert.equal(saved.testFileText.replace(/\r\n/g, '').includes('\n'), false);
    const flush = conversationToTest(request({ testFileText: 'prompt: chatbot-chat.prompt\nconversations:\n- name: a\n  turns:\n  - input: hi\n    expect: [{ contains: hi }]\n' }));
    assert.match(flush.testFileText, /\n- name: saved conversation\n {2}vars:\n/);
  });

  test("refused, with why: a test file of another prompt, broken YAML, a snapshot file that cannot be read, no turns", () => {
    assert.throws(() => conversationToTest(request({ testFileText: 'prompt: other.prompt\nconversations: []\n' })), /tests another prompt \(`prompt: other.prompt`\)/);
    assert.throws(() => conversationToTest(request({ testFileText: 'prompt: [\n' })), /chatbot-chat.prompt-test.yaml: has a YAML error/);
    assert.throws(() => conversationToTest(request({ snapshotText: 'just text\n' })), /not a snapshot file/);
    assert.throws(() => conversationToTest(request({ entries: [{ lone: { type: 'system', content: 'x' } }] })), /no turns to save/);
  });
});
