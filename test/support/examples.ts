// The two "Memory in LLMChain" prompt files, read from examples/ so the tests exercise the very files
// the project ships (test/cli/run.test.ts holds them to the text byte for byte). A test that needs
// the example with one thing changed names it with `variant`.

import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './build';

function readExample(name: string): string {
  return readFileSync(path.join(repoRoot, 'examples', name), 'utf8');
}

/** Example 1: a completion template with `{chat_history}` and `memory.key: chat_history`. */
export const completionExample = readExample('chatbot-completion.prompt');

/** Example 2: system, placeholder and human messages, with `return_messages: true`. */
export const chatExample = readExample('chatbot-chat.prompt');

/**
 * `text` with the first `from` replaced by `to`. Throws when `from` is not there, so a fixture cannot quietly
 * stop being the variant it claims to be when the example changes.
 */
export function variant(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`variant: ${JSON.stringify(from)} is not in the text`);
  return text.replace(from, () => to);
}

/** The classic mistake: the template's `{history}` does not match `memory.key: chat_history`. */
export const mismatchedExample = variant(completionExample, '{chat_history}', '{history}');
