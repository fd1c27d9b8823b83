// The fake server as other tests and the e2e suite use it: in-process wire shapes, and the standalone
// program (`--port`, FAKE_OPENAI_REPLIES, control routes) that out-of-process tests drive.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { startFakeOpenAI } from './fakeOpenAI';

describe('fake OpenAI server', () => {
  test('non-streaming chat and completion replies have the OpenAI shapes', async () => {
    const fake = await startFakeOpenAI({ replies: [{ reply: 'Hi!' }, { reply: 'Yo' }] });
    try {
      const post = (path: string, body: unknown) =>
        fetch(`${fake.baseURL}${path}`, { method: 'POST', body: JSON.stringify(body) }).then((r) => r.json() as Promise<any>);
      const chat = await post('/chat/completions', { model: 'm', messages: [{ role: 'user', content: 'a b' }] });
      assert.equal(chat.object, 'chat.completion');
      assert.deepEqual(chat.choices[0].message, { role: 'assistant', content: 'Hi!', refusal: null });
      assert.deepEqual(chat.usage, { prompt_tokens: 2, completion_tokens: 1, total_tokens: 3 });
      const completion = await post('/completions', { model: 'm', prompt: 'x' });
      assert.equal(completion.choices[0].text, 'Yo');
      const echo = await post('/completions', { model: 'm', prompt: 'line 1\nline 2' });
      assert.equal(echo.choices[0].text, 'Echo: line 2', 'an empty queue echoes');
      const models = (await fetch(`${fake.baseURL}/models`).then((r) => r.json())) as any;
      assert.ok(models.data.some((m: any) => m.id === 'gpt-4o-mini'));
      assert.equal((await fake.waitForRequest(4)).path, '/v1/models');
    } finally {
      await fake.close();
    }
  });

  test('a delay step answers after waiting, with its reply', async () => {
    const fake = await startFakeOpenAI({ replies: [{ fault: 'delay', ms: 20, reply: 'late' }] });
    try {
      const response = await fetch(`${fake.baseURL}/completions`, { method: 'POST', body: '{"model":"m","prompt":"p"}' });
      assert.equal(((await response.json()) as any).choices[0].text, 'late');
    } finally {
      await fake.close();
    }
  });

  test('a streamed reply ends with a finish reason and [DONE]; a truncate step ends the body without them', async () => {
    const fake = await startFakeOpenAI({ replies: [{ reply: 'Hi there' }, { fault: 'truncate', chunks: ['Hi', ' th'] }] });
    try {
      const stream = () =>
        fetch(`${fake.baseURL}/chat/completions`, { method: 'POST', body: '{"model":"m","stream":true}' }).then((r) => r.text());
      const whole = await stream();
      assert.match(whole, /"finish_reason":"stop"/);
      assert.ok(whole.endsWith('data: [DONE]\n\n'));
      const truncated = await stream();
      assert.ok(truncated.includes('" th"'), truncated);
      assert.doesNotMatch(truncated, /"finish_reason":"|\[DONE\]/);
    } finally {
      await fake.close();
    }
  });

  test('faults: a status with headers, a malformed event in a proper stream, any body, an unstreamed reply', async () => {
    const fake = await startFakeOpenAI({
      replies: [
        { fault: 'status', status: 429, headers: { 'retry-after': '30' } },
        { fault: 'malformed', chunks: ['Hi'] },
        { fault: 'body', contentType: 'text/html', body: '<html></html>' },
        { fault: 'unstreamed', reply: 'Whole' },
      ],
    });
    try {
      const post = () => fetch(`${fake.baseURL}/chat/completions`, { method: 'POST', body: '{"model":"m","stream":true}' });
      const limited = await post();
      assert.equal(limited.status, 429);
      assert.equal(limited.headers.get('retry-after'), '30');
      const events = (await (await post()).text()).split('\n\n').filter(Boolean);
      assert.ok(events.some((event) => event.startsWith('data: {') && !isJson(event.slice(6))), 'one event is not JSON');
      assert.equal(events.at(-1), 'data: [DONE]');
      const page = await post();
      assert.equal(page.headers.get('content-type'), 'text/html');
      assert.equal(await page.text(), '<html></html>');
      const whole = (await (await post()).json()) as any;
      assert.equal(whole.choices[0].message.content, 'Whole');
    } finally {
      await fake.close();
    }
  });

  test('closing releases a hanging request', async () => {
    const fake = await startFakeOpenAI({ replies: [{ fault: 'hang' }] });
    const pending = fetch(`${fake.baseURL}/chat/completions`, { method: 'POST', body: '{}' }).then(
      () => 'answered',
      () => 'dropped',
    );
    await fake.waitForHang();
    await fake.close();
    assert.equal(await pending, 'dropped');
  });

  test('standalone: prints the base URL, scripts replies from FAKE_OPENAI_REPLIES, exposes control routes', async () => {
    const env = { ...process.env, FAKE_OPENAI_REPLIES: JSON.stringify([{ reply: 'scripted' }]) };
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/fakeOpenAI.ts', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const [baseURL] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
      assert.match(baseURL, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
      const post = (url: string, body: unknown) => fetch(url, { method: 'POST', body: JSON.stringify(body) }).then((r) => r.json() as Promise<any>);
      const first = await post(`${baseURL}/completions`, { model: 'm', prompt: 'p' });
      assert.equal(first.choices[0].text, 'scripted');
      const root = baseURL.replace(/\/v1$/, '');
      await post(`${root}/_fake/enqueue`, [{ reply: 'enqueued' }]);
      const second = await post(`${baseURL}/completions`, { model: 'm', prompt: 'p' });
      assert.equal(second.choices[0].text, 'enqueued');
      const requests = (await fetch(`${root}/_fake/requests`).then((r) => r.json())) as any[];
      assert.deepEqual(requests.map((r) => r.body.prompt), ['p', 'p']);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
});

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
