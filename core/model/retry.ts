// When a failed request is sent again, and after how long. The SDK's own retries are off (maxRetries 0):
// it sleeps for whatever Retry-After says (an hour, if asked) with no way to cut the sleep short, while the
// caller's idle timer, still counting, turns a rate limit into "sent nothing". Here a wait the server asks
// for is honoured only up to `maxWaitMs`; a longer one fails the turn at once, and the classifier names the
// wait (classifyError.ts). The idle timer is paused while we wait: waiting is our choice, not the server's
// silence.

import { APIConnectionError, APIError, APIUserAbortError } from 'openai';

export interface RetryPolicy {
  /** Attempts after the first. */
  maxRetries: number;
  /** The longest Retry-After waited for; a longer one fails the turn at once, naming the wait. */
  maxWaitMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxRetries: 2, maxWaitMs: 10_000 };

/** Wait `waitMs`, then send again; or give up and report the error. */
export type RetryDecision = { retry: true; waitMs: number } | { retry: false };

const giveUp: RetryDecision = { retry: false };

/** What to do after attempt number `attempt` (0 = the first) failed with `err`, before any reply arrived. */
export function retryDecision(err: unknown, attempt: number, policy: RetryPolicy, now: number): RetryDecision {
  if (attempt >= policy.maxRetries || err instanceof APIUserAbortError) return giveUp;
  if (err instanceof APIConnectionError) return { retry: true, waitMs: backoffMs(attempt) };
  if (!(err instanceof APIError) || !isRetryable(err)) return giveUp;
  const asked = requestedWaitMs(err.headers, now);
  if (asked === undefined) return { retry: true, waitMs: backoffMs(attempt) };
  return asked <= policy.maxWaitMs ? { retry: true, waitMs: asked } : giveUp;
}

/** The statuses worth a second try, as the SDK has them, except a quota that is used up. */
function isRetryable(err: APIError): boolean {
  const says = err.headers?.get('x-should-retry');
  if (says === 'true' || says === 'false') return says === 'true';
  const status = err.status ?? 0;
  if (status === 429) return err.code !== 'insufficient_quota';
  return status === 408 || status === 409 || status >= 500;
}

/**
 * How long the server asked to be left alone: `retry-after-ms` (OpenAI's), else Retry-After in seconds or
 * as an HTTP date. Undefined when it did not say (or said something unreadable, or "now").
 */
export function requestedWaitMs(headers: Headers | undefined, now: number): number | undefined {
  const millis = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  if (millis > 0) return millis;
  const retryAfter = headers?.get('retry-after')?.trim();
  if (!retryAfter) return undefined;
  const ms = /^\d+(\.\d+)?$/.test(retryAfter) ? Number(retryAfter) * 1000 : Date.parse(retryAfter) - now;
  return ms > 0 ? ms : undefined;
}

/** 0.5 s, 1 s, 2 s, ... at most 8 s, less up to a quarter at random so that many clients spread out. */
function backoffMs(attempt: number): number {
  return Math.min(500 * 2 ** attempt, 8000) * (1 - Math.random() * 0.25);
}
