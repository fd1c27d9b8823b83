// Every request the server answers goes through here, so a bug in one feature costs one answer (logged
// with what was being computed), never the server: editors drop a server that dies and do not restart it.

import { ErrorCodes, LSPErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver';

export interface ErrorLog {
  error(message: string): void;
}

export function formatError(what: string, error: unknown): string {
  if (error instanceof Error) return `${what}: ${error.message}\n${error.stack ?? ''}`.trimEnd();
  return `${what}: ${String(error)}`;
}

export function cancelled<E = void>(message = 'Request cancelled.'): ResponseError<E> {
  return new ResponseError<E>(LSPErrorCodes.RequestCancelled, message);
}

/** A cancelled command: RequestCancelled, with the FailureData kind every command failure carries. */
export function cancelledCommand(message: string): ResponseError<{ kind: 'cancelled' }> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, message, { kind: 'cancelled' });
}

/**
 * Answers a feature request: `compute` runs unless the client already cancelled; a ResponseError it throws
 * is the answer, any other failure is logged and answered with `fallback` (the empty answer of that request).
 */
export async function runSafeAsync<T, E = void>(
  log: ErrorLog,
  what: string,
  token: CancellationToken,
  fallback: T,
  compute: () => Promise<T>,
): Promise<T | ResponseError<E>> {
  if (token.isCancellationRequested) return cancelled<E>();
  try {
    return await compute();
  } catch (error) {
    if (error instanceof ResponseError) return error as ResponseError<E>;
    log.error(formatError(`Error while computing ${what}`, error));
    return fallback;
  }
}

/** Runs a notification handler or background job: failures are logged, never thrown into the connection. */
export async function runSafeInBackground(log: ErrorLog, what: string, job: () => Promise<unknown> | void): Promise<void> {
  try {
    await job();
  } catch (error) {
    log.error(formatError(`Error while ${what}`, error));
  }
}

/**
 * Answers a command: commands have no meaningful empty answer, so an unexpected failure is logged and
 * reported to the client as an error carrying its message.
 */
export async function runCommandSafely<T>(log: ErrorLog, what: string, run: () => Promise<T>): Promise<T | ResponseError<void>> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ResponseError) return error as ResponseError<void>;
    log.error(formatError(`Error while running ${what}`, error));
    const message = error instanceof Error ? error.message : String(error);
    return new ResponseError(ErrorCodes.InternalError, `${what} failed: ${message}`);
  }
}
