// The one fact the language service needs from a local model file before any turn: the context length
// it was trained for (`<architecture>.context_length` in its GGUF metadata), read from the file's header
// here, without the binding. The header's keys come before the tensors; only the first megabytes are read,
// a value at a time, so a huge or hostile file costs a bounded read. Anything unreadable answers undefined.

import { closeSync, openSync, readSync } from 'node:fs';
import { cachedModelPath, localModelsDir, type CacheEnv } from './cache';
import { maxLocalContext } from './localModel';
import { defaultLocalModel, type LocalModelRef } from './modelRef';

const headerLimit = 8 * 1024 * 1024;
/** The default model's trained context (Qwen2.5-0.5B-Instruct), known before it is downloaded. */
const defaultModelContext = 32_768;

/** The context the model was trained for; when unknown (not downloaded, unreadable), the most a local model is given. */
export function trainedContextOf(ref: LocalModelRef, env: CacheEnv = process.env): number {
  if (ref === defaultLocalModel) return defaultModelContext;
  const path = ref.kind === 'path' ? ref.path : cachedModelPath(ref, localModelsDir(env));
  return ggufContextLength(path) ?? maxLocalContext;
}

/** `<general.architecture>.context_length` from a GGUF file's header, or undefined. */
export function ggufContextLength(path: string): number | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const header = Buffer.alloc(headerLimit);
    const length = readSync(fd, header, 0, headerLimit, 0);
    return contextLengthIn(header.subarray(0, length));
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Reads the metadata key/values in order until the architecture's context length; undefined if cut short. */
export function contextLengthIn(bytes: Buffer): number | undefined {
  if (bytes.length < 24 || bytes.toString('latin1', 0, 4) !== 'GGUF' || bytes.readUInt32LE(4) < 2) return undefined;
  const count = Number(bytes.readBigUInt64LE(16));
  let at = 24;
  let architecture: string | undefined;
  const numbers = new Map<string, number>();
  const string = (): string | undefined => {
    if (at + 8 > bytes.length) return undefined;
    const size = Number(bytes.readBigUInt64LE(at));
    if (at + 8 + size > bytes.length) return undefined;
    const text = bytes.toString('utf8', at + 8, at + 8 + size);
    at += 8 + size;
    return text;
  };
  for (let index = 0; index < count; index++) {
    const key = string();
    if (key === undefined || at + 4 > bytes.length) return undefined;
    const type = bytes.readUInt32LE(at);
    at += 4;
    const value = readValue(bytes, at, type, string);
    if (!value) return undefined;
    at = value.end;
    if (key === 'general.architecture' && typeof value.value === 'string') architecture = value.value;
    if (key.endsWith('.context_length') && typeof value.value === 'number') numbers.set(key, value.value);
    const found = architecture && numbers.get(`${architecture}.context_length`);
    if (found) return found;
  }
  return undefined;
}

const fixedSizes: Record<number, number> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };

function readValue(bytes: Buffer, start: number, type: number, string: () => string | undefined): { value?: string | number; end: number } | undefined {
  if (type === 8) {
    const text = string();
    return text === undefined ? undefined : { value: text, end: currentOffset(bytes, start, text) };
  }
  if (type === 9) {
    if (start + 12 > bytes.length) return undefined;
    const itemType = bytes.readUInt32LE(start);
    const items = Number(bytes.readBigUInt64LE(start + 4));
    let end = start + 12;
    if (itemType === 8) {
      for (let item = 0; item < items; item++) {
        if (end + 8 > bytes.length) return undefined;
        end += 8 + Number(bytes.readBigUInt64LE(end));
      }
    } else {
      const size = fixedSizes[itemType];
      if (size === undefined) return undefined;
      end += size * items;
    }
    return end <= bytes.length ? { end } : undefined;
  }
  const size = fixedSizes[type];
  if (size === undefined || start + size > bytes.length) return undefined;
  if (type === 4) return { value: bytes.readUInt32LE(start), end: start + size };
  if (type === 5) return { value: bytes.readInt32LE(start), end: start + size };
  if (type === 10) return { value: Number(bytes.readBigUInt64LE(start)), end: start + size };
  return { end: start + size };
}

/** A string value was read by `string()`, which advanced past it: its end, in UTF-8 bytes. */
function currentOffset(_bytes: Buffer, start: number, text: string): number {
  return start + 8 + Buffer.byteLength(text, 'utf8');
}
