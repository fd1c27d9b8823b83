// A request the server refused because the file has errors (FailureData kind 'file-has-errors'): the client
// says how many problems stop it and offers Show Problems. Read from the error's typed `data`, never its text.
// Pure.

import type { Diagnostic } from 'vscode-languageserver-types';
import type { FailureData, FailureKind } from '../../server/src/protocol';

const failureKinds: readonly FailureKind[] = [
  'auth', 'endpoint', 'model', 'rate-limit', 'timeout', 'memory', 'file-has-errors', 'input', 'file', 'reply', 'cancelled',
];

/** The typed `data` of a server failure (an LSP ResponseError), or undefined when it carries none. */
export function failureOf(error: unknown): FailureData | undefined {
  if (typeof error !== 'object' || error === null || !('data' in error)) return undefined;
  const data: unknown = error.data;
  if (typeof data !== 'object' || data === null || !('kind' in data)) return undefined;
  return failureKinds.includes(data.kind as FailureKind) ? (data as FailureData) : undefined;
}

/** The error diagnostics a 'file-has-errors' refusal carries; undefined for any other failure. */
export function refusedForErrors(error: unknown): Diagnostic[] | undefined {
  const failure = failureOf(error);
  if (failure?.kind !== 'file-has-errors') return undefined;
  return Array.isArray(failure.diagnostics) ? failure.diagnostics : [];
}

/** "Prompt Chain: chatbot.prompt has 2 problems to fix before its prompt can be previewed." */
export function problemsMessage(fileName: string, count: number, blocked: string): string {
  const problems = count === 1 ? 'a problem' : `${count} problems`;
  return `Prompt Chain: ${fileName} has ${problems} to fix before ${blocked}; LangChain would fail on ${count === 1 ? 'it' : 'them'}.`;
}
