// Exact token counts with gpt-tokenizer, cheap enough to run on every keystroke. The encodings load lazily
// (hundreds of ms, once) and only when a prompt could come near its model's window; their tables (3.5 MB)
// are resolved at run time rather than bundled, so the language server starts without parsing them. Text is counted in
// chunks that end where no BPE piece can cross — after a line break followed by a non-space, a boundary
// of both encodings' pre-tokenizer — so the sum equals the count of the whole, and each chunk's count is
// remembered: an edit re-counts only the chunk it touched.

import { join } from 'node:path';
import type { EncodingName } from './contextWindows';

interface Encoder {
  countTokens(text: string, options: { disallowedSpecial: Set<string> }): number;
}

/** Prompt text may contain `<|endoftext|>` and friends; they are counted as the text they are. */
const asPlainText = { disallowedSpecial: new Set<string>() };
/** Chunks grow to at least this many characters before a content-defined cut is taken. */
const minChunk = 256;
/** Past this, the next safe boundary is taken regardless of content. */
const maxChunk = 8192;

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

/** The exact count, or undefined when the encoding's tables cannot be loaded in this installation. */
export function countTokens(text: string, encoding: EncodingName): number | undefined {
  const encode = encoder(encoding);
  if (!encode) return undefined;
  let total = 0;
  forEachChunk(text, (chunk) => {
    total += countChunk(chunk, encoding, encode);
  });
  return total;
}

/** An upper bound no tokenizer exceeds: every token is at least one UTF-8 byte (3 per UTF-16 unit at most). */
export function tokenUpperBound(text: string): number {
  return text.length * 3;
}

function countChunk(chunk: string, encoding: EncodingName, encode: Encoder): number {
  const memo = memos[encoding];
  let count = memo.get(chunk);
  if (count === undefined) {
    count = encode.countTokens(chunk, asPlainText);
    memo.set(chunk, count);
  }
  return count;
}

function encoder(encoding: EncodingName): Encoder | undefined {
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
function loadEncoder(encoding: EncodingName): Encoder | null {
  const candidates = [join(__dirname, 'tokenizer', `${encoding}.js`), `gpt-tokenizer/encoding/${encoding}`];
  for (const candidate of candidates) {
    try {
      return require(candidate) as Encoder;
    } catch {
      // not in this installation: try the next place
    }
  }
  return null;
}

/**
 * Calls `visit` with consecutive chunks covering `text`. A cut is taken at a safe boundary once the chunk
 * has `minChunk` characters and the line just ended hashes to a cut (content-defined, so an insertion does
 * not move the later boundaries), or once it passes `maxChunk`.
 */
export function forEachChunk(text: string, visit: (chunk: string) => void): void {
  let chunkStart = 0;
  let lineStart = 0;
  let lineBreak = text.indexOf('\n');
  while (lineBreak >= 0 && lineBreak + 1 < text.length) {
    const next = lineBreak + 1;
    const length = next - chunkStart;
    if (length >= minChunk && !isSpace(text.charCodeAt(next)) && (length >= maxChunk || cutsAfter(text, lineStart, next))) {
      visit(text.slice(chunkStart, next));
      chunkStart = next;
    }
    lineStart = next;
    lineBreak = text.indexOf('\n', next);
  }
  if (chunkStart < text.length) visit(text.slice(chunkStart));
}

/** About one line in eight ends a chunk, chosen by the line's first and last few characters. */
function cutsAfter(text: string, lineStart: number, lineEnd: number): boolean {
  let hash = 0;
  const headEnd = Math.min(lineEnd, lineStart + 8);
  for (let i = lineStart; i < headEnd; i++) hash = (hash * 31 + text.charCodeAt(i)) | 0;
  for (let i = Math.max(headEnd, lineEnd - 8); i < lineEnd; i++) hash = (hash * 31 + text.charCodeAt(i)) | 0;
  return ((hash >>> 3) & 7) === 0;
}

function isSpace(code: number): boolean {
  if (code === 32 || (code >= 9 && code <= 13) || code === 0xa0) return true;
  return code > 127 && /\s/.test(String.fromCharCode(code));
}
