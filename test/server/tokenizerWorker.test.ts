// The language server's tokenizer worker (dist/tokenizerWorker.js, through the shared channel): a batch of
// texts is counted in as few round trips as the channel carries, and every count is the tokenizer's own —
// past the channel's text and byte limits, for the empty text, for special tokens as plain text.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { countTokens as o200kCount } from 'gpt-tokenizer/encoding/o200k_base';
import { workerEncoders } from '../../server/src/tokenizer/workerEncoders';
import { CAPACITY, MAX_TEXTS } from '../../server/src/tokenizer/channel';
import type { Encoder } from '../../core/tokens/tokenCounter';
import { ensureServerBuilt } from './lspClient';

const plain = { disallowedSpecial: new Set<string>() };

async function workerEncoder(): Promise<Encoder> {
  ensureServerBuilt();
  const source = workerEncoders({ bundleDir: path.resolve('dist') });
  for (;;) {
    const encoder = source.encoder('o200k_base');
    if (encoder === undefined) assert.fail('the o200k_base tables are not installed');
    if (!(encoder instanceof Promise)) return encoder;
    await encoder;
  }
}

test('a batch longer than one request carries is counted whole, each text exactly as the tokenizer counts it', async () => {
  const encoder = await workerEncoder();
  assert.ok(encoder.countEach, 'the worker encoder counts batches');
  const texts = Array.from({ length: MAX_TEXTS * 2 + 7 }, (_, index) => (index % 97 === 0 ? '' : `line ${index}: ${'héllo wörld, '.repeat(index % 13)}<|endoftext|>\n`));
  assert.deepEqual(encoder.countEach(texts), texts.map((text) => o200kCount(text, plain)));
});

test('texts past the channel capacity, alone or among short ones, are counted in the asking thread', async () => {
  const encoder = await workerEncoder();
  const huge = 'word '.repeat(Math.ceil(CAPACITY / 5) + 1);
  const almostFull = 'x y '.repeat(CAPACITY / 4 - 1);
  const texts = ['before', huge, 'between', almostFull, 'after the full one'];
  assert.deepEqual(encoder.countEach?.(texts), texts.map((text) => o200kCount(text, plain)));
  assert.equal(encoder.countTokens('one <|endoftext|> text', plain), o200kCount('one <|endoftext|> text', plain));
});
