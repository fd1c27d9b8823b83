// ModelLists: each endpoint's models kept for modelListTtlMs (a failed or empty answer for
// modelListFailureTtlMs), one fetch at a time, and completion's `cached` never waiting. Real HTTP to the
// fake server; the clock is the test's, so no test waits for minutes to pass.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveEndpoint } from '../../core/model/endpoint';
import { ModelLists, modelListFailureTtlMs, modelListTtlMs } from '../../server/src/modelLists';
import { useFakeOpenAI } from '../support/useFakeOpenAI';

describe('ModelLists', () => {
  const { fake } = useFakeOpenAI();
  const endpoint = () => resolveEndpoint({ baseUrl: fake.baseURL, env: {} });
  const asked = () => fake.requests.filter((request) => request.path === '/v1/models').length;

  function lists() {
    let now = 1_000_000;
    const warnings: string[] = [];
    return { lists: new ModelLists((message) => warnings.push(message), () => now), advance: (ms: number) => (now += ms), warnings };
  }

  test('a list is kept for its time, then asked for again', async () => {
    const { lists: cache, advance } = lists();
    fake.setModels(['a']);
    assert.deepEqual(await cache.get(endpoint()), ['a']);
    fake.setModels(['b']);
    advance(modelListTtlMs - 1);
    assert.deepEqual(await cache.get(endpoint()), ['a']);
    advance(1);
    assert.deepEqual(await cache.get(endpoint()), ['b']);
    assert.equal(asked(), 2);
  });

  test('callers at the same time share one request', async () => {
    const { lists: cache } = lists();
    const answers = await Promise.all([cache.get(endpoint()), cache.get(endpoint()), cache.get(endpoint())]);
    assert.deepEqual(answers, [answers[0], answers[0], answers[0]]);
    assert.equal(asked(), 1);
  });

  test('a failure is [] with one warning, remembered for the shorter time', async () => {
    const { lists: cache, advance, warnings } = lists();
    fake.setModels({ status: 500 });
    assert.deepEqual(await cache.get(endpoint()), []);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /could not be listed, so the promptChain\.models setting is offered/);
    fake.setModels(['back']);
    assert.deepEqual(await cache.get(endpoint()), []);
    advance(modelListFailureTtlMs);
    assert.deepEqual(await cache.get(endpoint()), ['back']);
  });

  test('cached answers at once: nothing before the first fetch, which it starts; then the list', async () => {
    const { lists: cache } = lists();
    fake.setModels(['x']);
    assert.deepEqual(cache.cached(endpoint()), []);
    await fake.waitForRequest(1);
    assert.deepEqual(await cache.get(endpoint()), ['x'], 'the fetch cached started is the one get waits for');
    assert.deepEqual(cache.cached(endpoint()), ['x']);
    assert.equal(asked(), 1);
  });

  test('an endpoint nothing may be sent to lists none, without a request or a warning', async () => {
    const { lists: cache, warnings } = lists();
    assert.deepEqual(await cache.get(resolveEndpoint({ env: { OPENAI_BASE_URL: 'https://api.openai.com/v1' } })), []);
    // Nothing configured: turns run in-process, and the endpoint has nothing to list.
    assert.deepEqual(await cache.get(resolveEndpoint({ env: {} })), []);
    assert.deepEqual(warnings, []);
    assert.equal(asked(), 0);
  });
});
