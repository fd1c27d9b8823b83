// Request parameters arrive from any client as JSON. Each request's parameters are checked here before any
// work: a missing or mistyped one is answered with InvalidParams naming the request and what to send (one
// line, nothing logged), so a client author sees their mistake and the log stays for the server's own.
// Values LSP allows anywhere (a position past the end, a negative line) are left to the features, which
// answer them as at the document's edge. Parameters that pass are handed on as the client sent them.

import { ErrorCodes, ResponseError } from 'vscode-languageserver';

type Fields = Record<string, unknown>;

/** One thing a request needs in its parameters; returns what is wrong, or undefined when it is there. */
export type ParamsCheck = (fields: Fields) => string | undefined;

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPosition(value: unknown): boolean {
  return isObject(value) && Number.isSafeInteger(value.line) && Number.isSafeInteger(value.character);
}

function isRange(value: unknown): boolean {
  return isObject(value) && isPosition(value.start) && isPosition(value.end);
}

export const textDocument: ParamsCheck = ({ textDocument: document }) =>
  isObject(document) && typeof document.uri === 'string' ? undefined : '"textDocument" as { "uri": string }';

export const position: ParamsCheck = (fields) =>
  isPosition(fields.position) ? undefined : '"position" as { "line": integer, "character": integer }';

export const range: ParamsCheck = (fields) =>
  isRange(fields.range) ? undefined : '"range" as { "start": position, "end": position }';

export const newName: ParamsCheck = (fields) => (typeof fields.newName === 'string' ? undefined : '"newName" as a string');

/** Required by LSP; a client that leaves `context` out is answered as if it asked for declarations too. */
export const referenceContext: ParamsCheck = ({ context }) =>
  context === undefined || (isObject(context) && typeof context.includeDeclaration === 'boolean')
    ? undefined
    : '"context" as { "includeDeclaration": boolean }';

/** A missing `context` means no diagnostics, so no fixes; the service checks each diagnostic itself. */
export const codeActionContext: ParamsCheck = ({ context }) =>
  context === undefined || (isObject(context) && (context.diagnostics === undefined || Array.isArray(context.diagnostics)))
    ? undefined
    : '"context" as { "diagnostics": Diagnostic[] }';

/** The InvalidParams answer for parameters that fail one of `checks`, or undefined when they pass them all. */
export function invalidParams<E = void>(method: string, params: unknown, checks: readonly ParamsCheck[]): ResponseError<E> | undefined {
  const problem = isObject(params) ? checks.map((check) => check(params)).find((found) => found !== undefined) : 'its parameters as an object';
  return problem === undefined ? undefined : new ResponseError<E>(ErrorCodes.InvalidParams, `${method} needs ${problem}.`);
}
