import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { SettingSource } from '../../../core/model/settingSource';
import { createOpenAIModel } from '../../../core/model/openaiModel';
import { ModelError, isCancelled } from '../../../core/model/errors';
import type { ModelRequest } from '../../../core/chain/types';
import { useFakeOpenAI } from '../../support/useFakeOpenAI';
import { closedPort } from '../../support/ports';

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
      // Long enough for the first bytes to arrive on a busy machine: the test is about the silence after them.
      const err = await failure(model({ timeoutMs: 500 }).invoke(chatRequest({ onToken: (t) => tokens.push(t) })));
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

    test('connection refused names where the base URL came from: the setting, OPENAI_BASE_URL or --base-url, never another', async () => {
      const baseURL = `http://127.0.0.1:${await closedPort()}/v1`;
      const cases: [SettingSource, string][] = [
        [{ kind: 'setting', name: 'promptChain.baseUrl' }, 'the promptChain.baseUrl setting'],
        [{ kind: 'environment', name: 'OPENAI_BASE_URL' }, 'OPENAI_BASE_URL'],
        [{ kind: 'flag', name: '--base-url' }, '--base-url'],
      ];
      for (const [endpointSource, named] of cases) {
        const err = await failure(createOpenAIModel({ apiKey, baseURL, endpointSource, maxRetries: 0 }).invoke(chatRequest()));
        assert.equal(err.message, `Nothing is listening at ${baseURL} (connection refused): start the model server or correct the base URL (${named}).`);
      }
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
        for (const options of [{ baseURL: 'https://api.openai.com/v1' }, {}]) {
          // Without a base URL the adapter's default is OpenAI's endpoint, which needs a key.
          const err = await failure(createOpenAIModel(options).invoke(chatRequest()));
          assert.equal(err.kind, 'missing-key');
          assert.match(err.message, /^No API key for https:\/\/api\.openai\.com\/v1: .*OPENAI_API_KEY/);
        }
      } finally {
        if (saved !== undefined) process.env.OPENAI_API_KEY = saved;
      }
    });

    test('a base URL with user:password@ is refused before anything is sent, naming it without them', async () => {
      const err = await failure(createOpenAIModel({ apiKey, baseURL: `http://user:s3cret-pw@127.0.0.1:${fake.port}/v1` }).invoke(chatRequest()));
      assert.equal(err.kind, 'bad-url');
      assert.match(err.message, /has a user name or password in it, which are never sent: .*OPENAI_API_KEY/);
      assert.ok(!err.message.includes('s3cret-pw') && !err.message.includes('user@'), err.message);
      assertClearMessage(err, fake.baseURL);
      assert.equal(fake.requests.length, 0);
    });
  });

  describe('rate limits and Retry-After', () => {
    // 21:40:00 local time, wherever the tests run.
    const now = new Date(2026, 11, 1, 21, 40, 0).getTime();
    const localTime = (ms: number) => new Date(ms).toTimeString().slice(0, 8);

    test('a 429 asking for a longer wait than we retry after fails at once, naming the wait and the time', async () => {
      fake.enqueue({ fault: 'status', status: 429, headers: { 'retry-after': '30' } }, { reply: 'never reached' });
      const err = await failure(model({ maxRetries: 2, timeoutMs: 1000, now: () => now }).invoke(chatRequest()));
      assert.equal(err.kind, 'rate-limit');
      assert.equal(err.retryAfterMs, 30_000);
      assert.ok(err.message.endsWith(`(429 Too Many Requests): it asks to wait 30 s; run the turn again after ${localTime(now + 30_000)}.`), err.message);
      assertClearMessage(err, fake.baseURL);
      assert.equal(fake.requests.length, 1, 'not retried');
    });

    test('Retry-After as an HTTP date, and retry-after-ms, are read too', async () => {
      const date = new Date(now + 120_000).toUTCString();
      fake.enqueue({ fault: 'status', status: 429, headers: { 'retry-after': date } });
      const byDate = await failure(model({ now: () => now }).invoke(chatRequest()));
      assert.match(byDate.message, new RegExp(`it asks to wait 2 min; run the turn again after ${localTime(now + 120_000)}\\.$`));
      fake.enqueue({ fault: 'status', status: 429, headers: { 'retry-after-ms': '90500', 'retry-after': '91' } });
      const byMs = await failure(model({ now: () => now }).invoke(chatRequest()));
      assert.match(byMs.message, /it asks to wait 91 s; run the turn again after /);
      assert.equal(byMs.retryAfterMs, 90_500);
      fake.enqueue({ fault: 'status', status: 429, headers: { 'retry-after': '99999999999999999999' } });
      assert.match((await failure(model({ now: () => now }).invoke(chatRequest()))).message, /it asks to wait \d+ h \d+ min; run the turn again much later\.$/);
    });

    test('a short Retry-After is waited for and retried; the wait does not count against the timeout', async () => {
      fake.enqueue({ fault: 'status', status: 429, headers: { 'retry-after-ms': '1200' } }, { reply: 'after the wait' });
      const reply = await model({ maxRetries: 1, timeoutMs: 1000 }).invoke(chatRequest());
      assert.equal(reply.text, 'after the wait');
      assert.equal(fake.requests.length, 2);
    });

    test('when the retries run out, the last wait asked for is named', async () => {
      const busy = { fault: 'status', status: 503, headers: { 'retry-after-ms': '20' } } as const;
      fake.enqueue(busy, busy, busy);
      const err = await failure(model({ maxRetries: 2, now: () => now }).invoke(chatRequest()));
      assert.equal(err.kind, 'server');
      assert.match(err.message, /failed with 503 \(server error\).*; it asks to wait 1 s; run the turn again after \d\d:\d\d:\d\d\.$/);
      assert.equal(fake.requests.length, 3);
    });

    test('a quota that is used up is not retried', async () => {
      fake.enqueue({ fault: 'status', status: 429, body: { error: { message: 'You exceeded your current quota', code: 'insufficient_quota' } } }, { reply: 'no' });
      assert.equal((await failure(model({ maxRetries: 2 }).invoke(chatRequest()))).kind, 'quota');
      assert.equal(fake.requests.length, 1);
    });

    test('cancelling during a retry wait ends it at once', async () => {
      fake.enqueue({ fault: 'status', status: 429, headers: { 'retry-after': '9' } }, { reply: 'too late' });
      const controller = new AbortController();
      const pending = model({ maxRetries: 1 }).invoke(chatRequest({ signal: controller.signal }));
      await fake.waitForRequest(1);
      controller.abort();
      assert.equal((await failure(pending)).kind, 'cancelled');
      assert.equal(fake.requests.length, 1);
    });
  });

  describe('answers that are not an OpenAI stream', () => {
    for (const api of ['chat', 'completion'] as const) {
      const request = () => (api === 'chat' ? chatRequest() : completionRequest());

      test(`${api}: a chunk that is not JSON -> bad-stream, after the tokens before it, and nothing on the console`, async () => {
        fake.enqueue({ fault: 'malformed', chunks: ['Hel', 'lo'] });
        const tokens: string[] = [];
        const { result, printed } = await withConsole(() => model().invoke({ ...request(), onToken: (t) => tokens.push(t) }));
        const err = asModelError(result);
        assert.equal(err.kind, 'bad-stream');
        assert.match(err.message, /sent a malformed stream \(a chunk that is not valid JSON\)/);
        assertClearMessage(err, fake.baseURL);
        assert.deepEqual(tokens, ['Hel', 'lo']);
        assert.deepEqual(printed, []);
      });

      test(`${api}: a JSON completion that ignores stream: true is accepted as the reply`, async () => {
        fake.enqueue({ fault: 'unstreamed', reply: 'All at once.' });
        const tokens: string[] = [];
        const reply = await model().invoke({ ...request(), onToken: (t) => tokens.push(t) });
        assert.equal(reply.text, 'All at once.');
        assert.deepEqual(tokens, ['All at once.']);
        assert.equal(reply.usage?.completionTokens, 3);
      });
    }

    test('an HTML page -> not-openai, saying the base URL should end in /v1', async () => {
      fake.enqueue({ fault: 'body', contentType: 'text/html; charset=utf-8', body: '<!doctype html><title>Welcome to nginx!</title>' });
      const err = await failure(model().invoke(chatRequest()));
      assert.equal(err.kind, 'not-openai');
      assert.match(err.message, /answered with an HTML page, not an OpenAI API response: .*ends in \/v1/);
      assertClearMessage(err, fake.baseURL);
    });

    test('another content type with no events -> not-openai, naming the type', async () => {
      fake.enqueue({ fault: 'body', contentType: 'text/plain', body: 'It works!\n' });
      const err = await failure(model().invoke(chatRequest()));
      assert.equal(err.kind, 'not-openai');
      assert.match(err.message, /answered with "text\/plain" instead of an event stream/);
    });

    test('JSON that is not a completion -> not-openai; a JSON error object -> server, quoted', async () => {
      fake.enqueue({ fault: 'body', contentType: 'application/json', body: '{"status":"ok"}' });
      assert.match((await failure(model().invoke(chatRequest()))).message, /answered with JSON that is not a completion/);
      for (const body of ['{"error":{"message":"model is loading"}}', '{"error":"model is loading"}']) {
        fake.enqueue({ fault: 'body', contentType: 'application/json', body });
        const err = await failure(model().invoke(chatRequest()));
        assert.equal(err.kind, 'server');
        assert.match(err.message, /"model is loading"/);
      }
      fake.enqueue({ fault: 'body', contentType: 'text/event-stream', body: 'data: {"error":{"message":"out of memory"}}\n\n' });
      assert.match((await failure(model().invoke(chatRequest()))).message, /failed with an error mid-reply: "out of memory"/);
    });

    test('the SDK logs nothing, even with OPENAI_LOG=debug', async () => {
      const saved = process.env.OPENAI_LOG;
      process.env.OPENAI_LOG = 'debug';
      try {
        fake.enqueue({ fault: 'status', status: 500 }, { reply: 'ok' });
        const { result, printed } = await withConsole(() => model({ maxRetries: 1 }).invoke(chatRequest()));
        assert.equal((result as { text: string }).text, 'ok');
        assert.deepEqual(printed, []);
      } finally {
        if (saved === undefined) delete process.env.OPENAI_LOG;
        else process.env.OPENAI_LOG = saved;
      }
    });
  });

  describe('the reply cap', () => {
    test('a reply longer than maxReplyChars fails as soon as it passes, and the download is stopped', async () => {
      const pieces = 2000;
      fake.enqueue({ fault: 'huge', pieces, pieceChars: 65_536 });
      const tokens: string[] = [];
      const err = await failure(model({ maxReplyChars: 200_000 }).invoke(chatRequest({ onToken: (t) => tokens.push(t) })));
      assert.equal(err.kind, 'reply-too-large');
      assert.match(err.message, /sent a reply longer than 200,000 characters, the limit, .*nothing was saved to memory/);
      assertClearMessage(err, fake.baseURL);
      assert.equal(tokens.join('').length, 3 * 65_536, 'the tokens up to the cap, not the piece that passed it');
      await fake.waitForClientAbort(1);
      assert.ok(fake.piecesSent < pieces / 4, `the server wrote ${fake.piecesSent} of ${pieces} pieces`);
    });

    test('a reply of exactly maxReplyChars is kept; the default cap is 1,000,000', async () => {
      fake.enqueue({ reply: 'abcdefghij', chunks: ['abcde', 'fghij'] });
      assert.equal((await model({ maxReplyChars: 10 }).invoke(chatRequest())).text, 'abcdefghij');
      fake.enqueue({ fault: 'huge', pieces: 16, pieceChars: 65_536 });
      assert.match((await failure(model().invoke(chatRequest()))).message, /longer than 1,000,000 characters/);
    });

    test('a non-streamed reply over the cap fails the same way', async () => {
      fake.enqueue({ fault: 'unstreamed', reply: 'x'.repeat(101) });
      assert.equal((await failure(model({ maxReplyChars: 100 }).invoke(completionRequest()))).kind, 'reply-too-large');
    });
  });

  describe('timeouts Node cannot time', () => {
    test('a timeout beyond 2^31-1 ms waits as long as Node can, without a TimeoutOverflowWarning', async () => {
      const warnings: string[] = [];
      const onWarning = (warning: Error) => warnings.push(warning.name);
      process.on('warning', onWarning);
      try {
        fake.enqueue({ fault: 'delay', ms: 50, reply: 'patience' });
        assert.equal((await model({ timeoutMs: 3_000_000_000 }).invoke(chatRequest())).text, 'patience');
        await new Promise((resolve) => setImmediate(resolve));
        assert.deepEqual(warnings, []);
      } finally {
        process.off('warning', onWarning);
      }
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

function asModelError(value: unknown): ModelError {
  assert.ok(value instanceof ModelError, `expected a ModelError, got ${String(value)}`);
  return value;
}

/** Runs `call` with every console method recording what it would print. */
async function withConsole<T>(call: () => Promise<T>): Promise<{ result: T | unknown; printed: string[] }> {
  const methods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
  const saved = methods.map((name) => console[name]);
  const printed: string[] = [];
  for (const name of methods) console[name] = (...args: unknown[]) => void printed.push(`${name}: ${args.map(String).join(' ')}`);
  try {
    return { result: await call().catch((error: unknown) => error), printed };
  } finally {
    methods.forEach((name, i) => (console[name] = saved[i]!));
  }
}

/** A port that was just free: nothing listens on it. */
