// The InteropError `run` throws: the interop tests assert its kind and its one line.

import assert from 'node:assert/strict';
import { InteropError } from '../../../core/interop/types';

export function interopFailure(run: () => unknown): InteropError {
  try {
    run();
  } catch (error) {
    if (error instanceof InteropError) return error;
    throw error;
  }
  assert.fail('expected an InteropError');
}
