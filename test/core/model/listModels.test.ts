// listEndpointModels: the endpoint's GET /models through the real SDK over real HTTP (the fake server).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { listEndpointModels } from '../../../core/model/listModels';
import { resolveEndpoint } from '../../../core/model/endpoint';
import { ModelError } from '../../../core/model/errors';
import { useFakeOpenAI } from '../../support/useFakeOpenAI';
import { closedPort } from '../../support/ports';


describe('listEndpointModels', () => {
  const { fake } = useFakeOpenAI();
  const endpointOf = (baseUrl: string) => resolveEndpoint({ baseUrl, baseUrlSource: { kind: 'setting', name: 'promptChain.baseUrl' }, env: { OPENAI_API_KEY: 'sk-list-test' } });

  test('the ids the endpoint lists, sorted, each once, asked with the key', async () => {
    fake.setModels(['qwen2.5', 'llama3.2', 'qwen2.5']);
    assert.deepEqual(await listEndpointModels(endpointOf(fake.baseURL)), ['llama3.2', 'qwen2.5']);
    const request = fake.requests.at(-1)!;
    assert.equal(`${request.method} ${request.path}`, 'GET /v1/models');
    assert.equal(request.headers.authorization, 'Bearer sk-list-test');
  });

  test('an endpoint that lists none gives none', async () => {
    fake.setModels([]);
    assert.deepEqual(await listEndpointModels(endpointOf(fake.baseURL)), []);
  });

  test('a failing endpoint is a ModelError, asked once (no retries), naming where the URL came from', async () => {
    fake.setModels({ status: 503 });
    await assert.rejects(listEndpointModels(endpointOf(fake.baseURL)), (error: unknown) => error instanceof ModelError && error.kind === 'server');
    assert.equal(fake.requests.length, 1);
    const down = `http://127.0.0.1:${await closedPort()}/v1`;
    await assert.rejects(listEndpointModels(endpointOf(down)), (error: unknown) => {
      assert.ok(error instanceof ModelError && error.kind === 'connection');
      assert.match(error.message, /correct the base URL \(the promptChain\.baseUrl setting\)/);
      return true;
    });
  });

  test('a silent endpoint times out', async () => {
    fake.setModels(['never']);
    // The fake answers /models at once, so a server that accepts and never answers stands in.
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    try {
      await assert.rejects(listEndpointModels(endpointOf(`http://127.0.0.1:${port}/v1`), { timeoutMs: 200 }), (error: unknown) => error instanceof ModelError && error.kind === 'timeout');
    } finally {
      silent.close();
    }
  });
});
