import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isOpenAIHost, localModelFor, modelShown, openAIBaseURL, placeholderKey, problemFor, resolveEndpoint, runsLocally } from '../../../core/model/endpoint';
import { defaultLocalModel } from '../../../core/model/local/modelRef';

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

  test("OpenAI's endpoint named without a key: a missing-key problem, nothing to send", () => {
    const named = [
      resolveEndpoint({ baseUrl: openAIBaseURL, env: { OPENAI_API_KEY: ' ' } }),
      resolveEndpoint({ env: { OPENAI_BASE_URL: openAIBaseURL, OPENAI_API_KEY: ' ' } }),
    ];
    for (const { problem, isOpenAI, local } of named) {
      assert.deepEqual([isOpenAI, local], [true, false]);
      assert.ok(problem);
      assert.equal(problem.kind, 'missing-key');
      assert.equal(
        problem.message,
        'No API key for https://api.openai.com/v1: set the OPENAI_API_KEY environment variable (in VS Code: run "Prompt Chain: Set API Key"), or set the base URL to a local server that needs none.',
      );
    }
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

describe('resolveEndpoint: the local model when nothing is configured', () => {
  test('no base URL and no key: every turn runs locally, with no problem and nothing to send a key to', () => {
    for (const env of [{}, { OPENAI_API_KEY: ' ', OPENAI_BASE_URL: '' }, { OPENAI_API_KEY: placeholderKey }]) {
      const endpoint = resolveEndpoint({ env });
      assert.deepEqual([endpoint.local, endpoint.problem, endpoint.label, endpoint.isOpenAI], [true, undefined, 'local', false], JSON.stringify(env));
      assert.deepEqual(endpoint.localModel, defaultLocalModel);
    }
  });

  test('a base URL or a key, from any source, is an endpoint: not local', () => {
    const endpoints = [
      resolveEndpoint({ baseUrl: local, env: {} }),
      resolveEndpoint({ env: { OPENAI_BASE_URL: local } }),
      resolveEndpoint({ apiKey: 'sk-given', env: {} }),
      resolveEndpoint({ env: { OPENAI_API_KEY: 'sk-env' } }),
    ];
    assert.deepEqual(endpoints.map((endpoint) => endpoint.local), [false, false, false, false]);
    assert.deepEqual(endpoints.map((endpoint) => endpoint.problem), [undefined, undefined, undefined, undefined]);
    assert.deepEqual([endpoints[2]!.label, endpoints[2]!.isOpenAI], [openAIBaseURL, true]);
  });

  test('the local model: the setting, else PROMPT_CHAIN_LOCAL_MODEL, else the default', () => {
    const env = { PROMPT_CHAIN_LOCAL_MODEL: '/models/env.gguf' };
    assert.deepEqual(resolveEndpoint({ localModel: '/models/mine.gguf', env }).localModel, { kind: 'path', path: '/models/mine.gguf' });
    assert.deepEqual(resolveEndpoint({ localModel: '  ', env }).localModel, { kind: 'path', path: '/models/env.gguf' });
    assert.deepEqual(resolveEndpoint({ env: { PROMPT_CHAIN_LOCAL_MODEL: 'local:owner/repo/dir/m.gguf' } }).localModel, { kind: 'hub', repo: 'owner/repo', file: 'dir/m.gguf', revision: 'main' });
    assert.deepEqual(resolveEndpoint({ env: {} }).localModel, defaultLocalModel);
  });

  test('a malformed local model setting: a local-model problem for local calls, naming its source; remote calls are unaffected', () => {
    const fromSetting = resolveEndpoint({ localModel: 'mine.bin', env: {} });
    assert.equal(fromSetting.localProblem?.kind, 'local-model');
    assert.match(fromSetting.localProblem.message, /"mine\.bin" is neither a path nor owner\/repo\/file\.gguf.* \(from the promptChain\.localModel setting\)\.$/);
    assert.deepEqual(fromSetting.localModel, defaultLocalModel);
    const fromEnv = resolveEndpoint({ env: { PROMPT_CHAIN_LOCAL_MODEL: '/models/weights.bin' } });
    assert.match(fromEnv.localProblem?.message ?? '', /"\/models\/weights\.bin" is not a \.gguf file.* \(from PROMPT_CHAIN_LOCAL_MODEL\)\.$/);
    assert.equal(problemFor('gpt-4o-mini', fromEnv), fromEnv.localProblem, 'nothing configured: the call runs locally and fails');
    const remote = resolveEndpoint({ baseUrl: local, env: { PROMPT_CHAIN_LOCAL_MODEL: '/models/weights.bin' } });
    assert.equal(problemFor('llama3.2', remote), undefined);
    assert.equal(problemFor('local', remote)?.kind, 'local-model');
    // A call's own local:… name does not need the setting.
    assert.equal(problemFor('local:/models/tiny.gguf', remote), undefined);
  });
});

describe('runsLocally, localModelFor, problemFor, modelShown: one call at a time', () => {
  const remote = resolveEndpoint({ baseUrl: local, env: {} });
  const openAINoKey = resolveEndpoint({ env: { OPENAI_BASE_URL: openAIBaseURL } });
  const nothing = resolveEndpoint({ env: {} });

  test('a local… model name runs locally whatever the endpoint; any name runs locally when nothing is configured', () => {
    for (const model of ['local', ' local ', 'local:/models/tiny.gguf', 'local:owner/repo/m.gguf']) {
      assert.equal(runsLocally(model, remote), true, model);
      assert.equal(runsLocally(model, openAINoKey), true, model);
    }
    for (const model of ['gpt-4o-mini', 'localhost-model', 'locally', 'llama3.2:local', undefined]) {
      assert.equal(runsLocally(model, remote), false, String(model));
      assert.equal(runsLocally(model, nothing), true, String(model));
    }
  });

  test('the file the call runs on: its own local:… name, else the endpoint\'s local model', () => {
    assert.deepEqual(localModelFor('local:/models/tiny.gguf', remote), { kind: 'path', path: '/models/tiny.gguf' });
    assert.deepEqual(localModelFor('local', remote), defaultLocalModel);
    const configured = resolveEndpoint({ localModel: '/models/mine.gguf', env: {} });
    assert.deepEqual(localModelFor('gpt-4o-mini', configured), { kind: 'path', path: '/models/mine.gguf' });
  });

  test("problemFor: the endpoint's problem for remote calls only; a malformed local name for local ones", () => {
    assert.equal(problemFor('gpt-4o-mini', openAINoKey)?.kind, 'missing-key');
    assert.equal(problemFor('local:/models/tiny.gguf', openAINoKey), undefined, 'a local model needs no key');
    assert.equal(problemFor('gpt-4o-mini', nothing), undefined);
    const malformed = problemFor('local:tiny.gguf', remote);
    assert.equal(malformed?.kind, 'local-model');
    assert.match(malformed.message, /^The model "local:tiny\.gguf" is neither a path nor owner\/repo\/file\.gguf/);
    assert.match(problemFor('local:', nothing)?.message ?? '', /names no model/);
  });

  test('modelShown: the file\'s model when it goes to the endpoint, the local model\'s file name when it runs here', () => {
    assert.equal(modelShown('gpt-4o-mini', remote), 'gpt-4o-mini');
    assert.equal(modelShown('gpt-4o-mini', nothing), 'local:qwen2.5-0.5b-instruct-q4_k_m.gguf');
    assert.equal(modelShown('local:/models/tiny.gguf', remote), 'local:tiny.gguf');
    assert.equal(modelShown('local:C:\\models\\tiny.gguf', remote), 'local:tiny.gguf');
    assert.equal(modelShown('local', resolveEndpoint({ baseUrl: local, localModel: '/m/mine.gguf', env: {} })), 'local:mine.gguf');
    assert.equal(modelShown('local:tiny.gguf', remote), 'local:tiny.gguf', 'a malformed name is shown as written');
  });
});
