// Parity with LangChain.js, as a property: for random valid f-string (and mustache) templates, stored conversations and
// inputs, a `.prompt` file run through our chain sends the model exactly what @langchain/classic's
// LLMChain + BufferMemory (PromptTemplate, or ChatPromptTemplate with MessagesPlaceholder) sends it. Each
// case runs two turns on both sides, so what memory saved after turn 1 is compared too.
//
// Where LangChain.js and the Python contract of the issue differ, Python wins and the generator stays on
// the ground they share:
// - Python reads a prompt file with universal newlines, so a template never holds `\r` (values may).
// - LangChain.js's memory refuses an empty input (`input values have N keys...`); Python saves it.
//   Inputs here are non-empty.
// - BufferWindowMemory with k = 0 shows every turn in LangChain.js (`slice(-0)`), none in Python. Our
//   schema requires k >= 1, which is what is generated.
// - LangChain.js's BufferMemory needs `inputKey` when the chain has several inputs; Python picks the one
//   input that is not a memory variable or `stop` (get_prompt_input_key). We hand LangChain.js the key our
//   rule chose.
// - LangChain.js's ChatPromptTemplate refuses partials that no message uses; Python keeps them. LangChain.js
//   gets only the partials the templates use (our file declares them all).
// - LangChain.js's LLMChain diverts inputs named like model call options (stop, timeout, signal, tags,
//   metadata, callbacks...) away from the prompt; Python only diverts `stop`. Such names are not generated.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LLMChain } from '@langchain/classic/chains';
import { BufferMemory, BufferWindowMemory, ChatMessageHistory } from '@langchain/classic/memory';
import { LLM } from '@langchain/core/language_models/llms';
import { SimpleChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, HumanMessage, getBufferString, type BaseMessage } from '@langchain/core/messages';
import { ChatPromptTemplate, MessagesPlaceholder, PromptTemplate } from '@langchain/core/prompts';
import { runTurn } from '../../../core/chain/run';
import { inputKeyCandidates } from '../../../core/chain/inputKey';
import type { ChatMessage, LanguageModel, ModelRequest, Turn } from '../../../core/chain/types';
import type { PromptBody } from '../../../core/format/model';
import { createMemoryConversation } from '../../support/memoryConversation';
import { loadPrompt } from './helpers';

const NUM_RUNS = Number(process.env.PARITY_RUNS ?? 100);

// ---- LangChain.js with scripted models that record what they are sent ---------------------------------

class RecordingLLM extends LLM {
  readonly prompts: string[] = [];
  constructor(private readonly replies: string[]) {
    super({});
  }
  _llmType(): string {
    return 'recording';
  }
  async _call(prompt: string): Promise<string> {
    this.prompts.push(prompt);
    return this.replies[this.prompts.length - 1] ?? '';
  }
}

class RecordingChatModel extends SimpleChatModel {
  readonly calls: ChatMessage[][] = [];
  readonly texts: string[] = [];
  constructor(private readonly replies: string[]) {
    super({});
  }
  _llmType(): string {
    return 'recording';
  }
  async _call(messages: BaseMessage[]): Promise<string> {
    this.calls.push(messages.map(toChatMessage));
    this.texts.push(getBufferString(messages));
    return this.replies[this.calls.length - 1] ?? '';
  }
}

function toChatMessage(message: BaseMessage): ChatMessage {
  const type: string = message.getType();
  const content = message.content as string;
  assert.equal(typeof content, 'string');
  if (type === 'system' || type === 'human' || type === 'ai') return { type, content };
  assert.fail(`unexpected message type ${type}`);
}

const callOptionNames = new Set([...new RecordingLLM([]).callKeys, ...new RecordingChatModel([]).callKeys, 'stop']);

// ---- the generated cases ------------------------------------------------------------------------------

/** A piece of an f-string template: literal text, an escaped brace, or a variable (index into the names). */
type Piece = { text: string } | { escape: '{{' | '}}' } | { variable: number };

/** A message of a chat case; the placeholder holds the memory key. */
type MessageSpec = { role: 'system' | 'human' | 'ai'; header: string; pieces: Piece[] } | { role: 'placeholder' };

interface MemorySpec {
  type: 'buffer' | 'buffer_window';
  k: number;
  humanPrefix: string;
  aiPrefix: string;
}

interface CaseBase {
  /** names[0] takes the input, names[1] is the memory key; the others are partials or variables. */
  names: string[];
  partialFlags: boolean[];
  values: string[];
  memory: MemorySpec;
  turns: Turn[];
  inputs: [string, string];
  replies: [string, string];
  finalNewline: boolean;
}

interface CompletionCase extends CaseBase {
  pieces: Piece[];
}

interface ChatCase extends CaseBase {
  returnMessages: boolean;
  messages: MessageSpec[];
}

const identifier = fc.stringMatching(/^[a-z_][a-z0-9_]{0,7}$/).filter((name) => !callOptionNames.has(name));

/** Characters a Python-read template can hold; no braces (they come as pieces), no `\r`, no control codes. */
const templateText = fc
  .array(
    fc.oneof(
      fc.constantFrom(' ', '\n', '\n\n', '\t', 'Human:', 'AI:', 'system:', 'user:', ': ', '-', '---', '😀', 'é', '中文', '"', "'", '\\', '#', '&<b>'),
      fc.string({ unit: 'grapheme', maxLength: 6 }),
    ),
    { minLength: 1, maxLength: 4 },
  )
  .map((parts) => parts.join('').replace(/[{}\r\u0000-\u0008\u000b-\u001f\u007f\ufffd]/g, ''));

const piece: fc.Arbitrary<Piece> = fc.oneof(
  { weight: 3, arbitrary: templateText.map((text) => ({ text })) },
  { weight: 1, arbitrary: fc.constantFrom<Piece>({ escape: '{{' }, { escape: '}}' }) },
  { weight: 2, arbitrary: fc.nat(5).map((variable) => ({ variable })) },
);

/** Values: anything a user types or a model answers, braces and role-like lines included. */
const valueText = fc
  .array(
    fc.oneof(
      fc.constantFrom('{', '}', '{x}', '{{', '}}', '\n', '\r\n', 'system:', '\nhuman:\n', 'Human: ', 'AI:', ' ', '😀', 'ü', '<b>&amp;'),
      fc.string({ unit: 'grapheme', maxLength: 5 }),
    ),
    { maxLength: 6 },
  )
  .map((parts) => parts.join(''));

const nonEmptyValue = valueText.filter((text) => text.length > 0);

const memorySpec: fc.Arbitrary<MemorySpec> = fc.record({
  type: fc.constantFrom<MemorySpec['type']>('buffer', 'buffer_window'),
  k: fc.integer({ min: 1, max: 4 }),
  humanPrefix: fc.constantFrom('Human', 'Me', 'Person 1', 'Ünï: x'),
  aiPrefix: fc.constantFrom('AI', 'Bot', 'Assistant 2'),
});

const caseBase = {
  names: fc.uniqueArray(identifier, { minLength: 2, maxLength: 5 }),
  partialFlags: fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
  values: fc.array(valueText, { minLength: 5, maxLength: 5 }),
  memory: memorySpec,
  turns: fc.array(fc.record({ input: valueText, output: valueText }), { maxLength: 6 }),
  inputs: fc.tuple(nonEmptyValue, nonEmptyValue),
  replies: fc.tuple(nonEmptyValue, nonEmptyValue),
  finalNewline: fc.boolean(),
};

/** Inserts the input variable (names[0]) somewhere, so the template always takes the chat input. */
function withInput(pieces: Piece[], at: number): Piece[] {
  const index = at % (pieces.length + 1);
  return [...pieces.slice(0, index), { variable: 0 }, ...pieces.slice(index)];
}

const completionCase: fc.Arbitrary<CompletionCase> = fc
  .record({ ...caseBase, pieces: fc.array(piece, { maxLength: 12 }), inputAt: fc.nat() })
  .map(({ pieces, inputAt, ...rest }) => ({ ...rest, pieces: withInput(pieces, inputAt) }));

/** A chat message's first and last lines must hold something: blank ones are dropped, as the format says. */
const edgePiece: fc.Arbitrary<Piece> = fc.oneof(
  fc.constantFrom('Hi', 'é', '😀', 'Human:', 'x y', '- a').map((text) => ({ text })),
  fc.nat(5).map((variable) => ({ variable })),
);

const textMessage: fc.Arbitrary<MessageSpec> = fc
  .record({
    role: fc.constantFrom('system', 'human', 'ai'),
    spelling: fc.boolean(),
    first: edgePiece,
    middle: fc.array(piece, { maxLength: 6 }),
    last: fc.option(edgePiece, { nil: undefined }),
  })
  .map(({ role, spelling, first, middle, last }) => ({
    role,
    header: role === 'human' ? (spelling ? 'human:' : 'user:') : role === 'ai' ? (spelling ? 'ai:' : 'assistant:') : 'system:',
    // Without a last piece the middle's own line break could end the message: only a one-piece message skips it.
    pieces: middle.length === 0 && !last ? [first] : [first, ...middle, last ?? first],
  }));

const chatCase: fc.Arbitrary<ChatCase> = fc
  .record({
    ...caseBase,
    returnMessages: fc.boolean(),
    messages: fc.array(textMessage, { minLength: 1, maxLength: 4 }),
    placeholderAt: fc.nat(),
    inputAt: fc.nat(),
  })
  .map(({ messages, placeholderAt, inputAt, returnMessages, ...rest }) => {
    const withInputVariable = messages.map((message, i) =>
      i === inputAt % messages.length && message.role !== 'placeholder' ? { ...message, pieces: withInput(message.pieces, inputAt) } : message,
    );
    if (!returnMessages) return { ...rest, returnMessages, messages: withInputVariable };
    const at = placeholderAt % (messages.length + 1);
    const placeholder: MessageSpec = { role: 'placeholder' };
    return { ...rest, returnMessages, messages: [...withInputVariable.slice(0, at), placeholder, ...withInputVariable.slice(at)] };
  });

// ---- the case as a .prompt file and as LangChain.js objects -------------------------------------------

function templateSource(pieces: readonly Piece[], names: readonly string[]): string {
  return pieces
    .map((p) => ('text' in p ? p.text : 'escape' in p ? p.escape : `{${names[p.variable % names.length]!}}`))
    .join('');
}

/**
 * The same pieces as a mustache template: each variable written as one of mustache's variable tags, a
 * section or an inverted section (`forms` picks, in turn); brace escapes dropped, as mustache has none.
 */
function mustacheSource(pieces: readonly Piece[], names: readonly string[], forms: readonly number[]): string {
  let nth = 0;
  const tag = (name: string): string => {
    const form = forms[nth++ % forms.length] ?? 0;
    return [`{{${name}}}`, `{{{${name}}}}`, `{{&${name}}}`, `{{#${name}}}<in>{{/${name}}}`, `{{^${name}}}<none>{{/${name}}}`][form % 5]!;
  };
  return pieces.map((p) => ('text' in p ? p.text : 'escape' in p ? '' : tag(names[p.variable % names.length]!))).join('');
}

/** YAML double-quoted string: JSON's escapes, plus the characters YAML does not allow unescaped. */
function yamlString(text: string): string {
  return JSON.stringify(text).replace(/[\u007f-\u009f\ufeff\ufffe\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

interface Roles {
  inputKey: string;
  memoryKey: string;
  partials: Record<string, string>;
  variables: Record<string, string>;
}

function rolesOf(c: CaseBase): Roles {
  const [inputKey, memoryKey, ...others] = c.names as [string, string, ...string[]];
  const partials: Record<string, string> = {};
  const variables: Record<string, string> = {};
  others.forEach((name, i) => ((c.partialFlags[i] ? partials : variables)[name] = c.values[i] ?? ''));
  return { inputKey, memoryKey, partials, variables };
}

type Format = 'f-string' | 'mustache';

function frontMatter(c: CaseBase, roles: Roles, api: 'completion' | 'chat', returnMessages: boolean, needsInputKey: boolean, format: Format): string[] {
  const lines = ['---', `api: ${api}`, `template_format: ${format}`, 'memory:', `  key: ${roles.memoryKey}`, `  type: ${c.memory.type}`];
  if (c.memory.type === 'buffer_window') lines.push(`  k: ${c.memory.k}`);
  lines.push(`  return_messages: ${returnMessages}`, `  human_prefix: ${yamlString(c.memory.humanPrefix)}`, `  ai_prefix: ${yamlString(c.memory.aiPrefix)}`);
  if (needsInputKey) lines.push(`input_key: ${roles.inputKey}`);
  const partials = Object.entries(roles.partials);
  if (partials.length > 0) lines.push('partial_variables:', ...partials.map(([name, value]) => `  ${name}: ${yamlString(value)}`));
  lines.push('---');
  return lines;
}

function langchainMemory(c: CaseBase, roles: Roles, returnMessages: boolean): BufferMemory | BufferWindowMemory {
  const chatHistory = new ChatMessageHistory(c.turns.flatMap((t) => [new HumanMessage(t.input), new AIMessage(t.output)]));
  const fields = { memoryKey: roles.memoryKey, inputKey: roles.inputKey, returnMessages, humanPrefix: c.memory.humanPrefix, aiPrefix: c.memory.aiPrefix, chatHistory };
  return c.memory.type === 'buffer_window' ? new BufferWindowMemory({ ...fields, k: c.memory.k }) : new BufferMemory(fields);
}

// ---- running both sides -------------------------------------------------------------------------------

interface OurRun {
  requests: ModelRequest[];
  prompts: string[];
}

/** Two turns of the file through our chain engine, with a scripted model that records its requests. */
async function runOurs(text: string, c: CaseBase, roles: Roles): Promise<OurRun> {
  const { prompt, config } = loadPrompt(text, { model: 'scripted' });
  const errors = prompt.problems.filter((p) => p.severity === 'error');
  assert.deepEqual(errors, [], `a valid template must parse without errors:\n${text}`);
  const requests: ModelRequest[] = [];
  const model: LanguageModel = {
    invoke: async (request) => {
      requests.push(request);
      return { text: c.replies[requests.length - 1] ?? '' };
    },
  };
  const conversation = createMemoryConversation(c.turns);
  const variables = usedBy(prompt.body, roles.variables);
  const prompts: string[] = [];
  for (const input of c.inputs) prompts.push((await runTurn({ prompt, config, input, variables, conversation, model })).prompt);
  return { requests, prompts };
}

/** The entries of `values` the templates use: the --var values a user would pass. */
function usedBy(body: PromptBody, values: Record<string, string>): Record<string, string> {
  const used = new Set(body.kind === 'completion' ? body.template.variables.map((v) => v.name) : body.messages.flatMap((m) => m.template.variables.map((v) => v.name)));
  return Object.fromEntries(Object.entries(values).filter(([name]) => used.has(name)));
}

/** Whether our input-key rule alone picks names[0], or the file must say `input_key`. */
function needsInputKey(text: string, roles: Roles): boolean {
  const { prompt, config } = loadPrompt(text, { model: 'scripted' });
  const candidates = inputKeyCandidates(prompt.body, config);
  return !(candidates.length === 1 && candidates[0] === roles.inputKey);
}

/** Builds the file, adding `input_key` only when LangChain's rule would not find the input by itself. */
function promptText(c: CaseBase, roles: Roles, api: 'completion' | 'chat', returnMessages: boolean, body: string, format: Format = 'f-string'): string {
  // The file's final line break is not part of the template, so a template ending in one needs another.
  const end = c.finalNewline || body.endsWith('\n') ? '\n' : '';
  const build = (withKey: boolean) => [...frontMatter(c, roles, api, returnMessages, withKey, format), body].join('\n') + end;
  const plain = build(false);
  return needsInputKey(plain, roles) ? build(true) : plain;
}

function chainInputs(roles: Roles, variables: Record<string, string>, input: string): Record<string, string> {
  return { ...variables, [roles.inputKey]: input };
}

describe('parity with LangChain.js LLMChain + BufferMemory', () => {
  test('completion: PromptTemplate prompts are identical, turn after turn', async () => {
    await fc.assert(
      fc.asyncProperty(completionCase, async (c) => {
        const roles = rolesOf(c);
        const template = templateSource(c.pieces, c.names);
        const text = promptText(c, roles, 'completion', false, template);
        const ours = await runOurs(text, c, roles);

        const llm = new RecordingLLM(c.replies);
        const { body } = loadPrompt(text).prompt;
        const prompt = await PromptTemplate.fromTemplate(template).partial(usedBy(body, roles.partials));
        const chain = new LLMChain({ llm, prompt, memory: langchainMemory(c, roles, false) });
        for (const input of c.inputs) await chain.call(chainInputs(roles, usedBy(body, roles.variables), input));

        assert.deepEqual(ours.requests.map((r) => r.prompt), llm.prompts);
        assert.deepEqual(ours.prompts, llm.prompts);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  test('mustache: prompts are identical, without HTML escaping', async () => {
    const mustacheCase = fc.record({ c: completionCase, forms: fc.array(fc.nat(4), { minLength: 1, maxLength: 6 }) });
    await fc.assert(
      fc.asyncProperty(mustacheCase, async ({ c, forms }) => {
        const roles = rolesOf(c);
        const template = mustacheSource(c.pieces, c.names, forms);
        const text = promptText(c, roles, 'completion', false, template, 'mustache');
        const ours = await runOurs(text, c, roles);

        const llm = new RecordingLLM(c.replies);
        const { body } = loadPrompt(text).prompt;
        const prompt = await PromptTemplate.fromTemplate(template, { templateFormat: 'mustache' }).partial(usedBy(body, roles.partials));
        const chain = new LLMChain({ llm, prompt, memory: langchainMemory(c, roles, false) });
        for (const input of c.inputs) await chain.call(chainInputs(roles, usedBy(body, roles.variables), input));

        assert.deepEqual(ours.requests.map((r) => r.prompt), llm.prompts);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  test('chat: ChatPromptTemplate messages and their buffer-string text are identical, turn after turn', async () => {
    await fc.assert(
      fc.asyncProperty(chatCase, async (c) => {
        const roles = rolesOf(c);
        // With return_messages the memory is a message list: only the placeholder may hold it.
        const textNames = c.returnMessages ? c.names.map((name, i) => (i === 1 ? roles.inputKey : name)) : c.names;
        const sources = c.messages.map((m) => (m.role === 'placeholder' ? `{${roles.memoryKey}}` : templateSource(m.pieces, textNames)));
        // A line of a message's text that reads exactly like a header would start a message: by design.
        fc.pre(sources.every((source) => source.split('\n').every((line) => !/^(system|human|user|ai|assistant|placeholder):$/.test(line))));
        const body = c.messages.map((m, i) => `${m.role === 'placeholder' ? 'placeholder:' : m.header}\n${sources[i]!}`).join('\n\n');
        const text = promptText(c, roles, 'chat', c.returnMessages, body);
        const ours = await runOurs(text, c, roles);

        const llm = new RecordingChatModel(c.replies);
        const { body: chatBody } = loadPrompt(text).prompt;
        const prompt = await ChatPromptTemplate.fromMessages(
          c.messages.map((m, i) => (m.role === 'placeholder' ? new MessagesPlaceholder(roles.memoryKey) : ([m.role, sources[i]!] as [string, string]))),
        ).partial(usedBy(chatBody, roles.partials));
        const chain = new LLMChain({ llm, prompt, memory: langchainMemory(c, roles, c.returnMessages) });
        for (const input of c.inputs) await chain.call(chainInputs(roles, usedBy(chatBody, roles.variables), input));

        assert.deepEqual(ours.requests.map((r) => r.messages), llm.calls);
        assert.deepEqual(ours.prompts, llm.texts);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
