// The context length the context-window rules use for a local model, read from its GGUF header without the
// binding: from the real header layout the tiny test model writes, past values whose bytes are not valid
// UTF-8, and never more than the header holds; re-read when the file changes.

import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { contextLengthIn, ggufContextLength, TrainedContexts } from '../../../../core/model/local/ggufInfo';
import { maxLocalContext } from '../../../../core/model/local/localModel';
import { tinyModelBytes, writeTinyModel } from '../../../support/tinyGguf';

const folders: string[] = [];
function tempDir(): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'prompt-chain-gguf-'));
  folders.push(folder);
  return folder;
}
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe('contextLengthIn', () => {
  test("reads <architecture>.context_length from the header's key/values", () => {
    assert.equal(contextLengthIn(tinyModelBytes({ contextLength: 2048 })), 2048);
    assert.equal(contextLengthIn(tinyModelBytes()), 512);
  });

  test('a string value that is not valid UTF-8 is skipped by its byte length, not by its decoded text', () => {
    const bytes = tinyModelBytes({ contextLength: 4096 });
    const name = Buffer.from('prompt-chain tiny test model');
    const at = bytes.indexOf(name);
    assert.ok(at > 0);
    // general.name comes before llama.context_length; 0xff decodes to U+FFFD, three bytes in UTF-8.
    bytes.fill(0xff, at, at + name.length);
    assert.equal(contextLengthIn(bytes), 4096);
  });

  test('a header cut short, a wrong magic or an empty buffer: unknown, never a read past the end', () => {
    const bytes = tinyModelBytes({ contextLength: 1024 });
    const key = bytes.indexOf(Buffer.from('llama.context_length'));
    for (const length of [0, 3, 23, 24, 40, key, key + 10]) assert.equal(contextLengthIn(bytes.subarray(0, length)), undefined, `cut at ${length}`);
    const wrongMagic = Buffer.from(bytes);
    wrongMagic.write('GGUX', 0, 'latin1');
    assert.equal(contextLengthIn(wrongMagic), undefined);
  });

  test('a string length far beyond the buffer is unknown', () => {
    const bytes = tinyModelBytes();
    // The first key's uint64 length, at offset 24.
    bytes.writeBigUInt64LE(2n ** 62n, 24);
    assert.equal(contextLengthIn(bytes), undefined);
  });
});

describe('ggufContextLength and TrainedContexts', () => {
  test('a file that is not a GGUF, or is missing, is unknown; the rules then assume the most a local model is given', () => {
    const folder = tempDir();
    const junk = path.join(folder, 'junk.gguf');
    writeFileSync(junk, 'not a model');
    assert.equal(ggufContextLength(junk), undefined);
    assert.equal(ggufContextLength(path.join(folder, 'missing.gguf')), undefined);
    const contexts = new TrainedContexts({});
    assert.equal(contexts.of({ kind: 'path', path: junk }), maxLocalContext);
    assert.equal(contexts.of({ kind: 'path', path: path.join(folder, 'missing.gguf') }), maxLocalContext);
  });

  test('the header is read again when the file changes, not on every validation', () => {
    const folder = tempDir();
    const file = path.join(folder, 'tiny.gguf');
    writeTinyModel(file, { contextLength: 1024 });
    const contexts = new TrainedContexts({});
    assert.equal(contexts.of({ kind: 'path', path: file }), 1024);
    writeTinyModel(file, { contextLength: 2048 });
    const later = new Date(Date.now() + 5_000);
    utimesSync(file, later, later);
    assert.equal(contexts.of({ kind: 'path', path: file }), 2048);
  });
});
