import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isOpenAIHost, openAIBaseURL, placeholderKey, resolveEndpoint } from '../../../core/model/endpoint';

const local = 'http://localhost:11434/v1';

describe('resolveEndpoint: where the turn goes', () => {
  test('the configured base URL, else OPENAI_BASE_URL, else OpenAI', () => {
    const env = { OPENAI_BASE_URL: 'http://env.example/v1', OPENAI_API_KEY: 'sk-env' };
    assert.equal(resolveEndpoint({ baseUrl: local, env }).baseURL, local);
    assert.equal(resolveEndpoint({ baseUrl: '  ', env }).baseURL, 'http://env.example/v1');
    assert.equal(resolveEndpoint({ env: { OPENAI_BASE_URL: '' } }).baseURL, openAIBaseURL);
    assert.equal(resolveEndpoint({ env: {} }).baseURL, openAIBaseURL);
  });

  test('the label drops credentials written into the URL', () => {
    assert.equal(resolveEndpoint({ baseUrl: 'https://user:secret@llm.example/v1/', env: {} }).label, 'https://llm.example/v1');
  });

  test('a base URL that is not an http(s) URL is a bad-url problem naming it', () => {
    for (const baseUrl of ['not a url', 'localhost:11434/v1', 'ftp://files.example/v1']) {
      const { problem } = resolveEndpoint({ baseUrl, apiKey: 'sk-x', env: {} });
      assert.ok(problem, baseUrl);
      assert.equal(problem.kind, 'bad-url', baseUrl);
      assert.ok(problem.message.includes(`"${baseUrl}"`), problem.message);
    }
  });

  test('a base URL with user:password@ is a bad-url problem (fetch would refuse it), naming it without them', () => {
    for (const baseUrl of ['http://alice:s3cret@llm.example/v1', 'https://alice@llm.example/v1', 'http://:s3cret@llm.example/v1']) {
      const { problem } = resolveEndpoint({ baseUrl, baseUrlSource: { kind: 'flag', name: '--base-url' }, env: {} });
      assert.equal(problem?.kind, 'bad-url', baseUrl);
      assert.ok(problem.message.startsWith(`The base URL ${baseUrl.startsWith('https') ? 'https' : 'http'}://llm.example/v1 (from --base-url) has a user name or password in it`), problem.message);
      assert.ok(!/alice|s3cret/.test(problem.message), problem.message);
    }
  });

  test('a bad URL says where it came from, and never shows credentials even when it does not parse', () => {
    const fromEnv = resolveEndpoint({ env: { OPENAI_BASE_URL: 'ftp://bob:hunter2@files.example/v1' } }).problem;
    assert.equal(fromEnv?.message, 'The base URL "ftp://files.example/v1" (from OPENAI_BASE_URL) is not an http(s) URL: set the endpoint to one such as http://localhost:11434/v1.');
    const badPort = resolveEndpoint({ baseUrl: 'http://bob:hunter2@host:99999/v1', env: {} });
    assert.ok(badPort.problem && !badPort.problem.message.includes('hunter2'), badPort.problem?.message);
    assert.ok(!badPort.label.includes('hunter2'), badPort.label);
  });
});

describe('resolveEndpoint: the key', () => {
  test('the given key, else OPENAI_API_KEY', () => {
    assert.equal(resolveEndpoint({ apiKey: 'sk-given', env: { OPENAI_API_KEY: 'sk-env' } }).apiKey, 'sk-given');
    assert.equal(resolveEndpoint({ apiKey: '', env: { OPENAI_API_KEY: 'sk-env' } }).apiKey, 'sk-env');
  });

  test("OpenAI's endpoint without a key: a missing-key problem, nothing to send", () => {
    const { problem, isOpenAI } = resolveEndpoint({ env: { OPENAI_API_KEY: ' ' } });
    assert.equal(isOpenAI, true);
    assert.ok(problem);
    assert.equal(problem.kind, 'missing-key');
    assert.equal(
      problem.message,
      'No API key for https://api.openai.com/v1: set the OPENAI_API_KEY environment variable (in VS Code: run "Prompt Chain: Set API Key"), or set the base URL to a local server that needs none.',
    );
  });

  test('any other endpoint without a key gets the placeholder and no problem', () => {
    const endpoint = resolveEndpoint({ baseUrl: local, env: {} });
    assert.deepEqual([endpoint.apiKey, endpoint.isOpenAI, endpoint.problem], [placeholderKey, false, undefined]);
  });

  test('the placeholder is not a key: resolving a resolved endpoint again still refuses OpenAI', () => {
    const again = resolveEndpoint({ baseUrl: openAIBaseURL, apiKey: placeholderKey, env: {} });
    assert.equal(again.problem?.kind, 'missing-key');
  });
});

describe('isOpenAIHost', () => {
  test('api.openai.com and other *.openai.com hosts', () => {
    for (const host of ['api.openai.com', 'API.OpenAI.com', 'api.openai.com.', 'eu.api.openai.com']) assert.equal(isOpenAIHost(host), true, host);
  });

  test('look-alikes are not OpenAI, so no key is demanded for them', () => {
    for (const host of ['notopenai.com', 'openai.com.evil.example', 'api.openai.co', 'localhost']) assert.equal(isOpenAIHost(host), false, host);
  });

  test('a look-alike endpoint without a key is sent the placeholder, never refused as OpenAI', () => {
    assert.equal(resolveEndpoint({ baseUrl: 'https://notopenai.com/v1', env: {} }).problem, undefined);
  });
});

describe('resolveEndpoint: where the URL came from', () => {
  const setting = { kind: 'setting', name: 'promptChain.baseUrl' } as const;
  test('the host\'s setting, else OPENAI_BASE_URL, else the default named by the host\'s setting', () => {
    const env = { OPENAI_BASE_URL: 'http://env.example/v1' };
    assert.deepEqual(resolveEndpoint({ baseUrl: 'http://mine.example/v1', baseUrlSource: setting, env }).source, setting);
    assert.deepEqual(resolveEndpoint({ baseUrl: '', baseUrlSource: setting, env }).source, { kind: 'environment', name: 'OPENAI_BASE_URL' });
    assert.deepEqual(resolveEndpoint({ baseUrlSource: setting, env: {} }).source, { kind: 'default', name: 'promptChain.baseUrl' });
    assert.deepEqual(resolveEndpoint({ env: {} }).keySource, { kind: 'environment', name: 'OPENAI_API_KEY' });
  });
});
