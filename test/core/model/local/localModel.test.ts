// Real turns on the in-process model: a tiny GGUF written by the test (test/support/tinyGguf.ts), run by
// the real node-llama-cpp binding through the pool every host builds (pool.ts). The tiny model is a Markov
// chain whose greedy reply is `tinyGreedyReply`, eight tokens: Hello ! ▁I ▁am ▁a ▁tiny ▁model . then the
// end token. The test loads the same file with node-llama-cpp itself only to count tokens with the model's
// own tokenizer, never to answer a turn.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTurn } from '../../../../core/chain/run';
import type { ChatMessage, ModelReply, ModelRequest } from '../../../../core/chain/types';
import type { ModelParameters } from '../../../../core/format/model';
import { createModel } from '../../../../core/model/createModel';
import { resolveEndpoint } from '../../../../core/model/endpoint';
import { ModelError, type ModelErrorKind } from '../../../../core/model/errors';
import { LocalModelPool } from '../../../../core/model/local/localModel';
import { localModelRef } from '../../../../core/model/local/modelRef';
import { createLocalPool } from '../../../../core/model/local/pool';
import { openConversation } from '../../../../core/memory/store';
import { chatExample, variant } from '../../../support/examples';
import { tinyGreedyReply, tinyModelBytes, writeTinyModel, type TinyModelOptions } from '../../../support/tinyGguf';
import { loadPrompt } from '../../chain/helpers';

/** Tokens of the greedy reply, from the chain: Hello ! ▁I ▁am ▁a ▁tiny ▁model . (the end token is not reply). */
const greedyReplyTokens = 8;
const suiteTimeout = { timeout: 120_000 };

interface TinyModels {
  readonly dir: string;
  readonly pool: LocalModelPool;
  /** Writes a tiny model into the suite's folder and returns its `local:` model name. */
  write(name: string, options?: TinyModelOptions): string;
}

/** A temporary folder and one pool for the suite, disposed after it. */
function useTinyModels(): TinyModels {
  let dir = '';
  let pool: LocalModelPool | undefined;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'prompt-chain-local-'));
    pool = createLocalPool({ env: { PROMPT_CHAIN_MODELS_DIR: join(dir, 'cache') }, threads: 1 });
  });
  after(async () => {
    await pool?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    get dir() {
      return dir;
    },
    get pool() {
      if (!pool) throw new Error('the suite has not started');
      return pool;
    },
    write(name, options) {
      const path = join(dir, name);
      writeTinyModel(path, options);
      return `local:${path}`;
    },
  };
}

function invoke(pool: LocalModelPool, request: ModelRequest, maxReplyChars?: number): Promise<ModelReply> {
  return pool.model({ ref: localModelRef(request.model), ...(maxReplyChars !== undefined && { maxReplyChars }) }).invoke(request);
}

function chatRequest(model: string, parameters: ModelParameters = {}, messages: ChatMessage[] = [{ type: 'human', content: 'hi' }]): ModelRequest {
  return { api: 'chat', model, messages, parameters: { temperature: 0, ...parameters } };
}

function completionRequest(model: string, prompt: string, parameters: ModelParameters = {}): ModelRequest {
  return { api: 'completion', model, prompt, parameters: { temperature: 0, ...parameters } };
}

/** The reply and the pieces it streamed in. */
async function streamed(pool: LocalModelPool, request: ModelRequest): Promise<{ reply: ModelReply; pieces: string[] }> {
  const pieces: string[] = [];
  const reply = await invoke(pool, { ...request, onToken: (piece) => pieces.push(piece) });
  return { reply, pieces };
}

async function failureOf(promise: Promise<unknown>, kind: ModelErrorKind): Promise<ModelError> {
  const error = await promise.then(
    () => assert.fail(`expected a ${kind} failure, got a reply`),
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof ModelError, String(error));
  assert.equal(error.kind, kind, error.message);
  return error;
}

interface Tokenizer {
  tokenize(text: string, specialTokens?: boolean): number[];
  dispose(): Promise<void>;
}

/** The tiny model loaded by node-llama-cpp directly, to count tokens as the model does. */
async function loadTokenizer(modelPath: string): Promise<Tokenizer> {
  const { getLlama, LlamaLogLevel } = await import('node-llama-cpp');
  // The native log is one per process: this one drops llama.cpp's messages as the pool's does.
  const llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error, logger: () => undefined, maxThreads: 1 });
  return llama.loadModel({ modelPath });
}

describe('the local model: a turn on a tiny GGUF through node-llama-cpp', suiteTimeout, () => {
  const models = useTinyModels();
  let tiny: string;
  before(() => (tiny = models.write('tiny.gguf')));

  test('the reply streams in more than one piece, and the pieces join to the reply', async () => {
    const { reply, pieces } = await streamed(models.pool, chatRequest(tiny));
    assert.equal(reply.text, tinyGreedyReply);
    assert.ok(pieces.length > 1, `pieces: ${JSON.stringify(pieces)}`);
    assert.equal(pieces.join(''), reply.text);
  });

  test('usage: the completion tokens are the tokens generated, the total their sum with the prompt', async () => {
    const { usage } = await invoke(models.pool, chatRequest(tiny));
    assert.equal(usage?.completionTokens, greedyReplyTokens);
    assert.ok(usage.promptTokens! > 0, JSON.stringify(usage));
    assert.equal(usage.totalTokens, usage.promptTokens! + greedyReplyTokens);
  });

  test('stop: the reply ends before the stop text, which is never streamed', async () => {
    const cases: [string[], string][] = [
      [['tiny'], 'Hello! I am a '],
      // Split across tokens: "!" and "▁I" are two tokens, "a tiny" spans "▁a" and "▁tiny".
      [['! I'], 'Hello'],
      [['a tiny', 'model'], 'Hello! I am '],
      // A stop that starts to match ("model" is the start of "model!") and then does not: the reply is whole.
      [['model!'], tinyGreedyReply],
    ];
    for (const [stop, expected] of cases) {
      const { reply, pieces } = await streamed(models.pool, chatRequest(tiny, { stop }));
      assert.equal(reply.text, expected, JSON.stringify(stop));
      assert.equal(pieces.join(''), expected, JSON.stringify(stop));
    }
  });

  test('max_tokens: exactly that many tokens, the start of the whole reply', async () => {
    for (const maxTokens of [1, 3, 5]) {
      const { text, usage } = await invoke(models.pool, chatRequest(tiny, { max_tokens: maxTokens }));
      assert.equal(usage?.completionTokens, maxTokens);
      assert.ok(tinyGreedyReply.startsWith(text) && text.length < tinyGreedyReply.length, `${maxTokens}: ${JSON.stringify(text)}`);
    }
    assert.equal((await invoke(models.pool, chatRequest(tiny, { max_tokens: 3 }))).text, 'Hello! I');
  });

  test('seed: the same seed gives the same reply at temperature 1; seeds 1 to 10 do not all agree', async () => {
    const replyFor = async (seed: number) => (await invoke(models.pool, chatRequest(tiny, { temperature: 1, seed }))).text;
    const replies: string[] = [];
    for (let seed = 1; seed <= 10; seed++) {
      const reply = await replyFor(seed);
      assert.equal(await replyFor(seed), reply, `seed ${seed}`);
      replies.push(reply);
    }
    assert.ok(new Set(replies).size >= 2, `replies: ${JSON.stringify(replies)}`);
  });

  test('top_p: a nucleus smaller than any branch keeps the likeliest token, so every seed says the greedy reply', async () => {
    // Every branch of the chain has its likeliest successor at 0.4 or more: top_p 0.3 keeps it alone.
    for (let seed = 1; seed <= 10; seed++) {
      assert.equal((await invoke(models.pool, chatRequest(tiny, { temperature: 1, top_p: 0.3, seed }))).text, tinyGreedyReply, `seed ${seed}`);
    }
  });

  test('a reply longer than maxReplyChars is reply-too-large', async () => {
    const error = await failureOf(invoke(models.pool, chatRequest(tiny), 10), 'reply-too-large');
    assert.match(error.message, /10/);
  });

  test('a stop at the very start leaves nothing: an empty reply is the empty failure, as from an endpoint', async () => {
    const error = await failureOf(invoke(models.pool, chatRequest(tiny, { stop: ['Hello'] })), 'empty');
    assert.match(error.message, /^local:tiny\.gguf returned an empty reply/);
  });

  test('a call waiting for the model is cancelled while it waits: nothing streamed, the running one unharmed', async () => {
    const waiting = new AbortController();
    const waitingPieces: string[] = [];
    const running = invoke(models.pool, { ...chatRequest(tiny), onToken: () => waiting.abort() });
    const queued = invoke(models.pool, { ...chatRequest(tiny), signal: waiting.signal, onToken: (piece) => waitingPieces.push(piece) });
    assert.equal((await running).text, tinyGreedyReply);
    await failureOf(queued, 'cancelled');
    assert.deepEqual(waitingPieces, []);
  });

  test('after dispose the pool loads the model again for the next call', async () => {
    const pool = createLocalPool({ env: { PROMPT_CHAIN_MODELS_DIR: join(models.dir, 'cache') }, threads: 1 });
    try {
      assert.equal((await invoke(pool, chatRequest(tiny))).text, tinyGreedyReply);
      await pool.dispose();
      assert.equal((await invoke(pool, chatRequest(tiny))).text, tinyGreedyReply);
    } finally {
      await pool.dispose();
    }
  });

  test('two calls at once on one model each get their own whole reply', async () => {
    const replies = await Promise.all([chatRequest(tiny), chatRequest(tiny, { max_tokens: 2 })].map((request) => invoke(models.pool, request)));
    assert.deepEqual(replies.map((reply) => reply.text), [tinyGreedyReply, 'Hello!']);
  });

  test("local:./model.gguf is found from the prompt's folder: the same name in two folders is two models", async () => {
    const withTemplate = join(models.dir, 'a');
    const withoutTemplate = join(models.dir, 'b');
    mkdirSync(withTemplate);
    mkdirSync(withoutTemplate);
    writeTinyModel(join(withTemplate, 'model.gguf'));
    writeTinyModel(join(withoutTemplate, 'model.gguf'), { withoutChatTemplate: true });
    const endpoint = resolveEndpoint({ env: {} });
    const from = (baseDir: string) => createModel(endpoint, { localPool: () => models.pool, baseDir });
    assert.equal((await from(withTemplate).invoke(chatRequest('local:./model.gguf'))).text, tinyGreedyReply);
    // The other folder's file has no chat template: the chat call fails there, so it was that file that ran.
    assert.match((await failureOf(from(withoutTemplate).invoke(chatRequest('local:./model.gguf')), 'local-model')).message, /no chat template/);
    const missing = await failureOf(from(join(models.dir, 'c')).invoke(chatRequest('local:./model.gguf')), 'local-model');
    assert.ok(missing.message.includes(join(models.dir, 'c', 'model.gguf')), missing.message);
  });
});

describe('the local model: prompts as the model sees them', suiteTimeout, () => {
  const models = useTinyModels();
  let tiny: string;
  let tokenizer: Tokenizer;
  before(async () => {
    tiny = models.write('tiny.gguf');
    tokenizer = await loadTokenizer(tiny.slice('local:'.length));
  });
  after(() => tokenizer.dispose());

  test("the chat example goes through the model's ChatML template: the prompt tokens are its rendering's", async () => {
    // Greedy, so the reply is known; the template sees only the messages.
    const { prompt, config } = loadPrompt(variant(chatExample, '---\nmemory:', '---\nparameters:\n  temperature: 0\nmemory:'), { model: tiny });
    const conversation = openConversation({ stateDir: join(models.dir, 'state'), workspaceRoot: models.dir, filePath: join(models.dir, 'chatbot-chat.prompt'), memory: config.memory! });
    await conversation.append({ input: 'Hi there my friend', output: 'Hello!' });
    const model = createModel(resolveEndpoint({ env: {} }), { localPool: () => models.pool });
    const result = await runTurn({ prompt, config, input: 'Not too bad - how are you?', conversation, model });
    const chatML =
      '<|im_start|>system\nYou are a chatbot having a conversation with a human.<|im_end|>\n' +
      '<|im_start|>user\nHi there my friend<|im_end|>\n<|im_start|>assistant\nHello!<|im_end|>\n' +
      '<|im_start|>user\nNot too bad - how are you?<|im_end|>\n<|im_start|>assistant\n';
    assert.equal(result.reply, tinyGreedyReply);
    // The template's markers are one special token each, not their characters.
    assert.equal(result.usage?.promptTokens, tokenizer.tokenize(chatML, true).length);
    assert.notEqual(tokenizer.tokenize(chatML, true).length, tokenizer.tokenize(chatML, false).length);
    assert.deepEqual(await conversation.load(), [{ input: 'Hi there my friend', output: 'Hello!' }, { input: 'Not too bad - how are you?', output: tinyGreedyReply }]);
  });

  test('a completion prompt is sent raw: no template, and template markers in it are plain text', async () => {
    const text = 'You are a chatbot.\n\nHuman: <|im_start|>hi\nChatbot:';
    const { text: reply, usage } = await invoke(models.pool, completionRequest(tiny, text));
    assert.equal(reply, tinyGreedyReply);
    assert.equal(usage?.promptTokens, tokenizer.tokenize(text, false).length);
    assert.notEqual(usage.promptTokens, tokenizer.tokenize(text, true).length);
  });
});

describe('the local model: cancelling a turn', suiteTimeout, () => {
  const models = useTinyModels();

  test('an abort after the first piece cancels the turn through runTurn; the stored conversation keeps its bytes', async () => {
    const tiny = models.write('tiny.gguf');
    const { prompt, config } = loadPrompt(chatExample, { model: tiny });
    const conversation = openConversation({ stateDir: join(models.dir, 'state'), workspaceRoot: models.dir, filePath: join(models.dir, 'chatbot-chat.prompt'), memory: config.memory! });
    await conversation.append({ input: 'Hi there my friend', output: 'Hello!' });
    const stored = readFileSync(conversation.recordsPath);
    const model = createModel(resolveEndpoint({ env: {} }), { localPool: () => models.pool });
    const cancel = new AbortController();
    const pieces: string[] = [];
    const turn = runTurn({
      prompt,
      config,
      input: 'Not too bad - how are you?',
      conversation,
      model,
      signal: cancel.signal,
      onToken: (piece) => {
        pieces.push(piece);
        cancel.abort();
      },
    });
    await failureOf(turn, 'cancelled');
    assert.ok(pieces.length >= 1 && pieces.join('').length < tinyGreedyReply.length, `pieces: ${JSON.stringify(pieces)}`);
    assert.deepEqual(readFileSync(conversation.recordsPath), stored);

    // The model is still there for the next turn (the file sets no temperature: llama.cpp's 0.8 samples).
    const next = await runTurn({ prompt, config, input: 'again', conversation, model });
    assert.match(next.reply, /^(Hello! )?I am a (tiny|small|local) model\./);
    assert.deepEqual((await conversation.load()).map((turn) => 'input' in turn && turn.input), ['Hi there my friend', 'again']);
  });

  test('a signal aborted before the call: cancelled, nothing streamed', async () => {
    const tiny = models.write('tiny-early.gguf');
    const pieces: string[] = [];
    const request = { ...chatRequest(tiny), signal: AbortSignal.abort(), onToken: (piece: string) => pieces.push(piece) };
    await failureOf(invoke(models.pool, request), 'cancelled');
    assert.deepEqual(pieces, []);
  });
});

describe('the local model: what it cannot do', suiteTimeout, () => {
  const models = useTinyModels();

  test('a model without a chat template: a chat prompt is local-model, a completion prompt still runs', async () => {
    const bare = models.write('bare.gguf', { withoutChatTemplate: true });
    const error = await failureOf(invoke(models.pool, chatRequest(bare)), 'local-model');
    assert.match(error.message, /local:bare\.gguf has no chat template .*write the prompt as a completion prompt/);
    assert.equal((await invoke(models.pool, completionRequest(bare, 'Q: hi\nA:'))).text, tinyGreedyReply);
  });

  test('a prompt longer than the context: bad-request with both numbers, nothing generated', async () => {
    const short = models.write('short.gguf', { contextLength: 64 });
    const tokenizer = await loadTokenizer(short.slice('local:'.length));
    try {
      const prompt = 'Tell me everything about the history of the world, and then some more.';
      const promptTokens = tokenizer.tokenize(prompt).length;
      assert.ok(promptTokens > 64, `${promptTokens} tokens`);
      const pieces: string[] = [];
      const error = await failureOf(invoke(models.pool, { ...completionRequest(short, prompt), onToken: (piece) => pieces.push(piece) }), 'bad-request');
      assert.ok(error.message.startsWith(`The prompt has ${promptTokens} tokens, and local:short.gguf runs with a 64-token context`), error.message);
      assert.deepEqual(pieces, []);
    } finally {
      await tokenizer.dispose();
    }
  });

  test('a prompt that nearly fills the context: the reply stops where the context is full, whatever max_tokens says', async () => {
    const short = models.write('short-room.gguf', { contextLength: 64 });
    const tokenizer = await loadTokenizer(short.slice('local:'.length));
    try {
      let prompt = 'Q:';
      while (tokenizer.tokenize(`${prompt}x`).length <= 61) prompt += 'x';
      const promptTokens = tokenizer.tokenize(prompt).length;
      const { text, usage } = await invoke(models.pool, completionRequest(short, prompt, { max_tokens: 100 }));
      assert.equal(usage?.promptTokens, promptTokens);
      assert.equal(usage.completionTokens, 64 - promptTokens);
      assert.ok(tinyGreedyReply.startsWith(text) && text.length > 0, JSON.stringify(text));
    } finally {
      await tokenizer.dispose();
    }
  });

  test('no runtime installed: local-runtime, naming the command that installs it', async () => {
    const empty = join(models.dir, 'no-runtime');
    mkdirSync(empty);
    const tiny = models.write('tiny.gguf');
    const withFile = new LocalModelPool({ runtimeDir: join(empty, 'runtime'), from: join(empty, 'index.js'), modelFile: async () => tiny.slice('local:'.length) });
    const error = await failureOf(invoke(withFile, chatRequest(tiny)), 'local-runtime');
    assert.match(error.message, /`prompt-chain models install-runtime`/);
    assert.ok(error.message.includes(join(empty, 'runtime')), error.message);
    await withFile.dispose();
  });

  test('a model file that is not a usable GGUF: local-model, naming the file', async () => {
    const missing = join(models.dir, 'missing.gguf');
    assert.match((await failureOf(invoke(models.pool, chatRequest(`local:${missing}`)), 'local-model')).message, /does not exist/);
    const truncated = join(models.dir, 'truncated.gguf');
    writeFileSync(truncated, tinyModelBytes().subarray(0, 4096));
    const error = await failureOf(invoke(models.pool, chatRequest(`local:${truncated}`)), 'local-model');
    assert.ok(error.message.startsWith(`The local model ${truncated} cannot be loaded`), error.message);
  });
});
