import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTestFile } from '../../../core/testing/testFile';
import { checkTestFile } from '../../../service/testing/checkTestFile';
import { diskTestFileHost } from '../../../service/testing/diskHost';

let folder = '';
const slice = (text: string, span: { start: number; end: number }) => text.slice(span.start, span.end);

before(async () => {
  folder = await mkdtemp(join(tmpdir(), 'check-test-file-'));
  await mkdir(join(folder, 'prompts'));
  await writeFile(join(folder, 'prompts', 'pirate.prompt'), '---\ninput_key: input\nmemory:\n  key: history\n---\nsystem:\nYou are a {persona}. Tone: {tone}\n{history}\nuser:\n{input}\n');
  await writeFile(join(folder, 'prompts', 'partial.prompt'), '---\npartial_variables:\n  tone: dry\n---\n{history}\nHuman: {input} ({tone})\n');
  await writeFile(join(folder, 'prompts', 'broken.prompt'), '---\nmemory:\n  type: bufer\n---\n{history}\nHuman: {input}\n');
  await writeFile(join(folder, 'prompts', 'two-inputs.prompt'), '{history}\nHuman: {question} {context}\n');
  await writeFile(join(folder, 'past.json'), '[]');
});

after(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function check(text: string) {
  const testFilePath = join(folder, 'chat.prompt-test.yaml');
  const checked = await checkTestFile(parseTestFile(text), testFilePath, diskTestFileHost());
  return { ...checked, lines: checked.problems.map((problem) => `${problem.code} @ ${slice(text, problem.span)}`) };
}

const conversation = (prompt: string, vars: string, extra = '') =>
  `prompt: ${prompt}\nconversations:\n  - name: talks\n${vars}${extra}    turns:\n      - input: hi\n`;

describe('checkTestFile', () => {
  test('a prompt with every variable given: no problems, and its context comes back', async () => {
    const checked = await check(conversation('prompts/pirate.prompt', '    vars: { persona: pirate, tone: salty }\n'));
    assert.deepEqual(checked.lines, []);
    assert.equal(checked.promptPath, join(folder, 'prompts', 'pirate.prompt'));
    assert.equal(checked.prompt?.config.memory?.key, 'history');
  });

  test('a prompt that is not there', async () => {
    const checked = await check(conversation('prompts/nope.prompt', ''));
    assert.deepEqual(checked.lines, ['test-prompt-missing @ prompts/nope.prompt']);
    assert.equal(checked.problems[0]!.message, 'The prompt `prompts/nope.prompt` cannot be read: no such file or folder.');
    assert.equal(checked.prompt, undefined);
  });

  test('a prompt with errors: one problem at `prompt:`, with its first error', async () => {
    const checked = await check(conversation('prompts/broken.prompt', ''));
    assert.deepEqual(checked.lines, ['test-prompt-has-errors @ prompts/broken.prompt']);
    assert.match(checked.problems[0]!.message, /^The prompt `prompts\/broken.prompt` has errors, so none of its tests can run: line 3: .*bufer/);
  });

  test('a prompt without a single input variable', async () => {
    const checked = await check(conversation('prompts/two-inputs.prompt', ''));
    assert.deepEqual(checked.lines, ['test-prompt-has-errors @ prompts/two-inputs.prompt']);
    assert.match(checked.problems[0]!.message, /One input key expected got \['question', 'context'\]/);
  });

  test('unknown variables with a did-you-mean, the input and the memory named as such', async () => {
    const checked = await check(conversation('prompts/pirate.prompt', '    vars: { persona: pirate, tnoe: salty, input: x, history: y }\n'));
    assert.deepEqual(checked.lines, [
      'test-unknown-variable @ tnoe',
      'test-unknown-variable @ input',
      'test-unknown-variable @ history',
      'test-missing-variable @ talks',
    ]);
    const messages = checked.problems.map((problem) => problem.message);
    assert.equal(messages[0], 'The prompt has no variable `tnoe`. Did you mean `tone`?');
    assert.match(messages[1]!, /is the prompt's input variable/);
    assert.match(messages[2]!, /is the memory's variable/);
    assert.match(messages[3]!, /The prompt needs `tone` besides the input/);
  });

  test('a partial needs no value, and may be given one', async () => {
    assert.deepEqual((await check(conversation('prompts/partial.prompt', ''))).lines, []);
    assert.deepEqual((await check(conversation('prompts/partial.prompt', '    vars: { tone: wry }\n'))).lines, []);
  });

  test('a history file that is not there, relative to the test file', async () => {
    const present = await check(conversation('prompts/partial.prompt', '', '    history: past.json\n'));
    assert.deepEqual(present.lines, []);
    const missing = await check(conversation('prompts/partial.prompt', '', '    history: gone.json\n'));
    assert.deepEqual(missing.lines, ['test-history-missing @ gone.json']);
  });

  test('an open editor’s text is read before the disk’s (the host decides)', async () => {
    const text = conversation('prompts/pirate.prompt', '');
    const host = { ...diskTestFileHost(), readText: async () => '{history}\nHuman: {input}\n' };
    const checked = await checkTestFile(parseTestFile(text), join(folder, 'chat.prompt-test.yaml'), host);
    assert.deepEqual(checked.problems, []);
  });
});
