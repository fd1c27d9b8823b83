import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { groupedCount } from '../../../core/text/count';

test('counts read as en-US prints them (1,234,567), for every integer and a few others', () => {
  fc.assert(fc.property(fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.integer({ min: -999_999, max: 999_999 })), (value) => groupedCount(value) === value.toLocaleString('en-US')), { numRuns: 5_000 });
  for (const value of [0, 7, 999, 1_000, 12_345, 1_000_000, -4_096, 2.5, Number.NaN]) assert.equal(groupedCount(value), value.toLocaleString('en-US'));
});
