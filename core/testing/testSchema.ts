// The keys of a `.prompt-test.yaml` and its assertions: what each holds and one line about it. The parser
// checks against this table and the language service reads it for completion and hover, so a key is
// described in exactly one place (docs/prompt-tests.md mirrors it for readers).

import type { AssertionKind } from './types';

/** Where a key is written: the file, a conversation, a turn, or the map form of `judge:` / `json:`. */
export type TestBlock = 'file' | 'conversation' | 'turn' | 'judge' | 'json';

export type TestValueKind = 'text' | 'integer' | 'number' | 'map' | 'list' | 'any';

export interface TestKeySchema {
  readonly key: string;
  readonly kind: TestValueKind;
  readonly description: string;
  readonly required?: boolean;
  /** What applies when the key is absent. */
  readonly default?: string;
  /** Inclusive bounds of a number. */
  readonly min?: number;
  readonly max?: number;
  /** The value as written after `key: ` by completion (`$1` marks where the cursor goes). */
  readonly snippet: string;
}

export const testKeys: Readonly<Record<TestBlock, readonly TestKeySchema[]>> = {
  file: [
    { key: 'prompt', kind: 'text', required: true, description: 'The `.prompt` file under test, relative to this file.', snippet: '${1:chat.prompt}' },
    { key: 'conversations', kind: 'list', required: true, description: 'The test cases: each conversation starts from its own memory and runs its turns in order.', snippet: '\n  - name: ${1:remembers the name}\n    turns:\n      - input: ${2}' },
  ],
  conversation: [
    { key: 'name', kind: 'text', required: true, description: 'What the conversation checks; unique in the file (the Testing view and reports show it).', snippet: '${1}' },
    { key: 'vars', kind: 'map', default: 'none', description: "Values for the prompt's variables other than the input and the memory, the same for every turn.", snippet: '\n  ${1:name}: ${2:value}' },
    { key: 'history', kind: 'text', default: 'empty memory', description: "A LangChain FileChatMessageHistory JSON file (relative to this file) the memory starts from; it is read, never written.", snippet: '${1:history.json}' },
    { key: 'repeat', kind: 'integer', min: 1, default: '1', description: 'How many times the conversation runs, each from fresh memory: for models that answer differently each time.', snippet: '${1:5}' },
    { key: 'pass_rate', kind: 'number', min: 0, max: 1, default: '1', description: 'The share of the `repeat` runs that must pass, 0 to 1.', snippet: '${1:0.8}' },
    { key: 'turns', kind: 'list', required: true, description: 'The turns in order: each `input` is sent as the user input, with the memory of the turns before it.', snippet: '\n  - input: ${1}' },
  ],
  turn: [
    { key: 'input', kind: 'text', required: true, description: "The user input of the turn (the value of the prompt's input variable).", snippet: '${1}' },
    { key: 'expect', kind: 'list', default: 'no assertions', description: 'Assertions on the reply (and on the formatted prompt); the turn passes when all of them pass.', snippet: '\n  - ${1:contains}: ${2}' },
  ],
  judge: [
    { key: 'rubric', kind: 'text', required: true, description: 'What the judge model grades the reply against.', snippet: '${1}' },
    { key: 'model', kind: 'text', default: 'the model the conversation runs on', description: 'The judge model, on the same endpoint.', snippet: '${1:gpt-4o}' },
  ],
  json: [{ key: 'schema', kind: 'any', required: true, description: 'A JSON Schema the parsed reply must be valid against.', snippet: '\n  type: ${1:object}' }],
};

export interface AssertionSchema {
  readonly kind: AssertionKind;
  readonly description: string;
  /** The value as written after `kind: ` by completion. */
  readonly snippet: string;
}

export const assertionSchemas: Readonly<Record<AssertionKind, AssertionSchema>> = {
  contains: { kind: 'contains', description: 'The reply contains this text (case-sensitive).', snippet: '${1:text}' },
  not_contains: { kind: 'not_contains', description: 'The reply does not contain this text (case-sensitive).', snippet: '${1:text}' },
  equals: { kind: 'equals', description: 'The reply is exactly this text.', snippet: '${1:text}' },
  starts_with: { kind: 'starts_with', description: 'The reply starts with this text.', snippet: '${1:text}' },
  regex: { kind: 'regex', description: 'The regular expression matches somewhere in the reply; a leading `(?i)`, `(?m)`, `(?s)` sets flags as in Python.', snippet: '"${1:pattern}"' },
  json: { kind: 'json', description: 'The reply parses as JSON (`json: true`), and is valid against a JSON Schema (`json: { schema: … }`).', snippet: '${1:true}' },
  max_tokens: { kind: 'max_tokens', description: "The reply counts at most this many tokens (the endpoint's completion tokens, else the model's tokenizer).", snippet: '${1:100}' },
  prompt_contains: { kind: 'prompt_contains', description: 'The formatted prompt sent to the model contains this text: proves the memory reached the model.', snippet: '"${1:Human: }"' },
  prompt_equals: { kind: 'prompt_equals', description: 'The formatted prompt sent to the model is exactly this text.', snippet: '|\n  ${1}' },
  snapshot: { kind: 'snapshot', description: 'The reply equals the baseline recorded by `prompt-chain test --update` (in `__snapshots__/` beside this file); a difference is shown line by line.', snippet: 'true' },
  judge: { kind: 'judge', description: 'A judge model grades the reply against a rubric (`judge: RUBRIC` or `judge: { rubric, model }`), through the same endpoint; its reasoning is in the report.', snippet: '${1:rubric}' },
};

/** The schema of `key` in `block`, or undefined for a key the block does not have. */
export function testKeyAt(block: TestBlock, key: string): TestKeySchema | undefined {
  return testKeys[block].find((schema) => schema.key === key);
}
