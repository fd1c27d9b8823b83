// The language server's encoder source (core/tokens/tokenCounter.ts EncoderSource): each encoding loads
// in a worker of its own, started the first time a prompt needs it, so its tables (hundreds of
// milliseconds of work) never hold up a request; until it is ready a count waits on a promise, which the
// server's slices await with the event loop free (a count that cannot wait in steps — a turn's memory
// pruning — waits for the load instead). Once ready, a count is asked synchronously through
// shared memory (./channel.ts): the server's thread waits for the worker exactly as long as counting in
// place would take. If a worker cannot start or load, the encoding is counted in this thread, as the CLI
// counts.

import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import type { EncodingName } from '../../../core/tokens/contextWindows';
import { asPlainText, encoderInThisThread, type Encoder, type EncoderSource } from '../../../core/tokens/tokenCounter';
import { awaitLoad, awaitState, CAPACITY, COUNT, createChannelBuffers, DONE, FAILED, IDLE, LOADED, MAX_TEXTS, openChannel, REQUEST, setLoad, setState, type Channel, type WorkerInput, type WorkerReport } from './channel';

type Slot =
  | { readonly kind: 'loading'; readonly ready: Promise<void>; readonly channel: Channel }
  | { readonly kind: 'ready'; readonly encoder: Encoder }
  | { readonly kind: 'missing' };

export interface WorkerEncoderOptions {
  /** The folder holding tokenizerWorker.js and tokenizer/ (the bundle's own). */
  readonly bundleDir: string;
}

export function workerEncoders(options: WorkerEncoderOptions): EncoderSource {
  const slots = new Map<EncodingName, Slot>();
  const slotOf = (encoding: EncodingName): Slot => {
    let slot = slots.get(encoding);
    // Settled once: by the worker's message, or by a count that could not wait for it.
    const settle = (next: Slot) => {
      if (slots.get(encoding)?.kind === 'loading') slots.set(encoding, next);
    };
    if (!slot) slots.set(encoding, (slot = start(encoding, options, settle)));
    return slot;
  };
  return {
    encoder(encoding) {
      const slot = slotOf(encoding);
      return slot.kind === 'ready' ? slot.encoder : slot.kind === 'loading' ? slot.ready : undefined;
    },
    encoderNow(encoding) {
      let slot = slotOf(encoding);
      if (slot.kind === 'loading') {
        const loaded = awaitLoad(slot.channel) === LOADED;
        slots.set(encoding, (slot = loaded ? { kind: 'ready', encoder: channelEncoder(slot.channel, encoding) } : inThisThread(encoding)));
      }
      return slot.kind === 'ready' ? slot.encoder : undefined;
    },
  };
}

function start(encoding: EncodingName, options: WorkerEncoderOptions, settle: (slot: Slot) => void): Slot {
  const buffers = createChannelBuffers();
  const input: WorkerInput = { encoding, bundleDir: options.bundleDir, buffers };
  let worker: Worker;
  try {
    worker = new Worker(join(options.bundleDir, 'tokenizerWorker.js'), { workerData: input });
  } catch {
    return inThisThread(encoding);
  }
  // The worker waits for requests forever; it must not keep the server alive once the client has gone.
  worker.unref();
  const channel = openChannel(buffers);
  const ready = new Promise<void>((resolve) => {
    const done = (slot: Slot) => {
      settle(slot);
      resolve();
    };
    worker.once('message', (report: WorkerReport) => done(report.ready ? { kind: 'ready', encoder: channelEncoder(channel, encoding) } : inThisThread(encoding)));
    worker.once('error', () => {
      // A count waiting for the load must not wait for a worker that is gone.
      setLoad(channel, FAILED);
      done(inThisThread(encoding));
    });
  });
  return { kind: 'loading', ready, channel };
}

/** The fallback: the encoder loaded here, as the CLI loads it (or missing from this installation). */
function inThisThread(encoding: EncodingName): Slot {
  const encoder = encoderInThisThread(encoding);
  return encoder ? { kind: 'ready', encoder } : { kind: 'missing' };
}

/**
 * Counts through the channel, as many texts per round trip as it carries; a text the channel cannot carry,
 * or a count that failed there, is counted here. The worker counts special tokens as plain text, as every
 * count of the service asks.
 */
function channelEncoder(channel: Channel, encoding: EncodingName): Encoder {
  const here = (text: string): number => {
    const local = encoderInThisThread(encoding);
    if (!local) throw new Error(`the ${encoding} tables are not installed`);
    return local.countTokens(text, asPlainText);
  };
  const countEach = (texts: readonly string[]): number[] => {
    const counts: number[] = [];
    let next = 0;
    while (next < texts.length) {
      const first = next;
      let units = 0;
      for (; next < texts.length && next - first < MAX_TEXTS; next++) {
        const text = texts[next]!;
        if (text.length > CAPACITY - units) break;
        for (let at = 0; at < text.length; at++) channel.text[units + at] = text.charCodeAt(at);
        channel.sizes[next - first] = text.length;
        units += text.length;
      }
      if (next === first) {
        // longer than the channel carries
        counts.push(here(texts[next++]!));
        continue;
      }
      channel.control[COUNT] = next - first;
      setState(channel, REQUEST);
      awaitState(channel, DONE);
      for (let index = first; index < next; index++) {
        const count = channel.sizes[index - first]!;
        counts.push(count >= 0 ? count : here(texts[index]!));
      }
      setState(channel, IDLE);
    }
    return counts;
  };
  return {
    countTokens: (text) => countEach([text])[0]!,
    countEach,
  };
}
