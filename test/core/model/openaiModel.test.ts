import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createOpenAIModel } from '../../../core/model/openaiModel';
import { ModelError, isCancelled } from '../../../core/model/errors';
import type { ModelRequest } from '../../../core/chain/types';
import { useFakeOpenAI } from '../../support/useFakeOpenAI';

const apiKey = 'sk-test-secret-key-1234';

function chatRequest(extra: Partial<ModelRequest> = {}): ModelRequest {
  const messages = [
    { type: 'system', content: 'Be brief.' },
    { type: 'human', content: 'Hi' },
    { type: 'ai', content: 'Hello!' },
    { type: 'human', content: 'How are you?' },
  ] as const;
  return { api: 'chat', model: 'gpt-4o-mini', messages: [...messages], parameters: {}, ...extra };
}

function completionRequest(extra: Partial<ModelRequest> = {}): ModelRequest {
  return { api: 'completion', model: 'gpt-3.5-turbo-instruct', prompt: 'Human: Hi\nChatbot:', parameters: {}, ...extra };
}

async function failure(promise: Promise<unknown>): Promise<ModelError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof ModelError, `expected a ModelError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the call to fail');
}

/** A ModelError a user can read: one line, names the endpoint, no stack text, never the key. */
function assertClearMessage(err: ModelError, endpoint: string): void {
  assert.ok(err.message.includes(endpoint), `message should name ${endpoint}: ${err.message}`);
  assert.ok(!err.message.includes('\n'), 'one line');
  assert.ok(!err.message.includes(apiKey), 'never the key');
  assert.ok(!/\bat .+:\d+:\d+/.test(err.message), 'no stack frames');
}

describe('createOpenAIModel', () => {
  const { fake, model } = useFakeOpenAI({ apiKey });

  describe('chat api', () => {
    test('streams the reply token by token and reports usage', async () => {
      fake.enqueue({ reply: 'Fine, thanks!', chunks: ['Fine', ',', ' thanks', '!'] });
      const tokens: string[] = [];
      const reply = await model().invoke(chatRequest({ onToken: (t) => tokens.push(t) }));
      assert.equal(reply.text, 'Fine, thanks!');
      assert.deepEqual(tokens, ['Fine', ',', ' thanks', '!']);
      assert.equal(reply.usage?.completionTokens, 4);
      assert.equal(reply.usage?.totalTokens, (reply.usage?.promptTokens ?? 0) + 4);
    });

    test('sends the messages with OpenAI roles, streaming with usage, and only the parameters set', async () => {
      fake.enqueue({ reply: 'ok' });
      await model().invoke(chatRequest({ parameters: { temperature: 0, stop: ['\nHuman:'], seed: 7 } }));
      const [request] = fake.requests;
      assert.equal(request?.path, '/v1/chat/completions');
      assert.equal(request?.headers.authorization, `Bearer ${apiKey}`);
      assert.deepEqual(request?.body, {
        model: 'gpt-4o-mini',
        stream: true,
        stream_options: { include_usage: true },
        temperature: 0,
        stop: ['\nHuman:'],
        seed: 7,
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Hi' },
          { role: 'assistant', content: 'Hello!' },
          { role: 'user', content: 'How are you?' },
        ],
      });
    });
  });

  describe('completion api', () => {
    test('sends the prompt string with LangChain OpenAI defaults and streams the text', async () => {
      fake.enqueue({ reply: ' Hi there! How can I help you today?' });
      const tokens: string[] = [];
      const reply = await model().invoke(completionRequest({ onToken: (t) => tokens.push(t) }));
      assert.equal(reply.text, ' Hi there! How can I help you today?');
      assert.equal(tokens.join(''), reply.text);
      assert.ok(tokens.length > 1, 'streamed in pieces');
      assert.deepEqual(fake.requests[0]?.body, {
        model: 'gpt-3.5-turbo-instruct',
        stream: true,
        stream_options: { include_usage: true },
        temperature: 0.7,
        max_tokens: 256,
        prompt: 'Human: Hi\nChatbot:',
      });
      assert.equal(fake.requests[0]?.path, '/v1/completions');
    });

    test('parameters from the file override the defaults', async () => {
      fake.enqueue({ reply: 'x' });
      await model().invoke(completionRequest({ parameters: { temperature: 0, max_tokens: 5, top_p: 0.5 } }));
      const body = fake.requests[0]?.body;
      assert.equal(body.temperature, 0);
      assert.equal(body.max_tokens, 5);
      assert.equal(body.top_p, 0.5);
    });
  });

  describe('failures become one clear sentence', () => {
    const statusCases: [number, string, RegExp][] = [
      [401, 'auth', /rejected the API key .*OPENAI_API_KEY/],
      [404, 'model-not-found', /has no model "gpt-4o-mini"/],
      [429, 'rate-limit', /rate-limiting .*run the turn again/],
      [500, 'server', /failed with 500/],
      [503, 'server', /failed with 503/],
      [400, 'bad-request', /rejected the request \(400/],
    ];
    for (const [status, kind, pattern] of statusCases) {
      test(`${status} -> ${kind}`, async () => {
        fake.enqueue({ fault: 'status', status });
        const err = await failure(model().invoke(chatRequest()));
        assert.equal(err.kind, kind);
        assert.equal(err.status, status);
        assert.match(err.message, pattern);
        assertClearMessage(err, fake.baseURL);
      });
    }

    test('a chat model on the completions API (OpenAI\'s 404) says to pick a completion model', async () => {
      const message = 'This is a chat model and not supported in the v1/completions endpoint. Did you mean to use v1/chat/completions?';
      fake.enqueue({ fault: 'status', status: 404, body: { error: { message, type: 'invalid_request_error', param: 'model', code: null } } });
      const err = await failure(model().invoke(completionRequest()));
      assert.equal(err.kind, 'model-not-found');
      assert.match(err.message, /as a chat model only.*completion model such as gpt-3\.5-turbo-instruct/);
      assertClearMessage(err, fake.baseURL);
    });

    test('a 401 body quoting the key never leaks it', async () => {
      const body = { error: { message: `Incorrect API key provided: ${apiKey}`, type: 'invalid_request_error', code: 'invalid_api_key' } };
      fake.enqueue({ fault: 'status', status: 401, body });
      assertClearMessage(await failure(model().invoke(chatRequest())), fake.baseURL);
    });

    test('a 5xx body quoting the key is scrubbed', async () => {
      fake.enqueue({ fault: 'status', status: 500, body: { error: { message: `upstream said Bearer ${apiKey}` } } });
      const err = await failure(model().invoke(chatRequest()));
      assert.match(err.message, /upstream said/);
      assertClearMessage(err, fake.baseURL);
    });

    test('429 insufficient_quota -> quota', async () => {
      fake.enqueue({ fault: 'status', status: 429, body: { error: { message: 'You exceeded your current quota', code: 'insufficient_quota' } } });
      const err = await failure(model().invoke(chatRequest()));
      assert.equal(err.kind, 'quota');
    });

    test('a base URL without the API root -> bad-url', async () => {
      const wrong = createOpenAIModel({ apiKey, baseURL: `http://127.0.0.1:${fake.port}`, maxRetries: 0 });
      const err = await failure(wrong.invoke(chatRequest()));
      assert.equal(err.kind, 'bad-url');
      assert.match(err.message, /\/v1/);
    });

    test('no answer within the timeout -> timeout', async () => {
      fake.enqueue({ fault: 'hang' });
      const err = await failure(model({ timeoutMs: 200 }).invoke(chatRequest()));
      assert.equal(err.kind, 'timeout');
      assert.match(err.message, /did not answer within 0\.2 s/);
      assertClearMessage(err, fake.baseURL);
    });

    test('a stream that stalls mid-reply -> timeout, after the tokens already streamed', async () => {
      fake.enqueue({ fault: 'hang', chunks: ['Half', ' a'] });
      const tokens: string[] = [];
      const err = await failure(model({ timeoutMs: 150 }).invoke(chatRequest({ onToken: (t) => tokens.push(t) })));
      assert.equal(err.kind, 'timeout');
      assert.deepEqual(tokens, ['Half', ' a']);
    });

    test('connection refused -> connection', async () => {
      const port = await closedPort();
      const err = await failure(createOpenAIModel({ apiKey, baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0 }).invoke(chatRequest()));
      assert.equal(err.kind, 'connection');
      assert.match(err.message, /connection refused/);
      assertClearMessage(err, `http://127.0.0.1:${port}/v1`);
    });

    test('a port fetch refuses to use (6000) -> connection, saying to use another port', async () => {
      const baseURL = 'http://127.0.0.1:6000/v1';
      const err = await failure(createOpenAIModel({ apiKey, baseURL, maxRetries: 0 }).invoke(chatRequest()));
      assert.equal(err.kind, 'connection');
      assert.match(err.message, /another port/);
      assertClearMessage(err, baseURL);
    });

    for (const api of ['chat', 'completion'] as const) {
      test(`${api}: stream cut mid-reply -> stream-cut`, async () => {
        fake.enqueue({ fault: 'cut', chunks: ['Hello', ' wor'] });
        const request = api === 'chat' ? chatRequest() : completionRequest();
        const err = await failure(model().invoke(request));
        assert.equal(err.kind, 'stream-cut');
        assertClearMessage(err, fake.baseURL);
      });

      test(`${api}: a stream that ends cleanly without a finish reason -> stream-cut`, async () => {
        fake.enqueue({ fault: 'truncate', chunks: ['Hello', ' wor'] });
        const request = api === 'chat' ? chatRequest() : completionRequest();
        const tokens: string[] = [];
        const err = await failure(model().invoke({ ...request, onToken: (t) => tokens.push(t) }));
        assert.equal(err.kind, 'stream-cut');
        assert.deepEqual(tokens, ['Hello', ' wor']);
        assertClearMessage(err, fake.baseURL);
      });

      test(`${api}: a stream without content -> empty`, async () => {
        fake.enqueue({ fault: 'empty' });
        const request = api === 'chat' ? chatRequest() : completionRequest();
        const err = await failure(model().invoke(request));
        assert.equal(err.kind, 'empty');
        assertClearMessage(err, fake.baseURL);
      });
    }

    test('no key for api.openai.com -> missing-key, without a request', async () => {
      const saved = process.env.OPENAI_API_KEY;
      delete process.env.OPENAI_API_KEY;
      try {
        const err = await failure(createOpenAIModel({ baseURL: 'https://api.openai.com/v1' }).invoke(chatRequest()));
        assert.equal(err.kind, 'missing-key');
        assert.match(err.message, /OPENAI_API_KEY/);
      } finally {
        if (saved !== undefined) process.env.OPENAI_API_KEY = saved;
      }
    });

    test('the endpoint is named without credentials', async () => {
      fake.enqueue({ fault: 'status', status: 500 });
      const err = await failure(createOpenAIModel({ apiKey, baseURL: `http://user:pw@127.0.0.1:${fake.port}/v1`, maxRetries: 0 }).invoke(chatRequest()));
      assert.ok(!err.message.includes('pw@'));
      assert.ok(err.message.includes(fake.baseURL));
    });
  });

  describe('local servers', () => {
    test('run without a key (a placeholder is sent)', async () => {
      const saved = process.env.OPENAI_API_KEY;
      delete process.env.OPENAI_API_KEY;
      try {
        fake.enqueue({ reply: 'ok' });
        const reply = await createOpenAIModel({ baseURL: fake.baseURL, maxRetries: 0 }).invoke(chatRequest());
        assert.equal(reply.text, 'ok');
        assert.ok(String(fake.requests[0]?.headers.authorization).startsWith('Bearer '));
      } finally {
        if (saved !== undefined) process.env.OPENAI_API_KEY = saved;
      }
    });

    test('retries a 500 when retries are allowed', async () => {
      fake.enqueue({ fault: 'status', status: 500 }, { reply: 'second time lucky' });
      const reply = await model({ maxRetries: 1 }).invoke(chatRequest());
      assert.equal(reply.text, 'second time lucky');
      assert.equal(fake.requests.length, 2);
    });
  });

  describe('cancellation', () => {
    test('aborting while the server has not answered -> cancelled', async () => {
      fake.enqueue({ fault: 'hang' });
      const controller = new AbortController();
      const pending = model().invoke(chatRequest({ signal: controller.signal }));
      await fake.waitForHang(1);
      controller.abort();
      const err = await failure(pending);
      assert.equal(err.kind, 'cancelled');
      assert.ok(isCancelled(err));
      await fake.waitForClientAbort(1);
    });

    test('aborting mid-stream -> cancelled, even though the SDK ends the stream quietly', async () => {
      fake.enqueue({ fault: 'hang', chunks: ['First'] });
      const controller = new AbortController();
      const err = await failure(model().invoke(chatRequest({ signal: controller.signal, onToken: () => controller.abort() })));
      assert.equal(err.kind, 'cancelled');
    });

    test('an already aborted signal sends nothing', async () => {
      const controller = new AbortController();
      controller.abort();
      const err = await failure(model().invoke(chatRequest({ signal: controller.signal })));
      assert.equal(err.kind, 'cancelled');
      assert.equal(fake.requests.length, 0);
    });
  });
});

/** A port that was just free: nothing listens on it. */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
