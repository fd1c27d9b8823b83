// The shared memory between the language server's thread and its tokenizer worker: one request at a time,
// asked and answered synchronously (the server's token counts run inside the service's steps, which do not
// await). A request is a batch of texts, so a prompt's uncounted chunks cost one round trip rather than one
// each (waking the other thread is most of a short chunk's cost): the texts go in one after another as
// UTF-16 code units, their lengths in `sizes`; the worker writes each one's count over its length, or -1
// when it failed.
//
//   state: IDLE → (server) REQUEST → (worker) DONE → (server) IDLE
// Each side waits with Atomics.wait only while the state is the other side's to change.

export const IDLE = 0;
export const REQUEST = 1;
export const DONE = 2;

/** Slots of the control array. */
export const STATE = 0;
/** How many texts the request holds (their lengths are the first entries of `sizes`). */
export const COUNT = 1;
/** Set once by the worker: LOADED or FAILED (0 while it loads), for a server that must wait for it. */
export const LOAD = 3;
export const LOADED = 1;
export const FAILED = 2;

/**
 * The most UTF-16 code units one request carries. The counter only ever asks for chunks
 * (core/tokens/tokenCounter.ts: a few thousand characters); a longer text is counted in the asking thread.
 */
export const CAPACITY = 1 << 20;
/** The most texts one request carries. */
export const MAX_TEXTS = 1024;

export interface Channel {
  readonly control: Int32Array;
  readonly sizes: Int32Array;
  readonly text: Uint16Array;
}

export interface ChannelBuffers {
  readonly control: SharedArrayBuffer;
  readonly sizes: SharedArrayBuffer;
  readonly text: SharedArrayBuffer;
}

export function createChannelBuffers(): ChannelBuffers {
  return {
    control: new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT),
    sizes: new SharedArrayBuffer(MAX_TEXTS * Int32Array.BYTES_PER_ELEMENT),
    text: new SharedArrayBuffer(CAPACITY * Uint16Array.BYTES_PER_ELEMENT),
  };
}

export function openChannel(buffers: ChannelBuffers): Channel {
  return { control: new Int32Array(buffers.control), sizes: new Int32Array(buffers.sizes), text: new Uint16Array(buffers.text) };
}

/**
 * Waits, without spinning, until the worker has loaded its encoder or failed to: LOADED or FAILED; FAILED
 * too after `timeoutMs`, so a worker that died without a word (its 'error' event cannot be heard while
 * this thread waits) does not hang the server.
 */
export function awaitLoad(channel: Channel, timeoutMs = 30_000): number {
  const until = Date.now() + timeoutMs;
  for (let load = Atomics.load(channel.control, LOAD); ; load = Atomics.load(channel.control, LOAD)) {
    if (load !== 0) return load;
    const left = until - Date.now();
    if (left <= 0) return FAILED;
    Atomics.wait(channel.control, LOAD, 0, left);
  }
}

export function setLoad(channel: Channel, load: number): void {
  Atomics.store(channel.control, LOAD, load);
  Atomics.notify(channel.control, LOAD);
}

/** Waits, without spinning, until the state is `wanted`. */
export function awaitState(channel: Channel, wanted: number): void {
  for (let state = Atomics.load(channel.control, STATE); state !== wanted; state = Atomics.load(channel.control, STATE)) {
    Atomics.wait(channel.control, STATE, state);
  }
}

export function setState(channel: Channel, state: number): void {
  Atomics.store(channel.control, STATE, state);
  Atomics.notify(channel.control, STATE);
}

/** Messages the worker posts once: its encoder is ready, or cannot be loaded here. */
export type WorkerReport = { readonly ready: true } | { readonly ready: false; readonly reason: string };

/** What the worker is started with. */
export interface WorkerInput {
  readonly encoding: string;
  readonly bundleDir: string;
  readonly buffers: ChannelBuffers;
}
