// The local model's file on disk: a path the user named (checked, never downloaded), or a Hugging Face
// repository's file, downloaded into the cache (cache.ts) the first time a turn or `models pull` asks.
//
// The download is built so that a file at the cache path is always whole and verified:
// - Bytes go to `<path>.partial`, hashed (SHA-256) as they are written, never held in memory (the default
//   model is ~500 MB). The file appears at `<path>` only by rename, after its size and checksum pass.
// - A cut connection or a cancel keeps the partial; the next call asks for the rest (`Range: bytes=N-`),
//   hashing the kept bytes first, and appends on 206 (a 200 means the server ignored the range: start over).
// - The checksum is the pinned one when the ref carries it (the default model), and the hub's own: on
//   huggingface.co the resolve URL redirects to a CDN, and the sha256 of an LFS file is the first hop's
//   `X-Linked-Etag`, so redirects are followed here (at most 10) and that header read on every hop. A
//   mismatch deletes the partial: resuming bad bytes can only fail again.
// - Two processes (the language server and a CLI run) fetching the same file take turns on `<path>.lock`,
//   the memory store's cross-process lock (core/memory/lock.ts: O_EXCL-style create, stale when its
//   process is dead). A unique temporary name per process would avoid the wait but download the file
//   twice and lose resuming; the second one waits instead, then finds the file there.
// - HF_TOKEN is sent as a Bearer token to the hub's own origin only (a redirect to another origin, the
//   CDN, goes without it) and appears in no message; URLs are shown without credentials or query.

import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, stat, truncate, unlink, type FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import { LockTimeoutError } from '../../memory/errors';
import { acquireLock, type ReleaseLock } from '../../memory/lock';
import { cancelledError, endpointLabel, ModelError, quoteServerText } from '../errors';
import { cachedModelPath, lockSuffix, partialSuffix, type CacheEnv } from './cache';
import { modelFilePath, type HubModel, type LocalModelRef, type PathModel } from './modelRef';

export interface DownloadProgress {
  /** The file being written (its final path in the cache). */
  file: string;
  /** Bytes of the file on disk so far, counting those kept from an earlier, cut download. */
  received: number;
  /** The file's size, when the ref or the server says it. */
  total?: number;
}

export interface LocalModelFileOptions {
  modelsDir: string;
  /** HF_ENDPOINT and HF_TOKEN are read from here. */
  env: CacheEnv;
  signal?: AbortSignal;
  /** Told at most every 100 ms or 1% of the file, and once at its end. */
  onProgress?: (progress: DownloadProgress) => void;
  /** Told once when another process is downloading the same file and this one waits for it. */
  onWaitForOtherDownload?: (lockPath: string) => void;
  /** The real fetch; a host may pass its own (a proxy-aware one). */
  fetch?: typeof fetch;
  /** Where a relative `local:./model.gguf` is resolved from (default: the current folder). */
  baseDir?: string;
  /** How long a silent server is waited for, connecting or mid-body (default 30 s). */
  idleTimeoutMs?: number;
}

const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
const MAX_REDIRECTS = 10;
const PROGRESS_INTERVAL_MS = 100;
// Short, so a waiting process notices a cancel or the other's finished file soon; the lock is polled within it.
const LOCK_WAIT_SLICE_MS = 500;
const GGUF_MAGIC = 'GGUF';
// Failures before any byte that mean "this machine cannot reach the hub".
const OFFLINE_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'ECONNREFUSED', 'ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN', 'EHOSTDOWN', 'ETIMEDOUT', 'ECONNRESET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET']);

/** The absolute path of the model's GGUF file, downloading a hub model into the cache on first use. */
export async function localModelFile(ref: LocalModelRef, opts: LocalModelFileOptions): Promise<string> {
  if (ref.kind === 'path') return checkedModelPath(ref, opts.baseDir);
  const target = cachedModelPath(ref, opts.modelsDir);
  if (await isFile(target)) return target;
  await writeStep(path.dirname(target), () => mkdir(path.dirname(target), { recursive: true }));
  const release = await lockDownload(target, opts);
  try {
    // Another process may have finished it while this one waited for the lock.
    if (!(await isFile(target))) await download(ref, target, opts);
    return target;
  } finally {
    await release();
  }
}

/** `${HF_ENDPOINT}/${repo}/resolve/${revision}/${file}`, each part URL-encoded (a file may sit in folders). */
export function modelDownloadUrl(ref: HubModel, env: CacheEnv): string {
  const endpoint = (env.HF_ENDPOINT?.trim() || 'https://huggingface.co').replace(/\/+$/, '');
  const encoded = (text: string) => text.split('/').map(encodeURIComponent).join('/');
  const url = `${endpoint}/${encoded(ref.repo)}/resolve/${encodeURIComponent(ref.revision)}/${encoded(ref.file)}`;
  if (!/^https?:\/\//i.test(url) || !URL.canParse(url)) {
    throw new ModelError('local-download', `HF_ENDPOINT "${endpointLabel(endpoint)}" is not an http(s) URL: unset it to download from https://huggingface.co`);
  }
  return url;
}

/** The message a turn fails with when the hub cannot be reached: what to fetch by hand, where to put it. */
export function offlineMessage(url: string, target: string): string {
  return `no network: download ${endpointLabel(url)} to ${target} or set OPENAI_BASE_URL`;
}

// ---- a file the user named ----

async function checkedModelPath(ref: PathModel, baseDir: string | undefined): Promise<string> {
  const file = modelFilePath(ref, baseDir);
  const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
    throw new ModelError('local-model', error.code === 'ENOENT' ? `local model ${file} does not exist: fix the path in the model name or the promptChain.localModel setting` : `local model ${file} cannot be read (${error.code ?? error.message})`);
  });
  if (!info.isFile()) throw new ModelError('local-model', `local model ${file} is not a file: name a .gguf file`);
  const magic = await readMagic(file);
  if (magic !== GGUF_MAGIC) {
    throw new ModelError('local-model', `local model ${file} is not a GGUF file (it does not start with "GGUF"): llama.cpp reads GGUF only; convert it or download the model's .gguf`);
  }
  return file;
}

async function readMagic(file: string): Promise<string> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(file, 'r');
    const bytes = Buffer.alloc(4);
    const { bytesRead } = await handle.read(bytes, 0, 4, 0);
    return bytes.subarray(0, bytesRead).toString('latin1');
  } catch (error) {
    throw new ModelError('local-model', `local model ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  } finally {
    await handle?.close();
  }
}

// ---- the download's lock ----

async function lockDownload(target: string, opts: LocalModelFileOptions): Promise<ReleaseLock> {
  const lockPath = `${target}${lockSuffix}`;
  for (let told = false; ; told = true) {
    if (opts.signal?.aborted) throw cancelledError();
    try {
      return await acquireLock(lockPath, { timeoutMs: told ? LOCK_WAIT_SLICE_MS : 0 });
    } catch (error) {
      if (!(error instanceof LockTimeoutError)) throw writeError(lockPath, error);
      if (!told) opts.onWaitForOtherDownload?.(lockPath);
    }
  }
}

// ---- the download ----

/** What the hub said about the file, on any hop of its redirects. */
interface HubFacts {
  response: Response;
  /** The URL the bytes came from (after redirects). */
  url: string;
  /** X-Linked-Etag or ETag when it is a sha256. */
  sha256?: string;
  /** X-Linked-Size. */
  size?: number;
  /** X-Error-Code (RepoNotFound, EntryNotFound, RevisionNotFound, GatedRepo). */
  errorCode?: string;
}

/** One download attempt's state, shared by its steps. */
interface Transfer {
  ref: HubModel;
  target: string;
  partial: string;
  url: string;
  opts: LocalModelFileOptions;
  /** Bytes already in the partial file when the body started. */
  offset: number;
  total?: number;
  hash: Hash;
  received: number;
}

async function download(ref: HubModel, target: string, opts: LocalModelFileOptions): Promise<void> {
  const partial = `${target}${partialSuffix}`;
  const url = modelDownloadUrl(ref, opts.env);
  let offset = await sizeOf(partial);
  if (ref.size !== undefined && offset > ref.size) offset = await restart(partial);
  // Every byte arrived before the rename could happen (a crash, a kill): check it, no network needed.
  if (ref.size !== undefined && offset === ref.size && offset > 0) return finishKept(ref, target, partial, url, opts);
  const watch = new Watchdog(opts.signal, opts.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS);
  try {
    let facts = await requestFile(url, offset, opts, watch, target);
    if (facts.response.status === 416 && offset > 0) {
      await facts.response.body?.cancel();
      if (wholeLength(facts.response.headers.get('content-range')) === offset) return await finishKept(ref, target, partial, url, opts, facts.sha256);
      // The partial is longer than the file (the file changed): fetch it whole again.
      offset = await restart(partial);
      facts = await requestFile(url, 0, opts, watch, target);
    }
    watch.pause(); // hashing a kept partial is not the server's silence
    const transfer = await startTransfer(ref, target, partial, url, offset, facts, opts);
    await receive(transfer, facts.response, watch);
    await finish(transfer, facts.sha256);
  } finally {
    watch.stop();
  }
}

/** GET with Range when resuming; redirects followed by hand so the first hop's X-Linked-Etag is seen. */
async function requestFile(url: string, offset: number, opts: LocalModelFileOptions, watch: Watchdog, target: string): Promise<HubFacts> {
  const origin = new URL(url).origin;
  const facts: Omit<HubFacts, 'response' | 'url'> = {};
  let current = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const response = await fetchOnce(current, { offset, origin, shownUrl: url, target }, opts, watch);
    noteFacts(facts, response.headers, new URL(current).origin === origin);
    const location = response.headers.get('location');
    if (![301, 302, 303, 307, 308].includes(response.status) || !location) return { ...facts, response, url: current };
    await response.body?.cancel();
    current = new URL(location, current).toString();
  }
  throw new ModelError('local-download', `${endpointLabel(url)} redirected more than ${MAX_REDIRECTS} times: check HF_ENDPOINT`);
}

/** What one hop of a request needs besides its URL: messages name the hub's URL, never a CDN's. */
interface Hop {
  offset: number;
  /** The hub's origin: the only one HF_TOKEN is sent to. */
  origin: string;
  shownUrl: string;
  target: string;
}

async function fetchOnce(url: string, hop: Hop, opts: LocalModelFileOptions, watch: Watchdog): Promise<Response> {
  const { offset, origin, shownUrl, target } = hop;
  const headers: Record<string, string> = { 'accept-encoding': 'identity', 'user-agent': 'prompt-chain' };
  if (offset > 0) headers.range = `bytes=${offset}-`;
  const token = opts.env.HF_TOKEN?.trim();
  if (token && new URL(url).origin === origin) headers.authorization = `Bearer ${token}`;
  watch.arm();
  try {
    return await (opts.fetch ?? fetch)(url, { headers, redirect: 'manual', signal: watch.signal });
  } catch (error) {
    if (watch.cancelled) throw cancelledError();
    const code = watch.timedOut ? 'ETIMEDOUT' : causeCode(error);
    if (code && OFFLINE_CODES.has(code)) throw new ModelError('local-download', offlineMessage(shownUrl, target));
    throw new ModelError('local-download', `the download of ${endpointLabel(shownUrl)} failed (${code ?? quoteServerText(errorText(error), token)}): check HF_ENDPOINT and your network, then run the turn again`);
  }
}

/** A plain ETag is trusted as a sha256 from the hub only: a CDN's ETag is its own business (an md5, a hash of parts). */
function noteFacts(facts: Omit<HubFacts, 'response' | 'url'>, headers: Headers, fromHub: boolean): void {
  facts.sha256 ??= sha256Of(headers.get('x-linked-etag')) ?? (fromHub ? sha256Of(headers.get('etag')) : undefined);
  const size = Number(headers.get('x-linked-size') ?? NaN);
  if (facts.size === undefined && Number.isSafeInteger(size) && size >= 0) facts.size = size;
  facts.errorCode ??= headers.get('x-error-code') ?? undefined;
}

/** An ETag is the file's sha256 on the hub when it is 64 hex digits (quoted, maybe weak: `W/"…"`). */
export function sha256Of(etag: string | null): string | undefined {
  const bare = etag?.trim().replace(/^W\//i, '').replace(/^"|"$/g, '');
  return bare && /^[0-9a-f]{64}$/i.test(bare) ? bare.toLowerCase() : undefined;
}

/** Checks the answer and opens the partial for appending (206 at the offset) or anew (200). */
async function startTransfer(ref: HubModel, target: string, partial: string, url: string, offset: number, facts: HubFacts, opts: LocalModelFileOptions): Promise<Transfer> {
  const { response } = facts;
  if (response.status !== 200 && response.status !== 206) {
    await response.body?.cancel();
    throw statusError(ref, url, facts);
  }
  const range = response.status === 206 ? contentRange(response.headers.get('content-range')) : undefined;
  const startsAt = response.status === 206 ? range?.start : 0;
  if (startsAt !== offset && startsAt !== 0) {
    await response.body?.cancel();
    throw new ModelError('local-download', `${endpointLabel(url)} answered with bytes from ${startsAt ?? 'an unknown offset'} where ${offset} were asked for: run the turn again`);
  }
  if (startsAt === 0) offset = await restart(partial);
  const length = Number(response.headers.get('content-length') ?? NaN);
  const served = range?.total ?? (Number.isSafeInteger(length) ? offset + length : undefined);
  const total = ref.size ?? facts.size ?? served;
  if (total !== undefined && served !== undefined && served !== total) {
    await response.body?.cancel();
    await unlink(partial).catch(() => undefined);
    throw new ModelError('local-download', `${target}: ${endpointLabel(url)} serves ${served} bytes where ${total} were expected, so it is not the expected file: check the model name and HF_ENDPOINT`);
  }
  const hash = createHash('sha256');
  if (offset > 0) await hashFile(partial, hash);
  return { ref, target, partial, url, opts, offset, total, hash, received: offset };
}

function contentRange(header: string | null): { start: number; total?: number } | undefined {
  const match = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(header?.trim() ?? '');
  if (!match) return undefined;
  return { start: Number(match[1]), ...(match[2] !== '*' && { total: Number(match[2]) }) };
}

/** Streams the body into the partial file, hashing each chunk as it is written. */
async function receive(transfer: Transfer, response: Response, watch: Watchdog): Promise<void> {
  const handle = await writeStep(transfer.partial, () => open(transfer.partial, transfer.offset > 0 ? 'a' : 'w'));
  const progress = new ProgressThrottle(transfer);
  progress.report(true);
  try {
    const reader = response.body?.getReader();
    watch.arm();
    for (;;) {
      const chunk = await reader?.read();
      if (!chunk || chunk.done) break;
      watch.arm();
      await writeStep(transfer.partial, () => handle.write(chunk.value));
      transfer.hash.update(chunk.value);
      transfer.received += chunk.value.byteLength;
      progress.report(false);
    }
  } catch (error) {
    if (error instanceof ModelError) throw error;
    if (watch.cancelled) throw cancelledError();
    throw cutError(transfer);
  } finally {
    await handle.close();
    watch.stop();
  }
  progress.report(true);
}

/** A partial file that holds the whole file already: hashed and checked like a finished download. */
async function finishKept(ref: HubModel, target: string, partial: string, url: string, opts: LocalModelFileOptions, hubSha256?: string): Promise<void> {
  const received = await sizeOf(partial);
  const hash = createHash('sha256');
  await hashFile(partial, hash);
  await finish({ ref, target, partial, url, opts, offset: received, total: ref.size ?? received, hash, received }, hubSha256);
}

/** The N of a 416's `Content-Range: bytes *\/N`: the file's length. */
function wholeLength(header: string | null): number | undefined {
  const match = /^bytes \*\/(\d+)$/.exec(header?.trim() ?? '');
  return match ? Number(match[1]) : undefined;
}

/** Size and checksum against everything known; only then the rename that makes the file appear. */
async function finish(transfer: Transfer, hubSha256: string | undefined): Promise<void> {
  const { total, received, target, partial } = transfer;
  if (total !== undefined && received < total) throw cutError(transfer);
  const actual = transfer.hash.digest('hex');
  const expected = [transfer.ref.sha256?.toLowerCase(), hubSha256].filter((sha): sha is string => sha !== undefined);
  const wrong = expected.find((sha) => sha !== actual);
  if (wrong !== undefined || (total !== undefined && received > total)) {
    await unlink(partial).catch(() => undefined);
    const what = wrong !== undefined ? `sha256 ${short(wrong)} was expected, the bytes have ${short(actual)}` : `${total} bytes were expected, ${received} came`;
    throw new ModelError('local-download', `${target} failed its checksum (${what}); the partial download was deleted: run the turn again to download it anew`);
  }
  await writeStep(target, () => rename(partial, target));
}

function cutError(transfer: Transfer): ModelError {
  const of = transfer.total !== undefined ? ` of ${megabytes(transfer.total)}` : '';
  return new ModelError(
    'local-download',
    `the download of ${endpointLabel(transfer.url)} was cut after ${megabytes(transfer.received)}${of}; the ${megabytes(transfer.received)} are kept in ${transfer.partial} and the next run resumes from there`,
  );
}

function statusError(ref: HubModel, url: string, facts: HubFacts): ModelError {
  const status = facts.response.status;
  const host = new URL(url).host;
  const details = { status };
  const code = facts.errorCode;
  if (code === 'RepoNotFound' || (status === 404 && code === undefined)) {
    const what = code === 'RepoNotFound' ? `the repository ${ref.repo} does not exist on ${host}` : `${host} has no file ${ref.file} in ${ref.repo}`;
    return new ModelError('local-download', `${what} (${status} at ${endpointLabel(url)}): check the repository and file in the model name${status === 401 ? ', or set HF_TOKEN if the repository is private' : ''}`, details);
  }
  if (code === 'EntryNotFound') return new ModelError('local-download', `the repository ${ref.repo} has no file ${ref.file} (${status} at ${endpointLabel(url)}): check the file name in the model name`, details);
  if (code === 'RevisionNotFound') return new ModelError('local-download', `the repository ${ref.repo} has no revision ${ref.revision} (${status}): check the model name`, details);
  if (status === 401 || status === 403 || code === 'GatedRepo') {
    return new ModelError('local-download', `${ref.repo} is gated or private (${status} at ${endpointLabel(url)}): accept its terms on its page at ${host} and set HF_TOKEN to an access token of that account`, details);
  }
  if (status === 429) return new ModelError('local-download', `${host} is rate-limiting downloads (429): wait a while and run the turn again`, details);
  return new ModelError('local-download', `${endpointLabel(url)} answered ${status} instead of the model file: try again later, or check HF_ENDPOINT`, details);
}

// ---- small helpers ----

/**
 * The request's abort signal: the caller's cancel, or no byte for idleTimeoutMs (connecting or mid-body).
 * `arm` restarts the idle clock; which of the two fired decides between "cancelled" and "cut/offline".
 */
class Watchdog {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  timedOut = false;
  readonly signal = this.controller.signal;

  constructor(
    private readonly outer: AbortSignal | undefined,
    private readonly idleMs: number,
  ) {
    if (outer?.aborted) this.controller.abort();
    outer?.addEventListener('abort', this.onCancel);
  }

  get cancelled(): boolean {
    return this.outer?.aborted === true;
  }

  arm(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort();
    }, this.idleMs);
  }

  pause(): void {
    clearTimeout(this.timer);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.outer?.removeEventListener('abort', this.onCancel);
  }

  private readonly onCancel = () => this.controller.abort();
}

/** At most one report per 100 ms or per 1% of the file; `force` for the first and the last. */
class ProgressThrottle {
  private lastAt = 0;
  private lastBytes = -1;

  constructor(private readonly transfer: Transfer) {}

  report(force: boolean): void {
    const { opts, received, total, target } = this.transfer;
    if (!opts.onProgress) return;
    const now = Date.now();
    const step = total !== undefined && total > 0 ? total / 100 : Infinity;
    if (received === this.lastBytes) return;
    if (!force && now - this.lastAt < PROGRESS_INTERVAL_MS && received - this.lastBytes < step) return;
    this.lastAt = now;
    this.lastBytes = received;
    opts.onProgress({ file: target, received, ...(total !== undefined && { total }) });
  }
}

async function hashFile(file: string, hash: Hash): Promise<void> {
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
}

async function restart(partial: string): Promise<number> {
  await truncate(partial, 0).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw writeError(partial, error);
  });
  return 0;
}

async function sizeOf(file: string): Promise<number> {
  return (await stat(file).catch(() => undefined))?.size ?? 0;
}

async function isFile(file: string): Promise<boolean> {
  return (await stat(file).catch(() => undefined))?.isFile() === true;
}

/** A file-system step of the download; its failure is one line saying what to free or change. */
async function writeStep<T>(file: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw writeError(file, error);
  }
}

function writeError(file: string, error: unknown): ModelError {
  const code = (error as NodeJS.ErrnoException).code ?? errorText(error);
  const advice = code === 'ENOSPC' ? 'free some disk space' : 'check the folder, or set PROMPT_CHAIN_MODELS_DIR to another one';
  return new ModelError('local-download', `cannot write ${file} (${code}): ${advice}, then run the turn again`);
}

/** The errno-style code down the cause chain (undici wraps it: TypeError -> Error{code}). */
function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current && typeof current === 'object'; depth++) {
    const { code, cause, errors } = current as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof code === 'string' && /^(E|UND_ERR_)[A-Z_]+$/.test(code)) return code;
    current = cause ?? (Array.isArray(errors) ? errors[0] : undefined);
  }
  return undefined;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function short(sha: string): string {
  return `${sha.slice(0, 12)}…`;
}

/** "468.6 MB": the unit the CLI and the messages count downloads in (10^6 bytes). */
export function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}
