// `prompt-chain/langchain` as a user's program loads it, from the installed package, in CommonJS and as an ES
// module: the prompt it builds is a real LangChain.js PromptTemplate / ChatPromptTemplate that formats what our
// engine sends (core/chain/prepare.ts), its memory object holds what our memory holds, and its LLMChain, with a
// real @langchain/openai model on the fake server, sends the requests `runTurn` sends.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createContext, defaultServiceSettings } from '../../service/context';
import { preparePrompt } from '../../core/chain/prepare';
import { memoryVariables } from '../../core/chain/memoryClasses';
import type { ChatMessage, Turn } from '../../core/chain/types';
import type { PromptValue } from '../../core/chain/format';
import { useFakeOpenAI } from '../support/useFakeOpenAI';
import type { RecordedRequest } from '../support/fakeOpenAI';
import { chatExample, completionExample, variant } from '../support/examples';
import { installedProject, printedJson, type Project } from './support/installed';
import { fileName, program, type ModuleFormat } from './support/programs';

const { fake } = useFakeOpenAI();

const turns: Turn[] = [
  { input: 'Hi there my friend', output: ' Hi there! How can I help you today?' },
  { input: 'Not too bad - how are you?', output: "I'm {fine}, thanks — and you?" },
  { input: 'Tell me a joke', output: 'Why did the {chicken} cross the road?' },
];

/** Prompt files that exercise each thing the loader spells: prompt class, messages, memory class and arguments. */
const files: Record<string, string> = {
  'chatbot-completion.prompt': completionExample,
  'chatbot-chat.prompt': chatExample,
  'window-prefixes.prompt': variant(completionExample, '  key: chat_history\n', '  key: chat_history\n  type: buffer_window\n  k: 1\n  human_prefix: Friend\n  ai_prefix: Bot\n'),
  'chat-text-memory.prompt': '---\ninput_key: question\nmemory:\n  key: history\n---\nsystem:\nEarlier, in {language}:\n{history}\n\nhuman:\n{question}\n\nai:\nLet me think.\n\nhuman:\nGo on.\n',
  'partials.prompt': '---\nmemory:\n  return_messages: true\npartial_variables:\n  persona: a pirate\n  unused: kept\n---\nsystem:\nYou are {persona}.\n\nplaceholder:\n{history}\n\nhuman:\n{text} {{literal}}\n',
  'mustache.prompt': '---\ntemplate_format: mustache\npartial_variables:\n  name: Ada\n---\nHello {{name}}, {{#history}}so far: {{history}}{{/history}}\nQ: {{question}}\nA:\n',
  'window-messages.prompt': variant(chatExample, '  return_messages: true\n', '  return_messages: true\n  type: buffer_window\n  k: 2\n'),
};

interface LoadedCase {
  name: string;
  promptClass: string;
  memoryClass: string | null;
  inputKey: string;
  memory: Record<string, PromptValue>;
  formatted: string | ChatMessage[];
}

/** The engine's side: the prompt a turn would send with `turns` stored, and what the memory loads. */
function engine(text: string, input: string, variables: Record<string, string>) {
  const ctx = createContext(TextDocument.create('file:///x.prompt', 'prompt', 1, text), { ...defaultServiceSettings, host: 'cli' });
  const prepared = preparePrompt(ctx.prompt, ctx.config, { input, variables, turns });
  return { prepared, memory: memoryVariables(turns, ctx.config.memory!, ctx.config, undefined) };
}

const variablesOf: Record<string, Record<string, string>> = { 'chat-text-memory.prompt': { language: 'French' } };

function loadAndFormatBody(names: readonly string[]): string {
  return `
const turns = ${JSON.stringify(turns)};
const variables = ${JSON.stringify(variablesOf)};
const results = [];
for (const name of ${JSON.stringify(names)}) {
  const loaded = await loadPrompt('prompts/' + name);
  for (const turn of turns) await loaded.memory.saveContext({ [loaded.inputKey]: turn.input }, { text: turn.output });
  const memory = await loaded.memory.loadMemoryVariables({});
  const values = { ...(variables[name] || {}), [loaded.inputKey]: 'And now?', ...memory };
  const formatted = loaded.description.prompt.kind === 'chat' ? messagesOf(await loaded.prompt.formatMessages(values)) : await loaded.prompt.format(values);
  const shown = Object.fromEntries(Object.entries(memory).map(([key, value]) => [key, messagesOf(value)]));
  results.push({ name, promptClass: loaded.prompt.constructor.name, memoryClass: loaded.memory ? loaded.memory.constructor.name : null, inputKey: loaded.inputKey, memory: shown, formatted });
}
print(results);
`;
}

function chainBody(name: string, modelClass: 'ChatOpenAI' | 'OpenAI', withSummaryModel: boolean, inputs: readonly string[] = ['Hi there my friend', 'Not too bad - how are you?']): string {
  return `
const baseURL = process.env.FAKE_BASE_URL;
const model = () => new ${modelClass}({ model: loaded.description.model.model, apiKey: 'sk-test', maxRetries: 0, configuration: { baseURL } });
const loaded = await loadPrompt('prompts/${name}', ${withSummaryModel ? "{ llm: new ChatOpenAI({ model: 'gpt-4o-mini', apiKey: 'sk-test', maxRetries: 0, configuration: { baseURL } }) }" : '{}'});
const chain = loaded.createChain(model());
for (const input of ${JSON.stringify(inputs)}) await chain.invoke({ [loaded.inputKey]: input });
const conversation = inMemoryConversation();
for (const input of ${JSON.stringify(inputs)}) {
  await runTurn('prompts/${name}', { input, conversation, baseUrl: baseURL, apiKey: 'sk-test', env: {} });
}
print({ memoryClass: loaded.memory ? loaded.memory.constructor.name : null, chainMemory: chain.memory.constructor.name });
`;
}

/** What a request asked the model: its messages (chat) or its prompt (completions), and the model name. */
function asked(request: RecordedRequest): { model: string; messages?: unknown; prompt?: unknown } {
  const body = request.body as { model: string; messages?: { role: string; content: string }[]; prompt?: string | string[] };
  if (body.messages) return { model: body.model, messages: body.messages.map(({ role, content }) => ({ role, content })) };
  return { model: body.model, prompt: Array.isArray(body.prompt) ? body.prompt[0] : body.prompt };
}

for (const format of ['cjs', 'esm'] as const satisfies readonly ModuleFormat[]) {
  describe(`prompt-chain/langchain from ${format === 'cjs' ? 'CommonJS (require)' : 'an ES module (import)'}`, () => {
    let project: Project;
    before(() => {
      project = installedProject();
      for (const [name, text] of Object.entries(files)) project.write(`prompts/${name}`, text);
    });

    test('each file loads as the LangChain.js prompt and memory classes it names, formatting exactly what our engine sends with the same conversation', async () => {
      const names = Object.keys(files);
      const results = printedJson<LoadedCase[]>(await project.run(fileName(format, 'load'), program(format, loadAndFormatBody(names), ['prompt-chain/langchain'])));
      const expectedClasses: Record<string, [string, string]> = {
        'chatbot-completion.prompt': ['PromptTemplate', 'BufferMemory'],
        'chatbot-chat.prompt': ['ChatPromptTemplate', 'BufferMemory'],
        'window-prefixes.prompt': ['PromptTemplate', 'BufferWindowMemory'],
        'window-messages.prompt': ['ChatPromptTemplate', 'BufferWindowMemory'],
      };
      for (const result of results) {
        const ours = engine(files[result.name]!, 'And now?', variablesOf[result.name] ?? {});
        assert.equal(result.inputKey, ours.prepared.inputKey, `${result.name}: input key`);
        assert.deepEqual(result.memory, ours.memory, `${result.name}: loadMemoryVariables after saveContext`);
        assert.deepEqual(result.formatted, ours.prepared.messages ?? ours.prepared.prompt, `${result.name}: formatted prompt`);
        const classes = expectedClasses[result.name];
        if (classes) assert.deepEqual([result.promptClass, result.memoryClass], classes, result.name);
      }
      assert.equal(results.length, names.length);
    });

    test('createChain(ChatOpenAI) runs the chat example as runTurn does: the same two requests, memory included', async () => {
      fake.enqueue({ reply: 'Hello!' }, { reply: 'Fine, thanks.' }, { reply: 'Hello!' }, { reply: 'Fine, thanks.' });
      const result = printedJson<{ chainMemory: string }>(await project.run(fileName(format, 'chat-chain'), program(format, chainBody('chatbot-chat.prompt', 'ChatOpenAI', false)), { FAKE_BASE_URL: fake.baseURL }));
      assert.equal(result.chainMemory, 'BufferMemory');
      const requests = fake.requests.filter((request) => request.path === '/v1/chat/completions').map(asked);
      assert.equal(requests.length, 4);
      assert.deepEqual(requests.slice(0, 2), requests.slice(2), 'LangChain.js asked what the engine asked');
      assert.deepEqual(requests[1]!.messages, [
        { role: 'system', content: 'You are a chatbot having a conversation with a human.' },
        { role: 'user', content: 'Hi there my friend' },
        { role: 'assistant', content: 'Hello!' },
        { role: 'user', content: 'Not too bad - how are you?' },
      ]);
    });

    test('createChain(OpenAI) runs the completion example as runTurn does (the completions API, the memory as text)', async () => {
      fake.enqueue({ reply: ' Hello!' }, { reply: ' Fine.' }, { reply: ' Hello!' }, { reply: ' Fine.' });
      printedJson(await project.run(fileName(format, 'completion-chain'), program(format, chainBody('chatbot-completion.prompt', 'OpenAI', false)), { FAKE_BASE_URL: fake.baseURL }));
      const requests = fake.requests.filter((request) => request.path === '/v1/completions').map(asked);
      assert.equal(requests.length, 4);
      assert.deepEqual(requests.slice(0, 2), requests.slice(2));
      assert.deepEqual(requests[1], { model: 'gpt-3.5-turbo-instruct', prompt: 'You are a chatbot having a conversation with a human.\n\nHuman: Hi there my friend\nAI:  Hello!\nHuman: Not too bad - how are you?\nChatbot:' });
    });

    test('a summary memory built with the llm option summarizes with the file\'s summary prompt, as the engine does', async () => {
      const summaryChat = variant(chatExample, '  return_messages: true\n', '  return_messages: true\n  type: summary\n');
      project.write('prompts/summary-chat.prompt', summaryChat);
      // Each side: the turn, then the summary of it; the second turn sees the summary as a system message.
      const script = [{ reply: 'Hello!' }, { reply: 'The human greets the AI.' }, { reply: 'Fine.' }, { reply: 'The human greets the AI and asks how it is.' }];
      fake.enqueue(...script, ...script);
      const result = printedJson<{ memoryClass: string }>(await project.run(fileName(format, 'summary-chain'), program(format, chainBody('summary-chat.prompt', 'ChatOpenAI', true)), { FAKE_BASE_URL: fake.baseURL }));
      assert.equal(result.memoryClass, 'ConversationSummaryMemory');
      const requests = fake.requests.filter((request) => request.path === '/v1/chat/completions').map(asked);
      assert.equal(requests.length, 8);
      assert.deepEqual(requests.slice(0, 4), requests.slice(4), 'the turns and the summary calls');
      assert.deepEqual(requests[2]!.messages, [
        { role: 'system', content: 'You are a chatbot having a conversation with a human.' },
        { role: 'system', content: 'The human greets the AI.' },
        { role: 'user', content: 'Not too bad - how are you?' },
      ]);
    });

    for (const type of ['token_buffer', 'summary_buffer'] as const) {
      test(`a ${type} memory prunes where the engine prunes (Python counts each message with the model's encoding)${type === 'summary_buffer' ? ', and summarizes what it prunes' : ''}`, async () => {
        const name = `${type}-limited.prompt`;
        project.write(`prompts/${name}`, variant(chatExample, '  return_messages: true\n', `  return_messages: true\n  type: ${type}\n  max_token_limit: 30\n`));
        // No scripted replies: the fake echoes each request, so both sides hear the same as long as they ask the same.
        const inputs = ['Hi there my friend', 'Not too bad - how are you?', 'And "now" {then}?'];
        const result = printedJson<{ chainMemory: string }>(await project.run(fileName(format, `${type}-chain`), program(format, chainBody(name, 'ChatOpenAI', false, inputs)), { FAKE_BASE_URL: fake.baseURL }));
        assert.equal(result.chainMemory, type === 'token_buffer' ? 'ConversationTokenBufferMemory' : 'ConversationSummaryBufferMemory');
        const requests = fake.requests.map(asked);
        const half = requests.length / 2;
        assert.deepEqual(requests.slice(0, half), requests.slice(half), 'LangChain.js asked what the engine asked, summary calls included');
        const turns = requests.slice(half).filter((request) => (request.messages as { role: string }[])[0]?.role === 'system');
        assert.equal(turns.length, inputs.length);
        // The last turn was pruned: the first exchange is gone (a summary buffer's summary may tell of it), as 30 tokens cannot hold it with the second.
        const lastTurn = (turns[2]!.messages as { role: string; content: string }[]).filter((message) => message.role !== 'system');
        assert.ok(!lastTurn.some((message) => message.content === 'Hi there my friend'), JSON.stringify(lastTurn));
        assert.equal(requests.length - 2 * inputs.length > 0, type === 'summary_buffer', 'only the summary buffer asks for summaries');
      });
    }

    test('withMessageHistory(prompt.pipe(ChatOpenAI), sessions) keeps one conversation per session and sends what runTurn sends', async () => {
      fake.enqueue({ reply: 'Hello!' }, { reply: 'Fine, thanks.' }, { reply: 'Hi, stranger.' }, { reply: 'Hello!' }, { reply: 'Fine, thanks.' });
      const body = `
const baseURL = process.env.FAKE_BASE_URL;
const loaded = await loadPrompt('prompts/chatbot-chat.prompt');
const histories = new Map();
const session = (id) => {
  if (!histories.has(id)) histories.set(id, new InMemoryChatMessageHistory());
  return histories.get(id);
};
const chat = loaded.withMessageHistory(loaded.prompt.pipe(new ChatOpenAI({ model: loaded.description.model.model, apiKey: 'sk-test', maxRetries: 0, configuration: { baseURL } })), session);
for (const input of ['Hi there my friend', 'Not too bad - how are you?']) await chat.invoke({ [loaded.inputKey]: input }, { configurable: { sessionId: 'alice' } });
await chat.invoke({ [loaded.inputKey]: 'Who are you?' }, { configurable: { sessionId: 'bob' } });
const conversation = inMemoryConversation();
for (const input of ['Hi there my friend', 'Not too bad - how are you?']) await runTurn('prompts/chatbot-chat.prompt', { input, conversation, baseUrl: baseURL, apiKey: 'sk-test', env: {} });
print({ alice: messagesOf(await session('alice').getMessages()) });`;
      const result = printedJson<{ alice: ChatMessage[] }>(await project.run(fileName(format, 'history'), program(format, body), { FAKE_BASE_URL: fake.baseURL }));
      const requests = fake.requests.map(asked);
      assert.deepEqual(requests.slice(0, 2), requests.slice(3), 'alice\'s turns are the engine\'s');
      assert.deepEqual(requests[2]!.messages, [
        { role: 'system', content: 'You are a chatbot having a conversation with a human.' },
        { role: 'user', content: 'Who are you?' },
      ], 'bob starts afresh');
      assert.deepEqual(result.alice, [
        { type: 'human', content: 'Hi there my friend' },
        { type: 'ai', content: 'Hello!' },
        { type: 'human', content: 'Not too bad - how are you?' },
        { type: 'ai', content: 'Fine, thanks.' },
      ]);
    });

    test('memory: false has no memory; token_buffer and summary_buffer memories get their arguments, and a model from the llm option or createChain', async () => {
      const tokenBuffer = variant(chatExample, '  return_messages: true\n', '  return_messages: true\n  type: token_buffer\n  max_token_limit: 50\n');
      const summaryBuffer = variant(chatExample, '  return_messages: true\n', '  return_messages: true\n  type: summary_buffer\n  max_token_limit: 40\n  summary_prompt: "Summary so far: {summary}\\nNew lines: {new_lines}\\nNew summary:"\n');
      const body = `
const model = () => new ChatOpenAI({ model: 'gpt-4o-mini', apiKey: 'sk-test', configuration: { baseURL: 'http://127.0.0.1:9/v1' } });
const kindOf = (fn) => { try { fn(); return 'none'; } catch (error) { return error.kind; } };
const none = await loadPrompt({ text: '---\\nmemory: false\\n---\\nHuman: {input}\\nAI:' });
const token = await loadPrompt({ text: ${JSON.stringify(tokenBuffer)} });
const chain = token.createChain(model());
const withLlm = await loadPrompt({ text: ${JSON.stringify(tokenBuffer)} }, { llm: model() });
const summary = (await loadPrompt({ text: ${JSON.stringify(summaryBuffer)} }, { llm: model() })).memory;
print({
  summaryBuffer: [summary.constructor.name, summary.maxTokenLimit, summary.prompt.template, summary.memoryKey, summary.inputKey, summary.returnMessages],
  none: [none.memory ?? null, none.memoryKey ?? null, none.createChain(model()).memory ?? null, kindOf(() => none.withMessageHistory(none.prompt, () => null)), kindOf(() => none.createMemory())],
  token: [token.memory ?? null, kindOf(() => token.createMemory()), chain.memory.constructor.name, chain.memory.maxTokenLimit, chain.memory.memoryKey],
  withLlm: [withLlm.memory.constructor.name, withLlm.createChain(model()).memory === withLlm.memory],
});`;
      const result = printedJson<Record<string, unknown[]>>(await project.run(fileName(format, 'memory-models'), program(format, body)));
      assert.deepEqual(result, {
        summaryBuffer: ['ConversationSummaryBufferMemory', 40, 'Summary so far: {summary}\nNew lines: {new_lines}\nNew summary:', 'chat_history', 'human_input', true],
        none: [null, null, null, 'no-memory', 'no-memory'],
        token: [null, 'needs-llm', 'ConversationTokenBufferMemory', 50, 'chat_history'],
        withLlm: ['ConversationTokenBufferMemory', true],
      });
    });
  });
}
