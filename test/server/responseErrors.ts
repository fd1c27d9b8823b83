// What a failed request looks like to the tests of the server's commands, and how to get at it.

import assert from 'node:assert/strict';
import type { FailureData } from '../../server/src/protocol';

export interface ResponseErrorShape {
  code: number;
  message: string;
  data?: FailureData;
}

/** LSP's RequestFailed: a command that could not do what it was asked (its data says why). */
export const requestFailed = -32803;

/** The error a request was answered with; a failed assertion when it succeeded. */
export async function failureOf(request: Promise<unknown>): Promise<ResponseErrorShape> {
  try {
    await request;
  } catch (error) {
    return error as ResponseErrorShape;
  }
  assert.fail('expected the request to fail');
}
