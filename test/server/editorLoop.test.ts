// The editor loop's server side through the real server over stdio, against the local OpenAI-compatible
// test server: promptChain/turnInputs answers what a turn needs; runTurn and formatPrompt refuse a file
// with errors before anything is sent or stored; formatPrompt is byte for byte the prompt of the turn
// that follows; every failure carries its kind and the setting that really chose the value; listModels
// comes from the endpoint, cached, else the settings.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { CompletionItem, CompletionList } from 'vscode-languageserver/node';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fakeOpenAI';
import type {
  FailureData,
  FormatPromptResult,
  ListModelsResult,
  PromptChainSettings,
  RunTurnResult,
  ShowMemoryResult,
  TurnInputsResult,
} from '../../server/src/protocol';
import { TurnInputsRequest } from '../../server/src/protocol';
import { failureOf, requestFailed } from './responseErrors';
import { ensureServerBuilt, fileUri, hangGuardMs, LspClient } from './lspClient';
import { completionExample, mismatchedPrompt } from './prompts';
import { closedPort } from '../support/ports';

describe('the editor loop over LSP', { timeout: hangGuardMs }, () => {
  let fake: FakeOpenAI;
  let workspace: string;
  const clients: LspClient[] = [];

  before(async () => {
    ensureServerBuilt();
    workspace = mkdtempSync(path.join(tmpdir(), 'prompt-chain-loop-'));
    fake = await startFakeOpenAI();
  });
  after(async () => {
    await Promise.all(clients.map((client) => client.stop()));
    await fake.close();
    rmSync(workspace, { recursive: true, force: true });
  });

  let files = 0;
  /** A new file in the workspace (its own conversation), open in the editor unless `open` is false. */
  async function promptFile(client: LspClient, text: string, open = true): Promise<string> {
    const file = path.join(workspace, `chat-${++files}.prompt`);
    writeFileSync(file, text);
    const uri = fileUri(file);
    if (open) await client.open(uri, text, 1);
    return uri;
  }

  async function start(options: { env?: Record<string, string | undefined>; settings?: Partial<PromptChainSettings>; userLevel?: boolean } = {}): Promise<LspClient> {
    const client = await LspClient.start({
      pull: true,
      workspaceFolder: workspace,
      settings: options.settings ?? {},
      env: { OPENAI_BASE_URL: fake.baseURL, OPENAI_API_KEY: 'sk-loop-test', XDG_STATE_HOME: path.join(workspace, 'xdg'), ...options.env },
      initializationOptions: { stateDir: path.join(workspace, 'state'), ...(options.userLevel && { configurationIsUserLevel: true }) },
    });
    clients.push(client);
    return client;
  }

  const memoryOf = (client: LspClient, uri: string) => client.executeCommand<ShowMemoryResult>('promptChain.showMemory', { uri });

  describe('turnInputs and the refusal', () => {
    let client: LspClient;
    before(async () => {
      client = await start();
    });

    test('a runnable file: its input key, no other variables, no errors, the model and where the turn goes', async () => {
      const uri = await promptFile(client, completionExample);
      const inputs = await client.request<TurnInputsResult>(TurnInputsRequest, { uri });
      assert.deepEqual(inputs, {
        inputKey: 'human_input',
        variables: [],
        errors: [],
        model: 'gpt-3.5-turbo-instruct',
        endpoint: { label: fake.baseURL, source: { kind: 'environment', name: 'OPENAI_BASE_URL' } },
        history: null,
      });
    });

    test('the other variables a turn takes, partials not required, from the unsaved text', async () => {
      const uri = await promptFile(client, completionExample);
      const edited = '---\nmodel: llama3.2\ninput_key: question\npartial_variables:\n  tone: dry\n---\n{history}\n{persona} ({tone}): {question}\n';
      await client.change(uri, 2, edited);
      const inputs = await client.request<TurnInputsResult>(TurnInputsRequest, { uri });
      assert.equal(inputs.inputKey, 'question');
      assert.deepEqual(inputs.variables, [
        { name: 'persona', required: true },
        { name: 'tone', required: false },
      ]);
      assert.equal(inputs.model, 'llama3.2');
    });

    test('{history} against memory.key chat_history: errors listed, no input key guessed; runTurn and formatPrompt refused, nothing sent or stored', async () => {
      const uri = await promptFile(client, mismatchedPrompt);
      const inputs = await client.request<TurnInputsResult>(TurnInputsRequest, { uri });
      assert.equal(inputs.inputKey, null, 'the engine cannot choose between {history} and {human_input}');
      assert.ok(inputs.errors.length > 0);
      assert.deepEqual(inputs.errors, (await client.pulledDiagnostics(uri)).filter((d) => d.severity === 1), 'the errors the editor shows');
      const sent = fake.requests.length;
      for (const command of ['promptChain.runTurn', 'promptChain.formatPrompt']) {
        const error = await failureOf(client.executeCommand(command, { uri, input: 'Hi', variables: { history: 'x' } }));
        assert.equal(error.code, requestFailed, command);
        assert.equal(error.data?.kind, 'file-has-errors', command);
        assert.deepEqual(error.data?.diagnostics, inputs.errors, command);
        const count = inputs.errors.length;
        assert.equal(error.message, `${path.basename(new URL(uri).pathname)}: ${count} error${count === 1 ? '' : 's'}; fix ${count === 1 ? 'it' : 'them'} before running`);
      }
      assert.equal(fake.requests.length, sent, 'the model was not called');
      assert.deepEqual((await memoryOf(client, uri)).turns, [], 'nothing stored');
    });

    test('a file that is not open: the errors of the file on disk', async () => {
      const uri = await promptFile(client, mismatchedPrompt, false);
      const inputs = await client.request<TurnInputsResult>(TurnInputsRequest, { uri });
      assert.ok(inputs.errors.some((d) => d.code === 'unprovided-variable'), JSON.stringify(inputs.errors));
      const error = await failureOf(client.executeCommand('promptChain.runTurn', { uri, input: 'Hi' }));
      assert.equal(error.data?.kind, 'file-has-errors');
    });
  });

  describe('formatPrompt', () => {
    let client: LspClient;
    before(async () => {
      client = await start();
    });

    test('the stored memory filled in, byte for byte the prompt the next turn sends; nothing sent or stored', async () => {
      const uri = await promptFile(client, completionExample);
      fake.enqueue({ reply: ' Hi there!\nHow can I help?' });
      await client.executeCommand<RunTurnResult>('promptChain.runTurn', { uri, input: 'Hi there my friend' });
      const sent = fake.requests.length;
      const preview = await client.executeCommand<FormatPromptResult>('promptChain.formatPrompt', { uri, input: 'Not too bad - how are you?' });
      assert.equal(fake.requests.length, sent, 'nothing sent');
      assert.equal((await memoryOf(client, uri)).turns.length, 1, 'nothing stored');
      assert.ok(preview.prompt.includes('Human: Hi there my friend\nAI:  Hi there!\nHow can I help?\nHuman: Not too bad - how are you?'), preview.prompt);
      assert.equal(preview.trace, `\n\n> Entering new LLMChain chain...\nPrompt after formatting:\n${preview.prompt}\n`);
      fake.enqueue({ reply: ' Fine.' });
      const turn = await client.executeCommand<RunTurnResult>('promptChain.runTurn', { uri, input: 'Not too bad - how are you?' });
      assert.equal(turn.prompt, preview.prompt);
      assert.equal(fake.requests.at(-1)!.body.prompt, preview.prompt, 'what the model received');
      assert.ok(turn.trace.startsWith(preview.trace));
    });

    test('a chat prompt: the messages as they would be sent', async () => {
      const uri = await promptFile(client, '---\nmemory: false\n---\nsystem:\nBe brief.\nhuman:\n{question}\n');
      const preview = await client.executeCommand<FormatPromptResult>('promptChain.formatPrompt', { uri, input: 'Why?' });
      assert.deepEqual(preview.messages, [
        { type: 'system', content: 'Be brief.' },
        { type: 'human', content: 'Why?' },
      ]);
      assert.equal(preview.prompt, 'System: Be brief.\nHuman: Why?');
    });

    test('a missing variable is an input failure, with LangChain\'s message', async () => {
      const uri = await promptFile(client, '---\nmemory: false\ninput_key: question\n---\n{persona}: {question}\n');
      const error = await failureOf(client.executeCommand('promptChain.formatPrompt', { uri, input: 'Why?' }));
      assert.equal(error.data?.kind, 'input');
      assert.equal(error.data?.reason, 'missing-input');
      assert.match(error.message, /^Missing some input keys: \{'persona'\}/);
    });
  });

  describe('failure kinds', () => {
    let client: LspClient;
    before(async () => {
      client = await start();
    });

    test('each fault of the endpoint has its kind, the finer reason and the setting to change; nothing stored', async () => {
      const uri = await promptFile(client, completionExample);
      const cases: [Parameters<FakeOpenAI['enqueue']>[0], Partial<FailureData>][] = [
        [{ fault: 'status', status: 401 }, { kind: 'auth', reason: 'auth', setting: { kind: 'environment', name: 'OPENAI_API_KEY' } }],
        [{ fault: 'status', status: 404 }, { kind: 'model', reason: 'model-not-found', setting: { kind: 'setting', name: 'promptChain.defaultCompletionModel' } }],
        [{ fault: 'status', status: 429, headers: { 'retry-after': '3600' } }, { kind: 'rate-limit', reason: 'rate-limit', retryAfterMs: 3_600_000 }],
      ];
      for (const [step, expected] of cases) {
        fake.enqueue(step);
        const error = await failureOf(client.executeCommand('promptChain.runTurn', { uri, input: 'Hi' }));
        assert.equal(error.code, requestFailed);
        assert.deepEqual(error.data, expected, error.message);
      }
      assert.deepEqual((await memoryOf(client, uri)).turns, []);
    });
  });

  describe('the setting a message names is the one that chose the endpoint', () => {
    test('the promptChain.baseUrl user setting, then OPENAI_BASE_URL', async () => {
      const down = `http://127.0.0.1:${await closedPort()}/v1`;
      const fromSetting = await start({ settings: { baseUrl: down }, userLevel: true, env: { OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' } });
      const fromEnv = await start({ env: { OPENAI_BASE_URL: down } });
      const cases: [LspClient, FailureData['setting'], string][] = [
        [fromSetting, { kind: 'setting', name: 'promptChain.baseUrl' }, 'the promptChain.baseUrl setting'],
        [fromEnv, { kind: 'environment', name: 'OPENAI_BASE_URL' }, 'OPENAI_BASE_URL'],
      ];
      for (const [client, setting, named] of cases) {
        const uri = await promptFile(client, completionExample);
        const inputs = await client.request<TurnInputsResult>(TurnInputsRequest, { uri });
        assert.deepEqual(inputs.endpoint, { label: down, source: setting });
        const error = await failureOf(client.executeCommand('promptChain.runTurn', { uri, input: 'Hi' }));
        assert.deepEqual(error.data, { kind: 'endpoint', reason: 'connection', setting });
        assert.equal(error.message, `Nothing is listening at ${down} (connection refused): start the model server or correct the base URL (${named}).`);
      }
    });
  });

  describe('listModels and the completion of model:', () => {
    const modelsAsked = () => fake.requests.filter((request) => request.path === '/v1/models').length;

    test('from the endpoint, then from the cache; completion offers the same list', async () => {
      const client = await start();
      const uri = await promptFile(client, '---\nmodel: \n---\n{history}\nHuman: {input}\n');
      fake.setModels(['qwen2.5', 'llama3.2']);
      const asked = modelsAsked();
      assert.deepEqual(await client.executeCommand<ListModelsResult>('promptChain.listModels', { uri }), { models: ['llama3.2', 'qwen2.5'], source: 'endpoint' });
      fake.setModels(['other']);
      assert.deepEqual(await client.executeCommand<ListModelsResult>('promptChain.listModels', { uri }), { models: ['llama3.2', 'qwen2.5'], source: 'endpoint' });
      assert.equal(modelsAsked(), asked + 1, 'the second answer came from the cache');
      const completion = await client.request<CompletionList | CompletionItem[] | null>('textDocument/completion', { textDocument: { uri }, position: { line: 1, character: 7 } });
      const labels = (Array.isArray(completion) ? completion : (completion?.items ?? [])).map((item) => item.label);
      assert.deepEqual(labels, ['llama3.2', 'qwen2.5']);
    });

    test('completion does not wait for the network: the settings first, and a fetch starts for next time', async () => {
      const client = await start({ settings: { models: ['from-settings'] } });
      const uri = await promptFile(client, '---\nmodel: \n---\n{history}\nHuman: {input}\n');
      fake.setModels(['listed']);
      const before = fake.requests.length;
      const completion = await client.request<CompletionList | CompletionItem[] | null>('textDocument/completion', { textDocument: { uri }, position: { line: 1, character: 7 } });
      const labels = (Array.isArray(completion) ? completion : (completion?.items ?? [])).map((item) => item.label);
      assert.deepEqual(labels, ['from-settings']);
      await fake.waitForRequest(before + 1);
      assert.equal(fake.requests[before]?.path, '/v1/models');
    });

    test('an endpoint that fails or lists none: the promptChain.models setting, not an error', async () => {
      const down = `http://127.0.0.1:${await closedPort()}/v1`;
      const failing = await start({ env: { OPENAI_BASE_URL: down }, settings: { models: ['a', 'b'] } });
      const uri = await promptFile(failing, completionExample);
      assert.deepEqual(await failing.executeCommand<ListModelsResult>('promptChain.listModels', { uri }), { models: ['a', 'b'], source: 'settings' });
      const empty = await start({ settings: { models: ['c'] } });
      fake.setModels([]);
      assert.deepEqual(await empty.executeCommand<ListModelsResult>('promptChain.listModels', { uri: await promptFile(empty, completionExample) }), { models: ['c'], source: 'settings' });
      const erroring = await start({ settings: { models: ['d'] } });
      fake.setModels({ status: 500 });
      assert.deepEqual(await erroring.executeCommand<ListModelsResult>('promptChain.listModels', { uri: await promptFile(erroring, completionExample) }), { models: ['d'], source: 'settings' });
    });
  });
});
