// The shared memory between the language server's thread and its tokenizer worker: one count at a time,
// asked and answered synchronously (the server's token counts run inside the service's steps, which do not
// await). The text goes in as UTF-16 code units; the answer is the count, or -1 when it failed.
//
//   state: IDLE → (server) REQUEST → (worker) DONE → (server) IDLE
// Each side waits with Atomics.wait only while the state is the other side's to change.

export const IDLE = 0;
export const REQUEST = 1;
export const DONE = 2;

/** Slots of the control array. */
export const STATE = 0;
export const LENGTH = 1;
export const RESULT = 2;
/** Set once by the worker: LOADED or FAILED (0 while it loads), for a server that must wait for it. */
export const LOAD = 3;
export const LOADED = 1;
export const FAILED = 2;

/**
 * The longest text one request carries, in UTF-16 code units. The counter only ever asks for chunks
 * (core/tokens/tokenCounter.ts: a few thousand characters); a longer text is counted in the asking thread.
 */
export const CAPACITY = 1 << 20;

export interface Channel {
  readonly control: Int32Array;
  readonly text: Uint16Array;
}

export interface ChannelBuffers {
  readonly control: SharedArrayBuffer;
  readonly text: SharedArrayBuffer;
}

export function createChannelBuffers(): ChannelBuffers {
  return { control: new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT), text: new SharedArrayBuffer(CAPACITY * Uint16Array.BYTES_PER_ELEMENT) };
}

export function openChannel(buffers: ChannelBuffers): Channel {
  return { control: new Int32Array(buffers.control), text: new Uint16Array(buffers.text) };
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
