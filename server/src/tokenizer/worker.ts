// The tokenizer worker (dist/tokenizerWorker.js): loads one encoding's tables — a few hundred
// milliseconds of work that would otherwise hold up every request of the server — then answers counts
// through the shared channel (./channel.ts) for as long as the server lives.

import { parentPort, workerData } from 'node:worker_threads';
import type { EncodingName } from '../../../core/tokens/contextWindows';
import { asPlainText, loadEncoder } from '../../../core/tokens/tokenCounter';
import { awaitState, COUNT, DONE, FAILED, LOADED, openChannel, REQUEST, setLoad, setState, type WorkerInput, type WorkerReport } from './channel';

const input = workerData as WorkerInput;

function serve(): void {
  const channel = openChannel(input.buffers);
  let encoder: ReturnType<typeof loadEncoder> = null;
  try {
    encoder = loadEncoder(input.encoding as EncodingName, input.bundleDir);
  } finally {
    setLoad(channel, encoder ? LOADED : FAILED);
  }
  if (!encoder) return report({ ready: false, reason: `the ${input.encoding} tables are not installed` });
  report({ ready: true });
  for (;;) {
    awaitState(channel, REQUEST);
    const texts = channel.control[COUNT]!;
    for (let index = 0, start = 0; index < texts; index++) {
      const length = channel.sizes[index]!;
      let count = -1;
      try {
        count = encoder.countTokens(decode(channel.text, start, start + length), asPlainText);
      } catch {
        // answered as -1: the server counts that text itself
      }
      channel.sizes[index] = count;
      start += length;
    }
    setState(channel, DONE);
  }
}

function decode(units: Uint16Array, start: number, end: number): string {
  let text = '';
  // In slices: String.fromCharCode takes its units as arguments, and arguments are limited.
  for (let at = start; at < end; at += 8192) text += String.fromCharCode(...units.subarray(at, Math.min(end, at + 8192)));
  return text;
}

function report(message: WorkerReport): void {
  parentPort?.postMessage(message);
}

serve();
