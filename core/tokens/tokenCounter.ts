// Exact token counts with gpt-tokenizer, cheap enough to run on every keystroke and bounded in time on any
// input. The encodings load lazily (hundreds of ms, once) and only when a prompt could come near its
// model's window; their tables (3.5 MB) are resolved at run time rather than bundled, so the language
// server starts without parsing them.
//
// gpt-tokenizer's BPE merge is quadratic in the length of one pre-token (80,000 `x` take seconds), so text
// is counted in chunks cut where both encodings' pre-tokenizers are certain to end a piece (./safeCuts.ts):
// the sum of the chunks' counts is then exactly the count of the whole, and each chunk's count is
// remembered, so an edit re-counts only the chunks it touched. A run longer than `maxRun` characters with
// no such place in it (one huge word, a wall of `{`, a megabyte of spaces) is the only text counted
// approximately: it is cut every `maxRun` characters and each cut adds one token, for the merge across it
// that the cut may have prevented. Measured on such runs in both encodings, the result is at or a little
// above the exact count, never below it (test/core/tokens/tokenCounter.test.ts); it is reported as not
// exact so the diagnostic can say "about".

import { join } from 'node:path';
import type { EncodingName } from './contextWindows';
import { runSteps, type Steps } from '../steps';
import { isSafeCut } from './safeCuts';

export interface Encoder {
  countTokens(text: string, options: { disallowedSpecial: Set<string> }): number;
  /** Many texts' counts (special tokens as plain text) at once, when that is cheaper than one by one: a worker's one round trip. */
  countEach?(texts: readonly string[]): number[];
}

/**
 * Where the encoders come from. By default they load in this thread, the first time they are asked for;
 * the language server loads them in workers instead (server/src/tokenizer/workerEncoders.ts), so loading their
 * tables never holds up a request.
 */
export interface EncoderSource {
  /** The encoder; a promise while it loads elsewhere (settled when it is ready or has failed); undefined when this installation cannot have it. */
  encoder(encoding: EncodingName): Encoder | Promise<unknown> | undefined;
  /** The same, waiting for it to load: for a count that cannot be made in steps (a turn's memory pruning). */
  encoderNow(encoding: EncodingName): Encoder | undefined;
}

export interface TokenCount {
  readonly tokens: number;
  /** False when a run with no safe cut longer than `maxRun` was counted in pieces (an estimate, see above). */
  readonly exact: boolean;
}

/** Prompt text may contain `<|endoftext|>` and friends; they are counted as the text they are. */
export const asPlainText = { disallowedSpecial: new Set<string>() };
/** Chunks grow to at least this many characters before a content-defined cut is taken. */
const minChunk = 256;
/** Past this, the next safe cut is taken regardless of content. */
const maxChunk = 8192;
/**
 * The longest text handed to BPE as one piece, in UTF-8 bytes (BPE merges bytes: 1,024 CJK characters are
 * 3 KB and cost it nine times what 1,024 ASCII ones do). Ordinary text has a safe cut every word or so; BPE
 * on 1,000 bytes costs about as much per byte as on 100, on 8,000 several times more.
 */
export const maxRun = 1024;
/**
 * A run of spaces (U+0020) is cut every this many. BPE is quadratic in a piece's length and each line of
 * deep indentation is a different piece (no memo hit): 13,000 spaces on a line cost 600 ms cut at maxRun.
 * Both encodings count n spaces as n / 128 tokens of 128 spaces plus the count of the rest, so these cuts
 * keep the count exact (tested against the tokenizer).
 */
export const maxSpaceRun = 128;
const SPACE = 32;

/** Counts per chunk text, bounded by the characters it holds; the oldest quarter goes when full. */
class ChunkMemo {
  private readonly counts = new Map<string, number>();
  private chars = 0;

  constructor(private readonly charLimit: number) {}

  get(chunk: string): number | undefined {
    return this.counts.get(chunk);
  }

  set(chunk: string, count: number): void {
    if (this.chars + chunk.length > this.charLimit) this.evictOldest();
    this.counts.set(chunk, count);
    this.chars += chunk.length;
  }

  private evictOldest(): void {
    let toDrop = this.charLimit / 4;
    for (const key of this.counts.keys()) {
      if (toDrop <= 0) break;
      this.counts.delete(key);
      this.chars -= key.length;
      toDrop -= key.length;
    }
  }
}

const encoders = new Map<EncodingName, Encoder | null>();
const memos: Record<EncodingName, ChunkMemo> = { o200k_base: new ChunkMemo(1_000_000), cl100k_base: new ChunkMemo(1_000_000) };

let source: EncoderSource = { encoder: encoderInThisThread, encoderNow: encoderInThisThread };

/** Makes `next` the source of every later count (the language server's worker). */
export function useEncoderSource(next: EncoderSource): void {
  source = next;
}

/** The count of `text`, or undefined when the encoding's tables cannot be loaded in this installation. */
export function countTokens(text: string, encoding: EncodingName): number | undefined {
  return countNow(text, encoding)?.tokens;
}

/** The count of `text` at once, waiting for the encoder if it is still loading elsewhere. */
export function countNow(text: string, encoding: EncodingName): TokenCount | undefined {
  const encode = source.encoderNow(encoding);
  return encode ? runSteps(countWith(text, encoding, encode)) : undefined;
}

/** `countTokens` in steps: yields after each batch of chunks that had to be tokenized (not remembered), with their length. */
export function* countSteps(text: string, encoding: EncodingName): Steps<TokenCount | undefined> {
  let encode = source.encoder(encoding);
  while (encode instanceof Promise) {
    yield encode;
    encode = source.encoder(encoding);
  }
  return encode ? yield* countWith(text, encoding, encode) : undefined;
}

/** Characters of chunks not yet counted that are sent to the encoder together, between two steps. */
const batchChars = 8192;

function* countWith(text: string, encoding: EncodingName, encode: Encoder): Steps<TokenCount> {
  const memo = memos[encoding];
  let tokens = 0;
  let forcedCuts = 0;
  let batch: string[] = [];
  let batched = 0;
  const countBatch = (): number => {
    const counts = encode.countEach ? encode.countEach(batch) : batch.map((chunk) => encode.countTokens(chunk, asPlainText));
    let sum = 0;
    for (let index = 0; index < batch.length; index++) {
      memo.set(batch[index]!, counts[index]!);
      sum += counts[index]!;
    }
    return sum;
  };
  for (const chunk of chunks(text)) {
    if (chunk.afterForcedCut) forcedCuts++;
    const known = memo.get(chunk.text);
    if (known !== undefined) {
      tokens += known;
      continue;
    }
    batch.push(chunk.text);
    batched += chunk.text.length;
    if (batched < batchChars) continue;
    tokens += countBatch();
    yield batched;
    batch = [];
    batched = 0;
  }
  if (batch.length > 0) {
    tokens += countBatch();
    yield batched;
  }
  return { tokens: tokens + forcedCuts, exact: forcedCuts === 0 };
}

/** An upper bound no tokenizer exceeds: every token is at least one UTF-8 byte (3 per UTF-16 unit at most). */
export function tokenUpperBound(text: string): number {
  return text.length * 3;
}

/** The encoder loaded in this thread, once per process (the default source, and a worker source's fallback). */
export function encoderInThisThread(encoding: EncodingName): Encoder | undefined {
  let loaded = encoders.get(encoding);
  if (loaded === undefined) {
    loaded = loadEncoder(encoding);
    encoders.set(encoding, loaded);
  }
  return loaded ?? undefined;
}

/**
 * The encoding module: `tokenizer/<name>.js` next to the bundle when the build ships one, else the
 * gpt-tokenizer package. Computed paths keep the bundler from inlining the tables.
 */
export function loadEncoder(encoding: EncodingName, bundleDir: string = __dirname): Encoder | null {
  const candidates = [join(bundleDir, 'tokenizer', `${encoding}.js`), `gpt-tokenizer/encoding/${encoding}`];
  for (const candidate of candidates) {
    try {
      return require(candidate) as Encoder;
    } catch {
      // not in this installation: try the next place
    }
  }
  return null;
}

export interface Chunk {
  readonly text: string;
  /** Starts where an overlong run was cut at no safe place: its count is an estimate. */
  readonly afterForcedCut: boolean;
}

/**
 * Consecutive chunks covering `text`. A chunk ends at a safe cut once it has `minChunk` characters and the
 * text around the cut hashes to a cut (content-defined, so an insertion does not move later boundaries),
 * or once it passes `maxChunk`; a run of `maxRun` characters without a safe cut is cut where it stands.
 */
export function* chunks(text: string): Generator<Chunk, void, void> {
  let start = 0;
  let lastCut = 0;
  let forced = false;
  let spaces = text.charCodeAt(0) === SPACE ? 1 : 0;
  // UTF-8 bytes of text[lastCut, at): what BPE's cost grows with
  let runBytes = 0;
  for (let at = 1; at < text.length; at++) {
    spaces = text.charCodeAt(at) === SPACE ? spaces + 1 : 0;
    runBytes += utf8Length(text.charCodeAt(at - 1));
    if (isSafeCut(text, at)) {
      lastCut = at;
      runBytes = 0;
      const length = at - start;
      if (length >= minChunk && (length >= maxChunk || hashesToCut(text, at))) {
        yield { text: text.slice(start, at), afterForcedCut: forced };
        start = at;
        forced = false;
      }
    } else if (spaces > maxSpaceRun && at - lastCut >= maxSpaceRun) {
      // Exact after a piece of just 128 spaces; after one that starts before them, counted as forced.
      if (lastCut > start) yield { text: text.slice(start, lastCut), afterForcedCut: forced };
      yield { text: text.slice(lastCut, at), afterForcedCut: lastCut > start ? false : forced };
      forced = at - lastCut !== maxSpaceRun;
      start = lastCut = at;
      runBytes = 0;
    } else if (runBytes >= maxRun) {
      if (lastCut > start) {
        yield { text: text.slice(start, lastCut), afterForcedCut: forced };
        start = lastCut;
        forced = false;
      }
      const cut = isLowSurrogate(text.charCodeAt(at)) ? at - 1 : at;
      if (cut > start) {
        yield { text: text.slice(start, cut), afterForcedCut: forced };
        start = cut;
        forced = true;
      }
      lastCut = cut;
      runBytes = cut === at ? 0 : utf8Length(text.charCodeAt(cut));
    }
  }
  if (start < text.length) yield { text: text.slice(start), afterForcedCut: forced };
}

/** UTF-8 bytes of one UTF-16 unit (each half of a surrogate pair counts two of the pair's four). */
function utf8Length(code: number): number {
  return code < 0x80 ? 1 : code < 0x800 || (code >= 0xd800 && code <= 0xdfff) ? 2 : 3;
}

/** `chunks` as a callback, for tests and callers that want only the texts. */
export function forEachChunk(text: string, visit: (chunk: string) => void): void {
  for (const chunk of chunks(text)) visit(chunk.text);
}

/** About one safe cut in 32 ends a chunk, chosen by the eight characters before it and the one after. */
function hashesToCut(text: string, at: number): boolean {
  let hash = 0;
  for (let i = Math.max(0, at - 8); i <= at; i++) hash = (hash * 31 + text.charCodeAt(i)) | 0;
  return ((hash >>> 4) & 31) === 0;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
