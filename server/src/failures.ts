// How a failure reaches the client: RequestFailed whose `data` is FailureData, the kind decided once for
// every host by core/chain/failure.ts. The client picks its action by `data.kind` (Set API Key, Open
// Settings at `data.setting`, Retry, Show Problems), never by the message.

import { LSPErrorCodes, ResponseError } from 'vscode-languageserver';
import type { Diagnostic } from 'vscode-languageserver-types';
import { fileHasErrorsError } from '../../core/chain/errors';
import { failureOf, type Failure, type FailureSources } from '../../core/chain/failure';
import type { FailureData } from './protocol';

/** A request that was understood but cannot be done; the message says why and what to change. */
export function failed(failure: Failure, extra: Pick<FailureData, 'diagnostics'> = {}): ResponseError<FailureData> {
  const { message, ...data } = failure;
  if (failure.kind === 'cancelled') return new ResponseError(LSPErrorCodes.RequestCancelled, message, { ...data, ...extra });
  return new ResponseError(LSPErrorCodes.RequestFailed, message, { ...data, ...extra });
}

/** The engine's failure as the client receives it; anything else (a bug) is passed on unchanged. */
export function engineFailure(error: unknown, sources: FailureSources = {}): unknown {
  if (error instanceof ResponseError) return error;
  const failure = failureOf(error, sources);
  return failure ? failed(failure) : error;
}

/** runTurn, formatPrompt and exportFile on a file with error diagnostics: refused before anything is read, sent or stored. */
export function fileHasErrors(fileName: string, errors: Diagnostic[], doing?: string): ResponseError<FailureData> {
  const failure = failureOf(fileHasErrorsError(fileName, errors.length, doing));
  if (!failure) throw new Error('fileHasErrorsError is an engine failure');
  return failed(failure, { diagnostics: errors });
}
