// The one `.prompt` writer: what it writes reads back as the prompt it was given (templates, messages,
// partials, format, memory, input key) and checks clean, or it refuses with the reason; never a file that
// means something else.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { promptFileOf } from '../../../core/interop/promptFile';
import { InteropError, type ImportedMemory, type ImportedPrompt } from '../../../core/interop/types';
import { promptClassOf, type LangChainMessage, type LangChainPromptClass } from '../../../core/interop/langchainPrompt';
import type { MemoryType, ModelParameters, TemplateFormat } from '../../../core/format/model';
import { parsePrompt } from '../../../core/format/parse';
import { resolveConfig } from '../../../core/chain/config';
import { chooseInputKey } from '../../../core/chain/inputKey';
import { chatExample, completionExample } from '../../support/examples';

const NUM_RUNS = Number(process.env.PROMPT_FILE_RUNS ?? 300);

// ---- what a written file reads back as ---------------------------------------------------------------

function readBack(text: string) {
  const doc = parsePrompt(text);
  const config = resolveConfig(doc, {});
  const prompt = promptClassOf(doc.body);
  const errors = doc.problems.filter((problem) => problem.severity === 'error').map((problem) => problem.code);
  return { doc, config, prompt, errors };
}

function assertReadsBackAs(imported: ImportedPrompt): string {
  const text = promptFileOf(imported);
  const { doc, config, prompt, errors } = readBack(text);
  assert.deepEqual(errors, [], text);
  assert.deepEqual(prompt, imported.prompt, text);
  assert.equal(config.templateFormat, imported.templateFormat, text);
  assert.deepEqual(config.partialVariables, { ...imported.partialVariables }, text);
  assert.equal(doc.frontMatter?.name?.value, imported.name);
  assert.equal(doc.frontMatter?.description?.value, imported.description);
  assert.equal(doc.frontMatter?.model?.value, imported.model);
  assert.deepEqual(config.parameters, { ...imported.parameters });
  if (imported.inputKey !== undefined) assert.equal(chooseInputKey(doc.body, config), imported.inputKey, text);
  assertMemory(config.memory, imported.memory, text);
  return text;
}

function assertMemory(read: ReturnType<typeof resolveConfig>['memory'], memory: ImportedPrompt['memory'], text: string): void {
  if (memory === false) return assert.equal(read, undefined, text);
  assert.ok(read, text);
  const type = memory?.type ?? 'buffer';
  assert.equal(read.type, type, text);
  assert.equal(read.key, memory?.key ?? 'history', text);
  assert.equal(read.returnMessages, memory?.returnMessages ?? false, text);
  assert.equal(read.humanPrefix, memory?.humanPrefix ?? 'Human', text);
  assert.equal(read.aiPrefix, memory?.aiPrefix ?? 'AI', text);
  if (type === 'buffer_window') assert.equal(read.k, memory?.k ?? 5, text);
  if (type === 'summary_buffer' || type === 'token_buffer') assert.equal(read.maxTokenLimit, memory?.maxTokenLimit ?? 2000, text);
}

function refusal(imported: ImportedPrompt): InteropError {
  try {
    promptFileOf(imported);
  } catch (error) {
    if (error instanceof InteropError) return error;
    throw error;
  }
  assert.fail('promptFileOf wrote a file for a prompt it cannot hold');
}

// ---- the examples and the cases the body syntax makes hard -----------------------------------------------

describe('promptFileOf', () => {
  test('writes the examples as the files the project ships', () => {
    const chat: ImportedPrompt = {
      prompt: {
        kind: 'chat',
        messages: [
          { kind: 'message', role: 'system', template: 'You are a chatbot having a conversation with a human.' },
          { kind: 'placeholder', variableName: 'chat_history' },
          { kind: 'message', role: 'human', template: '{human_input}' },
        ],
      },
      templateFormat: 'f-string',
      memory: { key: 'chat_history', returnMessages: true },
    };
    assert.equal(assertReadsBackAs(chat), chatExample);
    const completion: ImportedPrompt = {
      prompt: { kind: 'prompt', template: 'You are a chatbot having a conversation with a human.\n\n{chat_history}\nHuman: {human_input}\nChatbot:' },
      templateFormat: 'f-string',
      memory: { key: 'chat_history' },
    };
    assert.equal(assertReadsBackAs(completion), completionExample);
  });

  test('writes no front matter for a prompt with every default', () => {
    assert.equal(promptFileOf({ prompt: { kind: 'prompt', template: 'Hi {input}' }, templateFormat: 'f-string' }), 'Hi {input}\n');
    assert.equal(promptFileOf({ prompt: { kind: 'prompt', template: 'Hi {input}' }, templateFormat: 'f-string', memory: {} }), 'Hi {input}\n');
  });

  test('a completion template with role-header lines or a leading fence gets `api: completion`', () => {
    for (const template of ['system:\n{input}', '---\n{input}\n---', '\uFEFF{input}', 'human:']) {
      const text = assertReadsBackAs({ prompt: { kind: 'prompt', template }, templateFormat: 'f-string' });
      assert.match(text, /^---\napi: completion\n---\n/);
    }
  });

  test('keeps trailing and leading blank lines of a completion template', () => {
    assertReadsBackAs({ prompt: { kind: 'prompt', template: '\n\n{input}\n\n' }, templateFormat: 'f-string' });
    assertReadsBackAs({ prompt: { kind: 'prompt', template: '' }, templateFormat: 'f-string' });
  });

  test('quotes front matter strings that YAML would read as something else', () => {
    const text = assertReadsBackAs({
      prompt: { kind: 'prompt', template: '{a} {b}' },
      templateFormat: 'f-string',
      name: 'true',
      description: 'line one\n---\nline two',
      model: '1.5',
      partialVariables: { b: 'null', '1': ' lead', 'x: y': '#' },
      inputKey: 'a',
      memory: { key: 'no', humanPrefix: 'yes', aiPrefix: '~' },
    });
    assert.match(text, /name: "true"/);
  });

  test('writes mustache placeholders with double braces', () => {
    const text = assertReadsBackAs({
      prompt: { kind: 'chat', messages: [{ kind: 'placeholder', variableName: 'history' }, { kind: 'message', role: 'human', template: '{{input}}' }] },
      templateFormat: 'mustache',
      memory: { returnMessages: true },
    });
    assert.match(text, /placeholder:\n\{\{history\}\}\n/);
  });

  test('writes input_key only when the file alone would not choose it', () => {
    const base: ImportedPrompt = { prompt: { kind: 'prompt', template: '{history} {question} {context}' }, templateFormat: 'f-string', memory: { key: 'history' } };
    assert.match(assertReadsBackAs({ ...base, inputKey: 'question' }), /input_key: question/);
    const single: ImportedPrompt = { ...base, prompt: { kind: 'prompt', template: '{history} {question}' }, inputKey: 'question' };
    assert.doesNotMatch(assertReadsBackAs(single), /input_key/);
  });

  test('writes `memory: false` and only the memory settings the type reads', () => {
    assert.match(assertReadsBackAs({ prompt: { kind: 'prompt', template: '{input}' }, templateFormat: 'f-string', memory: false }), /memory: false/);
    const text = assertReadsBackAs({
      prompt: { kind: 'prompt', template: '{history}{input}' },
      templateFormat: 'f-string',
      memory: { type: 'buffer', k: 3, maxTokenLimit: 10 },
    });
    assert.doesNotMatch(text, /k:|max_token_limit/);
    assert.equal(parsePrompt(text).problems.length, 0);
  });

  test('refuses chat templates the body syntax cannot hold, naming the message', () => {
    const chat = (template: string): ImportedPrompt => ({
      prompt: { kind: 'chat', messages: [{ kind: 'message', role: 'system', template: 'Be brief.' }, { kind: 'message', role: 'human', template }] },
      templateFormat: 'f-string',
    });
    assert.match(refusal(chat('first\nsystem:\nsecond')).message, /Message 2 \(human\) has a line `system:`/);
    assert.match(refusal(chat('{input}\n')).message, /Message 2 \(human\) starts or ends with a blank line/);
    assert.match(refusal(chat('  \n{input}')).message, /starts or ends with a blank line/);
    assert.match(refusal(chat('a\r\nb')).message, /carriage return/);
    assert.match(refusal({ prompt: { kind: 'chat', messages: [] }, templateFormat: 'f-string' }).message, /no messages/);
  });

  test('refuses what would not check clean, with the parser’s reason', () => {
    assert.match(refusal({ prompt: { kind: 'prompt', template: 'Hi {name!r}' }, templateFormat: 'f-string' }).message, /would not check clean/);
    const placeholder: ImportedPrompt = { prompt: { kind: 'chat', messages: [{ kind: 'placeholder', variableName: 'a.b' }] }, templateFormat: 'f-string' };
    assert.equal(refusal(placeholder).kind, 'invalid-source');
    const long: ImportedPrompt = { prompt: { kind: 'prompt', template: '{input}' }, templateFormat: 'f-string', description: 'x'.repeat(5000) };
    assert.match(refusal(long).message, /over the 4096/);
  });

  test('generated prompts read back exactly (property)', () => {
    fc.assert(fc.property(importedPrompt, (imported) => void assertReadsBackAs(imported)), { numRuns: NUM_RUNS });
  });
});

// ---- generated prompts that a .prompt file can hold ----------------------------------------------------

const name = fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/);
// Text with everything the body syntax makes special: header words, colons, fences, blank lines, spaces.
const textChunk = fc.oneof(
  fc.constantFrom('system:', 'human:', 'ai:', 'placeholder:', 'user:', '---', ' ', '\n', '\n\n', 'Human: ', ':', '\t', 'é', '😀'),
  fc.string({ maxLength: 6 }).map((text) => text.replace(/[{}\r\0]/g, '')),
);
const fstringChunk = fc.oneof(textChunk, fc.constantFrom('{{', '}}'), name.map((variable) => `{${variable}}`));
const mustacheChunk = fc.oneof(textChunk, name.map((variable) => `{{${variable}}}`));

function template(format: TemplateFormat): fc.Arbitrary<string> {
  const chunks = fc.array(format === 'mustache' ? mustacheChunk : fstringChunk, { maxLength: 10 });
  // A mustache `{{` must not form from a text brace beside a tag, nor `{{{` from two tags: joined with a space.
  return chunks.map((parts) => parts.join(format === 'mustache' ? ' ' : ''));
}

/** A message template the body syntax can hold: no header line, no blank first or last line. */
function messageTemplate(format: TemplateFormat): fc.Arbitrary<string> {
  return template(format).filter((text) => {
    const lines = text.split('\n');
    const isHeader = (line: string) => ['system:', 'human:', 'user:', 'ai:', 'assistant:', 'placeholder:'].includes(line);
    return text === '' || (!lines.some(isHeader) && lines[0]?.trim() !== '' && lines[lines.length - 1]?.trim() !== '');
  });
}

function message(format: TemplateFormat): fc.Arbitrary<LangChainMessage> {
  return fc.oneof(
    fc.record({ kind: fc.constant('message' as const), role: fc.constantFrom('system' as const, 'human' as const, 'ai' as const), template: messageTemplate(format) }),
    fc.record({ kind: fc.constant('placeholder' as const), variableName: name }),
  );
}

function promptClass(format: TemplateFormat): fc.Arbitrary<LangChainPromptClass> {
  return fc.oneof(
    fc.record({ kind: fc.constant('prompt' as const), template: template(format) }),
    fc.record({ kind: fc.constant('chat' as const), messages: fc.array(message(format), { minLength: 1, maxLength: 5 }) }),
  );
}

const anyString = fc.string({ unit: 'grapheme', maxLength: 20 });

const memory: fc.Arbitrary<false | ImportedMemory | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constant(false as const),
  fc.record(
    {
      key: name,
      type: fc.constantFrom<MemoryType>('buffer', 'buffer_window', 'summary', 'summary_buffer', 'token_buffer'),
      returnMessages: fc.boolean(),
      humanPrefix: anyString,
      aiPrefix: anyString,
      k: fc.integer({ min: 1, max: 20 }),
      maxTokenLimit: fc.integer({ min: 100, max: 5000 }),
    },
    { requiredKeys: [] },
  ),
);

const parameters: fc.Arbitrary<ModelParameters> = fc.record(
  {
    temperature: fc.double({ min: 0, max: 2, noNaN: true, noDefaultInfinity: true }).map((value) => (Object.is(value, -0) ? 0 : value)),
    max_tokens: fc.integer({ min: 1, max: 4096 }),
    stop: fc.array(anyString.filter((text) => text !== ''), { minLength: 1, maxLength: 3 }),
    seed: fc.integer(),
  },
  { requiredKeys: [] },
);

const importedPrompt: fc.Arbitrary<ImportedPrompt> = fc
  .constantFrom<TemplateFormat>('f-string', 'mustache')
  .chain((format) =>
    fc.record(
      {
        prompt: promptClass(format),
        templateFormat: fc.constant(format),
        partialVariables: fc.dictionary(anyString, anyString, { maxKeys: 3 }),
        name: anyString,
        description: anyString,
        model: anyString,
        parameters,
        memory,
      },
      { requiredKeys: ['prompt', 'templateFormat'] },
    ),
  )
  // fast-check's records have no prototype; an importer's objects are plain ones.
  .map((imported) => structuredClone(imported.memory === undefined ? withoutMemoryKey(imported) : imported));

/** fc.record leaves an optional key out or sets it; `memory: undefined` set explicitly is the same prompt. */
function withoutMemoryKey(imported: ImportedPrompt): ImportedPrompt {
  const { memory: _memory, ...rest } = imported;
  return rest;
}
