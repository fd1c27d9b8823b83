// Prompt tests on disk for runner tests: a throw-away folder holding a prompt and its `.prompt-test.yaml`,
// parsed by the real parser and the prompt resolved as the hosts resolve it.

import { after, before } from 'node:test';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parsePrompt } from '../../core/format/parse';
import { resolveConfig } from '../../core/chain/config';
import { parseTestFile } from '../../core/testing/testFile';
import type { TestFileRun } from '../../core/testing/runTests';

export const chatPrompt = ['---', 'input_key: human_input', 'memory:', '  key: chat_history', '  return_messages: true', '---', 'system:', 'You are a {persona} chatbot.', '', 'placeholder:', '{chat_history}', '', 'human:', '{human_input}', ''].join('\n');

/** The test file of issue 12, as the issue writes it (its comment included): for the parser and the runner. */
export const issueExample = `prompt: chatbot-chat.prompt
conversations:
  - name: remembers the name
    vars: { persona: pirate }          # other variables, optional
    turns:
      - input: My name is Ada.
        expect:
          - contains: Ada
      - input: What is my name?
        expect:
          - prompt_contains: "Human: My name is Ada."
          - regex: "(?i)\\\\bada\\\\b"
          - not_contains: "I don't know"
`;

export interface TestFolder {
  readonly dir: string;
  /** Writes `text` at `name` (folders made as needed). */
  write(name: string, text: string): Promise<string>;
  read(name: string): Promise<string>;
  /** The test file `name`, parsed (its problems must be none) with its prompt loaded. */
  run(name: string): Promise<TestFileRun>;
  remove(): Promise<void>;
}

export async function testFolder(): Promise<TestFolder> {
  const dir = await mkdtemp(join(tmpdir(), 'prompt-tests-'));
  return {
    dir,
    write: async (name, text) => {
      const path = join(dir, name);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, text);
      return path;
    },
    read: (name) => readFile(join(dir, name), 'utf8'),
    run: async (name) => {
      const path = join(dir, name);
      const test = parseTestFile(await readFile(path, 'utf8'));
      if (test.problems.length > 0) throw new Error(`${name}: ${test.problems.map((p) => p.message).join('; ')}`);
      const prompt = parsePrompt(await readFile(resolve(dirname(path), test.prompt), 'utf8'));
      return { file: name, path, test, prompt, config: resolveConfig(prompt, { model: 'gpt-4o-mini' }) };
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/**
 * A test folder holding `chatbot-chat.prompt` (chatPrompt) for the tests of one `describe`: made before the
 * first, removed after the last. Call in the describe body; the folder is usable from the hooks and tests.
 */
export function useChatFolder(): TestFolder {
  let made: TestFolder | undefined;
  const folder = (): TestFolder => {
    if (!made) throw new Error('useChatFolder: the folder is made in the before hook; use it from the tests');
    return made;
  };
  before(async () => {
    made = await testFolder();
    await made.write('chatbot-chat.prompt', chatPrompt);
  });
  after(() => made?.remove());
  return {
    get dir() {
      return folder().dir;
    },
    write: (name, text) => folder().write(name, text),
    read: (name) => folder().read(name),
    run: (name) => folder().run(name),
    remove: () => folder().remove(),
  };
}
