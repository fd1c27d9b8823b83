// failureOf: the one mapping from the engine's errors to the kinds every host reacts to.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { failureOf } from '../../../core/chain/failure';
import { ChainError, fileHasErrorsError } from '../../../core/chain/errors';
import { ModelError, type ModelErrorKind } from '../../../core/model/errors';
import { LastTurnChangedError, LockTimeoutError, MemoryStoreError } from '../../../core/memory/errors';
import type { SettingSource } from '../../../core/model/settingSource';

const endpoint: SettingSource = { kind: 'setting', name: 'promptChain.baseUrl' };
const apiKey: SettingSource = { kind: 'environment', name: 'OPENAI_API_KEY' };
const model: SettingSource = { kind: 'setting', name: 'promptChain.defaultModel' };
const sources = { endpoint, apiKey, model };

describe('failureOf', () => {
  test('model errors: kind, the finer reason, and the setting to change', () => {
    const cases: [ModelErrorKind, string, SettingSource | undefined][] = [
      ['missing-key', 'auth', apiKey],
      ['auth', 'auth', apiKey],
      ['forbidden', 'auth', undefined],
      ['model-not-found', 'model', model],
      ['bad-url', 'endpoint', endpoint],
      ['connection', 'endpoint', endpoint],
      ['not-openai', 'endpoint', endpoint],
      ['rate-limit', 'rate-limit', undefined],
      ['quota', 'rate-limit', undefined],
      ['timeout', 'timeout', undefined],
      ['reply-too-large', 'reply', undefined],
      ['cancelled', 'cancelled', undefined],
    ];
    for (const [reason, kind, setting] of cases) {
      const failure = failureOf(new ModelError(reason, `it failed (${reason})`), sources);
      assert.deepEqual(failure, { kind, reason, message: `it failed (${reason})`, ...(setting && { setting }) }, reason);
    }
  });

  test('a rate limit carries the wait the endpoint asked for', () => {
    const failure = failureOf(new ModelError('rate-limit', 'slow down', { retryAfterMs: 30_000 }), sources);
    assert.equal(failure?.retryAfterMs, 30_000);
  });

  test('chain errors: the file has errors, the input, the model; hint joined to the message', () => {
    assert.deepEqual(failureOf(fileHasErrorsError('chat.prompt', 2)), {
      kind: 'file-has-errors',
      reason: 'invalid-prompt',
      message: 'chat.prompt: 2 errors; fix them before running',
    });
    assert.deepEqual(failureOf(new ChainError('missing-input', "Missing some input keys: {'persona'}", 'Give it a value.')), {
      kind: 'input',
      reason: 'missing-input',
      message: "Missing some input keys: {'persona'} Give it a value.",
    });
    assert.equal(failureOf(new ChainError('no-model', 'No model'), sources)?.setting, model);
  });

  test('store failures are memory, with the errno code, lock-timeout or last-turn-changed; anything else is no failure (a bug)', () => {
    assert.deepEqual(failureOf(new MemoryStoreError('cannot write', 'EROFS')), { kind: 'memory', reason: 'EROFS', message: 'cannot write' });
    assert.equal(failureOf(new LockTimeoutError('locked'))?.reason, 'lock-timeout');
    assert.deepEqual(failureOf(new LastTurnChangedError('changed')), { kind: 'memory', reason: 'last-turn-changed', message: 'changed' });
    assert.equal(failureOf(new TypeError('x is undefined')), undefined);
  });
});
