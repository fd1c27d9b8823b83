// What the server makes of the `promptChain` section a client sends: each value checked, a wrong one
// replaced by its default (server/src/settings.ts).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultSettings } from '../../server/src/protocol';
import { normalizeSettings } from '../../server/src/settings';

describe('normalizeSettings', () => {
  test('maxReplyChars: a whole number from 1 to 100,000,000, else the default of 1,000,000', () => {
    assert.equal(defaultSettings.maxReplyChars, 1_000_000);
    for (const value of [1, 20, 100_000_000]) assert.equal(normalizeSettings({ maxReplyChars: value }).maxReplyChars, value);
    for (const value of [0, -5, 1.5, 100_000_001, '2000', null, Number.POSITIVE_INFINITY]) {
      assert.equal(normalizeSettings({ maxReplyChars: value }).maxReplyChars, 1_000_000, String(value));
    }
    assert.equal(normalizeSettings(undefined).maxReplyChars, 1_000_000);
  });
});
