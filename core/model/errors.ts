// Every way a model call can fail, as one sentence a user can act on: what happened, at which endpoint,
// what to do. Hosts print `message` as is (never a stack trace); `kind` is for programs (exit codes, UI).
// Messages never contain the API key: server-provided text is scrubbed before it is quoted.

export type ModelErrorKind =
  | 'missing-key'
  | 'auth'
  | 'forbidden'
  | 'model-not-found'
  | 'bad-url'
  | 'rate-limit'
  | 'quota'
  | 'bad-request'
  | 'server'
  | 'timeout'
  | 'connection'
  | 'stream-cut'
  | 'empty'
  | 'cancelled'
  | 'unknown';

export interface ModelErrorDetails {
  /** The endpoint as shown to the user (base URL without credentials). */
  endpoint?: string;
  /** HTTP status when the endpoint answered with one. */
  status?: number;
}

export class ModelError extends Error {
  override readonly name = 'ModelError';
  readonly kind: ModelErrorKind;
  readonly endpoint?: string;
  readonly status?: number;

  constructor(kind: ModelErrorKind, message: string, details: ModelErrorDetails = {}) {
    super(message);
    this.kind = kind;
    this.endpoint = details.endpoint;
    this.status = details.status;
  }
}

/** True for a turn the user cancelled (nothing went wrong; hosts usually show no error). */
export function isCancelled(err: unknown): boolean {
  return err instanceof ModelError && err.kind === 'cancelled';
}

export function cancelledError(): ModelError {
  return new ModelError('cancelled', 'The turn was cancelled; nothing was saved to memory.');
}

/** The base URL as shown in messages: no user info, query or trailing slash. */
export function endpointLabel(baseURL: string): string {
  try {
    const url = new URL(baseURL);
    url.username = '';
    url.password = '';
    url.search = '';
    url.hash = '';
    return url.toString().replace(/\/+$/, '');
  } catch {
    return baseURL;
  }
}

/** Server text fit to quote: one line, short, with anything that looks like a key removed. */
export function quoteServerText(text: string, apiKey?: string): string {
  let safe = text.replace(/\s+/g, ' ').trim();
  if (apiKey) safe = safe.split(apiKey).join('***');
  safe = safe.replace(/\b(sk-|Bearer\s+)[\w*.-]{4,}/g, '$1***');
  return safe.length > 160 ? `${safe.slice(0, 157)}...` : safe;
}

/** Message builders, one per kind, so every host says the same thing. */
export const explain = {
  missingKey: (ep: string) =>
    `No API key for ${ep}: set the OPENAI_API_KEY environment variable (in VS Code: run "Prompt Chain: Set API Key"), or set the base URL to a local server that needs none.`,
  notAnHttpUrl: (text: string) =>
    `The base URL "${text}" is not an http(s) URL: set the endpoint to one such as http://localhost:11434/v1.`,
  auth: (ep: string, status: number) =>
    `${ep} rejected the API key (${status} Unauthorized): set OPENAI_API_KEY to a valid key for this endpoint.`,
  forbidden: (ep: string, model: string) =>
    `${ep} refused access to model "${model}" (403 Forbidden): check that your key and project may use this model.`,
  modelNotFound: (ep: string, model: string) =>
    `${ep} has no model "${model}" (404 Not Found): fix \`model:\` in the front matter or pick a model this endpoint serves.`,
  chatModelOnCompletions: (ep: string, model: string) =>
    `${ep} serves "${model}" as a chat model only, and this prompt uses the completions API (404 Not Found): set \`model:\` to a completion model such as gpt-3.5-turbo-instruct, or write the body as chat messages.`,
  badUrl: (ep: string, path: string) =>
    `${ep} has no ${path} route (404 Not Found): check the base URL; OpenAI-compatible servers usually end it with /v1.`,
  rateLimit: (ep: string) =>
    `${ep} is rate-limiting requests (429 Too Many Requests): wait a moment and run the turn again.`,
  quota: (ep: string) =>
    `${ep} says your account has no quota left (429 insufficient_quota): check your plan and billing, or use another key.`,
  badRequest: (ep: string, status: number, detail: string) =>
    `${ep} rejected the request (${status}${detail ? `: "${detail}"` : ''}): check the model and parameters in the front matter.`,
  server: (ep: string, status: number | undefined, detail: string) =>
    `${ep} failed with ${status ? `${status} (server error)` : 'an error mid-reply'}${detail ? `: "${detail}"` : ''}; try again later or check the server's logs.`,
  timeout: (ep: string, timeoutMs: number) =>
    `${ep} did not answer within ${formatSeconds(timeoutMs)}: check that the server is running and the model is loaded, then run the turn again.`,
  refused: (ep: string) =>
    `Nothing is listening at ${ep} (connection refused): start the model server or correct the base URL (OPENAI_BASE_URL).`,
  blockedPort: (ep: string) =>
    `Node.js refuses to connect to ${ep}: its port is one that fetch blocks for safety; run the model server on another port, e.g. 8080.`,
  unresolved: (ep: string) => `Cannot resolve the host of ${ep}: check the base URL and your network connection.`,
  unreachable: (ep: string, code: string) =>
    `Could not reach ${ep}${code ? ` (${code})` : ''}: check the base URL, the server and your network connection.`,
  streamCut: (ep: string) =>
    `The connection to ${ep} was cut mid-reply: run the turn again (nothing was saved to memory).`,
  empty: (ep: string, model: string) =>
    `${ep} returned an empty reply from model "${model}": run the turn again, or check the model and max_tokens (nothing was saved to memory).`,
  unknown: (ep: string, detail: string) =>
    `The request to ${ep} failed${detail ? ` (${detail})` : ''}: check the endpoint and run the turn again.`,
};

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}
