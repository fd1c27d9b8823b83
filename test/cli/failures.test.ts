// prompt-chain's typed failures: with --json every failed turn prints {error: {kind, reason, message,
// setting?}} as the language server sends them (core/chain/failure.ts), the message naming where the
// setting really came from; a file with errors is refused before anything is sent or stored; `models`
// lists the endpoint's models.

import { describe, test } from 'node:test';
import * as path from 'node:path';
import assert from 'node:assert/strict';
import type { FakeStep } from '../support/fakeOpenAI';
import { useFakeOpenAI } from '../support/useFakeOpenAI';
import { chatExample } from '../support/examples';
import { createWorkspace, useCliWorkspaces, type Workspace } from './support/cli';
import { closedPort } from '../support/ports';

const KEY = 'sk-test-secret-key-123';

useCliWorkspaces();
const { fake } = useFakeOpenAI();

function workspace(): Workspace {
  return createWorkspace({ 'chat.prompt': chatExample });
}


describe('prompt-chain run --json: each failure has its kind', () => {
  const cases: [string, FakeStep, object][] = [
    ['401', { fault: 'status', status: 401 }, { kind: 'auth', reason: 'auth', setting: { kind: 'environment', name: 'OPENAI_API_KEY' } }],
    ['404 model', { fault: 'status', status: 404 }, { kind: 'model', reason: 'model-not-found', setting: { kind: 'flag', name: '--model' } }],
    ['429', { fault: 'status', status: 429, headers: { 'retry-after': '3600' } }, { kind: 'rate-limit', reason: 'rate-limit', retryAfterMs: 3_600_000 }],
    ['a silent endpoint', { fault: 'hang' }, { kind: 'timeout', reason: 'timeout' }],
  ];
  for (const [fault, step, expected] of cases) {
    test(`${fault}: exit 1, the kind and the one line printed on stderr; memory untouched`, async () => {
      const ws = workspace();
      fake.enqueue(step);
      // Only the silent endpoint is timed out: a busy machine may take longer than that to answer the others.
      const timeout = 'fault' in step && step.fault === 'hang' ? ['--timeout', '0.5'] : [];
      const failed = await ws.run(['run', 'chat.prompt', '--input', 'hi', '--json', ...timeout], { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: fake.baseURL });
      assert.equal(failed.code, 1);
      const { error } = JSON.parse(failed.stdout);
      const { message, ...rest } = error;
      assert.deepEqual(rest, expected);
      assert.equal(`${message}\n`, failed.stderr);
      assert.equal((await ws.run(['memory', 'show', 'chat.prompt'])).stdout, 'no stored turns\n');
    });
  }

  test('connection refused names --base-url or OPENAI_BASE_URL, whichever gave the URL', async () => {
    const ws = workspace();
    const down = `http://127.0.0.1:${await closedPort()}/v1`;
    const runs: [string[], Record<string, string>, object, string][] = [
      [['--base-url', down], { OPENAI_BASE_URL: fake.baseURL }, { kind: 'flag', name: '--base-url' }, '--base-url'],
      [[], { OPENAI_BASE_URL: down }, { kind: 'environment', name: 'OPENAI_BASE_URL' }, 'OPENAI_BASE_URL'],
    ];
    for (const [flags, env, setting, named] of runs) {
      const failed = await ws.run(['run', 'chat.prompt', '--input', 'hi', '--json', ...flags], { OPENAI_API_KEY: KEY, ...env });
      assert.equal(failed.code, 1);
      const expected = `Nothing is listening at ${down} (connection refused): start the model server or correct the base URL (${named}).`;
      assert.deepEqual(JSON.parse(failed.stdout), { error: { kind: 'endpoint', reason: 'connection', message: expected, setting } });
      assert.equal(failed.stderr, `${expected}\n`);
    }
  });

  test('a base URL that is not one: the endpoint kind with --json, and still a usage error (exit 2)', async () => {
    const ws = workspace();
    const failed = await ws.run(['run', 'chat.prompt', '--input', 'hi', '--json', '--base-url', 'not a url'], { OPENAI_API_KEY: KEY });
    assert.equal(failed.code, 2);
    assert.deepEqual(JSON.parse(failed.stdout).error.setting, { kind: 'flag', name: '--base-url' });
    assert.match(failed.stderr, /^prompt-chain: The base URL "not a url" \(from --base-url\) is not an http\(s\) URL/);
  });

  test('a file with errors: file-has-errors, the problems listed, nothing sent and nothing stored', async () => {
    const ws = workspace();
    ws.write('broken.prompt', '---\nmemory:\n  key: chat_history\n---\n{history}\nHuman: {human_input}\n');
    const failed = await ws.run(['run', 'broken.prompt', '--input', 'hi', '--json'], { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: fake.baseURL });
    assert.equal(failed.code, 1);
    assert.deepEqual(JSON.parse(failed.stdout), { error: { kind: 'file-has-errors', reason: 'invalid-prompt', message: 'broken.prompt: 1 error; fix it before running' } });
    assert.match(failed.stderr, /^broken\.prompt:5:1 error unprovided-variable .*\nbroken\.prompt: 1 error; fix it before running\n$/);
    assert.equal(fake.requests.length, 0, 'the model was not called');
    assert.equal((await ws.run(['memory', 'show', 'broken.prompt'])).stdout, 'no stored turns\n', 'nothing stored');
  });
});

describe('prompt-chain models', () => {
  test('the endpoint\'s models, one per line or as JSON', async () => {
    const ws = workspace();
    fake.setModels(['qwen2.5', 'llama3.2']);
    assert.deepEqual(await ws.run(['models'], { OPENAI_BASE_URL: fake.baseURL }), { code: 0, stdout: 'llama3.2\nqwen2.5\n', stderr: '' });
    const listed = await ws.run(['models', '--json', '--base-url', fake.baseURL], {});
    assert.deepEqual(JSON.parse(listed.stdout), { models: ['llama3.2', 'qwen2.5'], source: 'endpoint' });
  });

  test('no endpoint and no key: the local models turns run on, `local` then the complete cached files; nothing sent', async () => {
    const ws = workspace();
    ws.write('models/owner/repo/a.gguf', 'GGUF');
    ws.write('models/owner/repo/b.gguf.partial', 'GG');
    const env = { PROMPT_CHAIN_MODELS_DIR: path.join(ws.root, 'models') };
    assert.deepEqual(await ws.run(['models'], env), { code: 0, stdout: 'local\nlocal:owner/repo/a.gguf\n', stderr: '' });
    assert.deepEqual(JSON.parse((await ws.run(['models', '--json'], env)).stdout), { models: ['local', 'local:owner/repo/a.gguf'], source: 'endpoint' });
    assert.deepEqual(await ws.run(['models'], { PROMPT_CHAIN_MODELS_DIR: path.join(ws.root, 'none') }), { code: 0, stdout: 'local\n', stderr: '' });
    assert.equal(fake.requests.length, 0);
  });

  test('a failing endpoint: its one line, exit 1, and the kind with --json', async () => {
    const ws = workspace();
    fake.setModels({ status: 500 });
    const failed = await ws.run(['models', '--json'], { OPENAI_BASE_URL: fake.baseURL });
    assert.equal(failed.code, 1);
    const { error } = JSON.parse(failed.stdout);
    assert.equal(error.kind, 'endpoint');
    assert.equal(`${error.message}\n`, failed.stderr);
  });
});
