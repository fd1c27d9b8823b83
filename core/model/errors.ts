// Every way a model call can fail, as one sentence a user can act on: what happened, at which endpoint,
// what to do. Hosts print `message` as is (never a stack trace); `kind` is for programs (exit codes, UI).
// Messages never contain the API key: server-provided text is scrubbed before it is quoted. A message about
// the base URL names where that URL came from (settingSource.ts), so the user corrects the right setting.

import { groupedCount } from '../text/count';
import { sourcePhrase, type SettingSource } from './settingSource';

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
  /** A stream event that is not JSON (or not an object): the server breaks OpenAI's streaming format. */
  | 'bad-stream'
  /** A 200 that is not an OpenAI answer: an HTML page, another content type, JSON that is no completion. */
  | 'not-openai'
  /** The reply passed the host's cap on its length; the download was stopped. */
  | 'reply-too-large'
  | 'empty'
  | 'cancelled'
  | 'unknown'
  /** The in-process model cannot run here: node-llama-cpp is not installed, or cannot load on this machine. */
  | 'local-runtime'
  /** The local model file could not be fetched: no network, the server failed, or the bytes fail their checksum. */
  | 'local-download'
  /** The local model is named wrongly, missing on disk, not a GGUF, or too large for this machine's memory. */
  | 'local-model';

export interface ModelErrorDetails {
  /** The endpoint as shown to the user (base URL without credentials). */
  endpoint?: string;
  /** HTTP status when the endpoint answered with one. */
  status?: number;
  /** How long the endpoint asked to be left alone (Retry-After), when it said. */
  retryAfterMs?: number;
}

export class ModelError extends Error {
  override readonly name = 'ModelError';
  readonly kind: ModelErrorKind;
  readonly endpoint?: string;
  readonly status?: number;
  readonly retryAfterMs?: number;

  constructor(kind: ModelErrorKind, message: string, details: ModelErrorDetails = {}) {
    super(message);
    this.kind = kind;
    this.endpoint = details.endpoint;
    this.status = details.status;
    this.retryAfterMs = details.retryAfterMs;
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
    return withoutUserInfo(baseURL);
  }
}

/** Text that is not a valid URL may still hold `user:password@` (a typo in the port): never show it. */
function withoutUserInfo(text: string): string {
  return text.replace(/^([a-z][\w+.-]*:\/\/)?[^/?#\s]*@/i, '$1');
}

/** When a server asked to be called again: how long it asked to wait, from what moment. */
export interface RetryWait {
  waitMs: number;
  /** Epoch milliseconds at which the wait began (the host's clock, so tests can fix it). */
  now: number;
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
  notAnHttpUrl: (text: string, source?: SettingSource) =>
    `The base URL "${withoutUserInfo(text)}"${from(source)} is not an http(s) URL: set the endpoint to one such as http://localhost:11434/v1.`,
  credentialsInUrl: (ep: string, source?: SettingSource) =>
    `The base URL ${ep}${from(source)} has a user name or password in it, which are never sent: remove them from the URL; a key goes in OPENAI_API_KEY (in VS Code: "Prompt Chain: Set API Key") and is sent as a Bearer token.`,
  auth: (ep: string, status: number) =>
    `${ep} rejected the API key (${status} Unauthorized): set OPENAI_API_KEY to a valid key for this endpoint (in VS Code: run "Prompt Chain: Set API Key").`,
  forbidden: (ep: string, model: string) =>
    `${ep} refused access to model "${model}" (403 Forbidden): check that your key and project may use this model.`,
  modelNotFound: (ep: string, model: string) =>
    `${ep} has no model "${model}" (404 Not Found): fix \`model:\` in the front matter or pick a model this endpoint serves.`,
  chatModelOnCompletions: (ep: string, model: string) =>
    `${ep} serves "${model}" as a chat model only, and this prompt uses the completions API (404 Not Found): set \`model:\` to a completion model such as gpt-3.5-turbo-instruct, or write the body as chat messages.`,
  badUrl: (ep: string, path: string, source?: SettingSource) =>
    `${ep} has no ${path} route (404 Not Found): check the base URL${where(source)}; OpenAI-compatible servers usually end it with /v1.`,
  rateLimit: (ep: string, wait?: RetryWait) =>
    `${ep} is rate-limiting requests (429 Too Many Requests): ${wait ? retryAfter(wait) : 'wait a moment and run the turn again'}.`,
  quota: (ep: string) =>
    `${ep} says your account has no quota left (429 insufficient_quota): check your plan and billing, or use another key.`,
  badRequest: (ep: string, status: number, detail: string) =>
    `${ep} rejected the request (${status}${detail ? `: "${detail}"` : ''}): check the model and parameters in the front matter.`,
  server: (ep: string, status: number | undefined, detail: string, wait?: RetryWait) =>
    `${ep} failed with ${status ? `${status} (server error)` : 'an error mid-reply'}${detail ? `: "${detail}"` : ''}; ${wait ? retryAfter(wait) : "try again later or check the server's logs"}.`,
  timeout: (ep: string, timeoutMs: number) =>
    `${ep} did not answer within ${formatSeconds(timeoutMs)}: check that the server is running and the model is loaded, then run the turn again.`,
  refused: (ep: string, source?: SettingSource) =>
    `Nothing is listening at ${ep} (connection refused): start the model server or correct the base URL${where(source)}.`,
  blockedPort: (ep: string) =>
    `Node.js refuses to connect to ${ep}: its port is one that fetch blocks for safety; run the model server on another port, e.g. 8080.`,
  unresolved: (ep: string, source?: SettingSource) =>
    `Cannot resolve the host of ${ep}: check the base URL${where(source)} and your network connection.`,
  unreachable: (ep: string, code: string, source?: SettingSource) =>
    `Could not reach ${ep}${code ? ` (${code})` : ''}: check the base URL${where(source)}, the server and your network connection.`,
  streamCut: (ep: string) =>
    `The connection to ${ep} was cut mid-reply: run the turn again (nothing was saved to memory).`,
  badStream: (ep: string, what: string) =>
    `${ep} sent a malformed stream (${what}): it does not follow OpenAI's streaming format; run the turn again, or check the server and its version (nothing was saved to memory).`,
  htmlPage: (ep: string) =>
    `${ep} answered with an HTML page, not an OpenAI API response: the base URL is probably not an OpenAI-compatible API; check that it ends in /v1 (e.g. http://localhost:11434/v1).`,
  notAStream: (ep: string, contentType: string) =>
    `${ep} answered with ${contentType ? `"${contentType}"` : 'a body of no declared type'} instead of an event stream: check that the base URL is an OpenAI-compatible API (it usually ends in /v1).`,
  notACompletion: (ep: string) =>
    `${ep} answered with JSON that is not a completion: check that the base URL is an OpenAI-compatible API (it usually ends in /v1).`,
  replyTooLarge: (ep: string, maxChars: number) =>
    `${ep} sent a reply longer than ${groupedCount(maxChars)} characters, the limit, so the turn was stopped and nothing was saved to memory: ask for a shorter reply (max_tokens in the front matter) or raise the limit (--max-reply-chars, or the promptChain.maxReplyChars setting).`,
  empty: (ep: string, model: string) =>
    `${ep} returned an empty reply from model "${model}": run the turn again, or check the model and max_tokens (nothing was saved to memory).`,
  unknown: (ep: string, detail: string) =>
    `The request to ${ep} failed${detail ? ` (${detail})` : ''}: check the endpoint and run the turn again.`,
};

/** " (from the promptChain.baseUrl setting)": where a URL the user wrote came from. */
function from(source: SettingSource | undefined): string {
  return source && source.kind !== 'default' ? ` (from ${sourcePhrase(source)})` : '';
}

/** " (OPENAI_BASE_URL)": where to correct the base URL. */
function where(source: SettingSource | undefined): string {
  return source ? ` (${sourcePhrase(source)})` : '';
}

/** "it asks to wait 30 s; run the turn again after 21:40:12" (the host's local time). */
function retryAfter({ waitMs, now }: RetryWait): string {
  // Rounded up to the second, so that retrying at the time named is never too early.
  const at = new Date(Math.ceil((now + waitMs) / 1000) * 1000);
  // A wait past the end of JavaScript's calendar (a hostile Retry-After) has no time to name.
  if (Number.isNaN(at.getTime())) return `it asks to wait ${formatWait(waitMs)}; run the turn again much later`;
  return `it asks to wait ${formatWait(waitMs)}; run the turn again after ${formatClock(at, new Date(now))}`;
}

/** Rounded up, like the time to retry. */
function formatWait(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h ${minutes % 60} min`;
}

/** HH:MM:SS, with the date in front when it is not today. */
function formatClock(at: Date, now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;
  const sameDay = at.toDateString() === now.toDateString();
  return sameDay ? time : `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${time}`;
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}
