// The one fact the language service needs from a local model file before any turn: the context length
// it was trained for (`<architecture>.context_length` in its GGUF metadata), read from the file's header
// here, without the binding. The header's keys come before the tensors; only the first megabytes are read,
// a value at a time, so a huge or hostile file costs a bounded read. Anything unreadable answers undefined.

import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { cachedModelPath, localModelsDir, type CacheEnv } from './cache';
import { maxLocalContext } from './localModel';
import { defaultLocalModel, modelFilePath, type LocalModelRef } from './modelRef';

const headerLimit = 8 * 1024 * 1024;
/** The default model's trained context (Qwen2.5-0.5B-Instruct), known before it is downloaded. */
const defaultModelContext = 32_768;

/**
 * The context each model was trained for, read once per version of its file (its size and modification
 * time, checked with a stat): the context-window rules ask on every validation. Unknown (not downloaded,
 * unreadable): the most a local model is given.
 */
export class TrainedContexts {
  private readonly read = new Map<string, { size: number; mtimeMs: number; context: number }>();

  constructor(private readonly env: CacheEnv = process.env) {}

  /** `baseDir`: the folder a relative path is from (the prompt's); the working folder when there is none. */
  of(ref: LocalModelRef, baseDir?: string): number {
    if (ref === defaultLocalModel) return defaultModelContext;
    const path = ref.kind === 'path' ? modelFilePath(ref, baseDir) : cachedModelPath(ref, localModelsDir(this.env));
    let stats;
    try {
      stats = statSync(path);
    } catch {
      return maxLocalContext;
    }
    const known = this.read.get(path);
    if (known && known.size === stats.size && known.mtimeMs === stats.mtimeMs) return known.context;
    const context = ggufContextLength(path) ?? maxLocalContext;
    this.read.set(path, { size: stats.size, mtimeMs: stats.mtimeMs, context });
    return context;
  }
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
  for (let index = 0; index < count; index++) {
    const key = stringAt(bytes, at);
    if (!key || key.end + 4 > bytes.length) return undefined;
    const value = valueAt(bytes, key.end + 4, bytes.readUInt32LE(key.end));
    if (!value) return undefined;
    at = value.end;
    if (key.value === 'general.architecture' && typeof value.value === 'string') architecture = value.value;
    if (key.value.endsWith('.context_length') && typeof value.value === 'number') numbers.set(key.value, value.value);
    const found = architecture && numbers.get(`${architecture}.context_length`);
    if (found) return found;
  }
  return undefined;
}

interface Read<T> {
  value: T;
  /** Where the next item starts. */
  end: number;
}

const fixedSizes: Record<number, number> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };

/** A GGUF string (a uint64 byte length, then UTF-8) at `start`, if the buffer holds it whole. */
function stringAt(bytes: Buffer, start: number): Read<string> | undefined {
  if (start + 8 > bytes.length) return undefined;
  const end = start + 8 + Number(bytes.readBigUInt64LE(start));
  return end <= bytes.length ? { value: bytes.toString('utf8', start + 8, end), end } : undefined;
}

/** A value of `type` at `start`: strings and the integers a context length may be kept in are read, others skipped. */
function valueAt(bytes: Buffer, start: number, type: number): Read<string | number | undefined> | undefined {
  if (type === 8) return stringAt(bytes, start);
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
    return end <= bytes.length ? { value: undefined, end } : undefined;
  }
  const size = fixedSizes[type];
  if (size === undefined || start + size > bytes.length) return undefined;
  const end = start + size;
  if (type === 4) return { value: bytes.readUInt32LE(start), end };
  if (type === 5) return { value: bytes.readInt32LE(start), end };
  if (type === 10) return { value: Number(bytes.readBigUInt64LE(start)), end };
  return { value: undefined, end };
}
