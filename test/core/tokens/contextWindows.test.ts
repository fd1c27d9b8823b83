import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { modelWindow } from '../../../core/tokens/contextWindows';

describe('modelWindow', () => {
  test('matches the longest known prefix, snapshots and provider prefixes included', () => {
    assert.deepEqual(modelWindow('gpt-4o-2024-08-06', 1), { contextWindow: 128_000, encoding: 'o200k_base', known: true });
    assert.deepEqual(modelWindow('openai/gpt-4', 1), { contextWindow: 8_192, encoding: 'cl100k_base', known: true });
    assert.equal(modelWindow('gpt-4-turbo-2024-04-09', 1).contextWindow, 128_000);
    assert.equal(modelWindow('gpt-4.1-mini', 1).contextWindow, 1_047_576);
    assert.equal(modelWindow('gpt-3.5-turbo-instruct', 1).contextWindow, 4_096);
  });

  test('unknown models take the configured window', () => {
    assert.deepEqual(modelWindow('llama3.2', 4096), { contextWindow: 4096, encoding: 'o200k_base', known: false });
    assert.equal(modelWindow(undefined, 2048).contextWindow, 2048);
  });
});
