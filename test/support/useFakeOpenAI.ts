// One fake OpenAI server shared by the tests of a file or a suite. `useFakeOpenAI()` registers the hooks
// around them: start the server before the first test, forget its requests and script before each test (so
// no test sees another's leftovers), close it after the last.

import { after, before, beforeEach } from 'node:test';
import { createOpenAIModel, type OpenAIModelOptions } from '../../core/model/openaiModel';
import type { LanguageModel } from '../../core/chain/types';
import { startFakeOpenAI, type FakeOpenAI } from './fakeOpenAI';

export interface FakeOpenAIFixture {
  /** The server; usable from the tests and hooks that run after the suite's `before`. */
  fake: FakeOpenAI;
  /** The real OpenAI adapter talking to the fake, without retries; `options` override the suite's defaults. */
  model(options?: OpenAIModelOptions): LanguageModel;
}

/** Call in a `describe` body (or at the top of a file); `defaults` apply to every `model()`. */
export function useFakeOpenAI(defaults: OpenAIModelOptions = {}): FakeOpenAIFixture {
  // The suite needs the object now, but the server only listens once `before` runs: its members are
  // copied onto this object then.
  const fake = {} as FakeOpenAI;
  before(async () => {
    Object.assign(fake, await startFakeOpenAI());
  });
  beforeEach(() => fake.reset());
  after(() => fake.close());
  const model = (options: OpenAIModelOptions = {}) =>
    createOpenAIModel({ apiKey: 'sk-test', baseURL: fake.baseURL, maxRetries: 0, ...defaults, ...options });
  return { fake, model };
}
