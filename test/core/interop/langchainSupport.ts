// What the LangChain interop tests compare: a `.prompt` file formatted by our engine (preparePrompt, with the
// memory's value for the stored turns) and a real LangChain.js prompt formatted with the same values, the
// memory's value computed by LangChain.js's own getBufferString. Also the generated `.prompt` files both
// directions run on.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { load } from '@langchain/core/load';
import * as prompts from '@langchain/core/prompts';
import { AIMessage, HumanMessage, getBufferString, type BaseMessage } from '@langchain/core/messages';
import { parsePrompt } from '../../../core/format/parse';
import { resolveConfig } from '../../../core/chain/config';
import { preparePrompt } from '../../../core/chain/prepare';
import type { ChainConfig, ChatMessage, Turn } from '../../../core/chain/types';
import type { PromptDocument, TemplateFormat } from '../../../core/format/model';
import { langChainPromptOf, type LangChainMessage } from '../../../core/interop/langchainPrompt';
import type { ImportedPrompt } from '../../../core/interop/types';

export const fixturesDir = path.join(__dirname, 'fixtures');

export function readFixture(...parts: string[]): string {
  return readFileSync(path.join(fixturesDir, ...parts), 'utf8');
}

export interface Loaded {
  doc: PromptDocument;
  config: ChainConfig;
}

export function loadPromptFile(text: string): Loaded {
  const doc = parsePrompt(text);
  assert.deepEqual(doc.problems.filter((problem) => problem.severity === 'error'), [], text);
  return { doc, config: resolveConfig(doc, { model: 'gpt-4o-mini' }) };
}

export function describedPrompt(text: string) {
  const { doc, config } = loadPromptFile(text);
  return langChainPromptOf(doc, config);
}

/** A turn's values: the chat input, the other variables, and the stored conversation. */
export interface TurnValues {
  input: string;
  variables: Record<string, string>;
  turns: Turn[];
}

export type Formatted = { kind: 'text'; text: string } | { kind: 'messages'; messages: ChatMessage[] };

/** What our engine sends for the file: the completion prompt, or the chat messages. */
export function ourFormatting(text: string, values: TurnValues): Formatted {
  const { doc, config } = loadPromptFile(text);
  const prepared = preparePrompt(doc, config, values);
  return prepared.messages && doc.body.kind === 'chat' ? { kind: 'messages', messages: prepared.messages } : { kind: 'text', text: prepared.prompt };
}

/**
 * What the LangChain.js prompt formats the same turn to, with the values LLMChain would hand it: the
 * variables, the input under the file's input key, and the memory's variable as BufferMemory gives it.
 */
export async function langChainFormatting(prompt: prompts.BasePromptTemplate, fileText: string, values: TurnValues): Promise<Formatted> {
  const { doc, config } = loadPromptFile(fileText);
  const inputKey = langChainPromptOf(doc, config).inputKey;
  const all: Record<string, unknown> = { ...values.variables, [inputKey]: values.input };
  const memory = config.memory;
  if (memory) {
    const messages = values.turns.flatMap((turn): BaseMessage[] => [new HumanMessage(turn.input), new AIMessage(turn.output)]);
    all[memory.key] = memory.returnMessages ? messages : getBufferString(messages, memory.humanPrefix, memory.aiPrefix);
  }
  if (prompt instanceof prompts.ChatPromptTemplate) {
    const messages = await prompt.formatMessages(all);
    return { kind: 'messages', messages: messages.map(toChatMessage) };
  }
  return { kind: 'text', text: await prompt.format(all) };
}

function toChatMessage(message: BaseMessage): ChatMessage {
  const type: string = message.getType();
  assert.equal(typeof message.content, 'string');
  const content = message.content as string;
  if (type === 'system' || type === 'human' || type === 'ai') return { type, content };
  assert.fail(`unexpected message type ${type}`);
}

/** LangChain.js's `load()` of the Python form: its `langchain` namespace maps onto @langchain/core/prompts. */
export async function loadPythonForm(text: string): Promise<prompts.BasePromptTemplate> {
  return load<prompts.BasePromptTemplate>(text, { importMap: { prompts } });
}

// ---- generated prompt files ------------------------------------------------------------------------------

/** Variables a generated prompt may use; `input` takes the chat input, `history` is the memory's. */
const variableNames = ['input', 'history', 'topic', 'tone', 'name'] as const;

const textChunk = fc.oneof(
  fc.constantFrom(' ', '\n', '\n\n', 'Human: ', 'AI:', 'system:', ': ', '-', '😀', 'é', '"', '\\', '<b>&amp;', '#'),
  fc.string({ maxLength: 5 }).map((text) => text.replace(/[{}\r\0-\u001f]/g, '')),
);

function templateArbitrary(format: TemplateFormat, names: readonly string[]): fc.Arbitrary<string> {
  const variable = fc.constantFrom(...names).map((name) => (format === 'mustache' ? `{{${name}}}` : `{${name}}`));
  const chunk = format === 'mustache' ? fc.oneof(textChunk, variable) : fc.oneof(textChunk, variable, fc.constantFrom('{{', '}}'));
  // Joined with a space in mustache so a text brace never meets a tag; the input always appears once.
  return fc.tuple(fc.array(chunk, { maxLength: 6 }), fc.nat()).map(([chunks, at]) => {
    const input = format === 'mustache' ? '{{input}}' : '{input}';
    const withInput = [...chunks.slice(0, at % (chunks.length + 1)), input, ...chunks.slice(at % (chunks.length + 1))];
    return withInput.join(format === 'mustache' ? ' ' : '');
  });
}

function messageTemplate(format: TemplateFormat): fc.Arbitrary<string> {
  const names = variableNames.filter((name) => name !== 'history');
  return fc
    .tuple(fc.constantFrom('Hi', 'é', 'Note:'), templateArbitrary(format, names), fc.constantFrom('.', '?', ' ok'))
    .map(([first, middle, last]) => `${first} ${middle}${last}`)
    .filter((template) => !template.split('\n').some((line) => /^(system|human|user|ai|assistant|placeholder):$/.test(line)));
}

const role = fc.constantFrom('system' as const, 'human' as const, 'ai' as const);

/** A runnable `.prompt` (as an ImportedPrompt for the writer) and the values of one turn. */
export interface GeneratedCase {
  prompt: ImportedPrompt;
  values: TurnValues;
}

export const generatedCase: fc.Arbitrary<GeneratedCase> = fc.constantFrom<TemplateFormat>('f-string', 'mustache').chain((format) =>
  fc
    .record({
      chat: fc.boolean(),
      completion: templateArbitrary(format, variableNames),
      messages: fc.array(fc.record({ role, template: messageTemplate(format) }), { minLength: 1, maxLength: 3 }),
      placeholderAt: fc.option(fc.nat(), { nil: undefined }),
      partialNames: fc.subarray(['topic', 'tone', 'name']),
      values: fc.array(fc.string({ maxLength: 6 }), { minLength: 3, maxLength: 3 }),
      humanPrefix: fc.constantFrom('Human', 'Me'),
      input: fc.string({ minLength: 1, maxLength: 8 }),
      turns: fc.array(fc.record({ input: fc.string({ maxLength: 6 }), output: fc.string({ maxLength: 6 }) }), { maxLength: 3 }),
    })
    .map((spec): GeneratedCase => {
      const messages: LangChainMessage[] = spec.messages.map((message) => ({ kind: 'message', ...message }));
      if (spec.chat && spec.placeholderAt !== undefined) messages.splice(spec.placeholderAt % (messages.length + 1), 0, { kind: 'placeholder', variableName: 'history' });
      const promptClass: ImportedPrompt['prompt'] = spec.chat ? { kind: 'chat', messages } : { kind: 'prompt', template: spec.completion };
      const sources = promptClass.kind === 'chat' ? messages.flatMap((message) => (message.kind === 'message' ? [message.template] : [])) : [promptClass.template];
      const used = (name: string) => sources.some((source) => source.includes(format === 'mustache' ? `{{${name}}}` : `{${name}}`));
      // LangChain.js's ChatPromptTemplate refuses partials no message uses (Python keeps them): only used ones.
      const partialNames = spec.partialNames.filter(used);
      const valueOf = (name: string) => spec.values[['topic', 'tone', 'name'].indexOf(name)] ?? '';
      const partialVariables = Object.fromEntries(partialNames.map((name) => [name, valueOf(name)]));
      const variables = Object.fromEntries(['topic', 'tone', 'name'].filter((name) => used(name) && !partialNames.includes(name)).map((name) => [name, valueOf(name)]));
      const returnMessages = promptClass.kind === 'chat' && spec.placeholderAt !== undefined;
      const prompt: ImportedPrompt = {
        prompt: promptClass,
        templateFormat: format,
        partialVariables,
        inputKey: 'input',
        memory: { key: 'history', returnMessages, humanPrefix: spec.humanPrefix },
      };
      return { prompt: structuredClone(prompt), values: { input: spec.input, variables, turns: spec.turns } };
    }),
);
