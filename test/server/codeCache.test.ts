// The compiled server kept in $XDG_CACHE_HOME/prompt-chain (server/src/codeCache.ts): written once, then used as
// is; a damaged, foreign or unwritable cache costs only the compile, never the server; PROMPT_CHAIN_CODE_CACHE=off
// keeps nothing.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureServerBuilt, fileUri, hangGuardMs, LspClient } from './lspClient';

const cacheHomes: string[] = [];

function newCacheHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'prompt-chain-code-cache-'));
  cacheHomes.push(home);
  return home;
}

/** Starts the server, checks it validates a document, and shuts it down as an editor does. */
async function startAndStop(cacheHome: string, env: Record<string, string> = {}): Promise<LspClient> {
  const client = await LspClient.start({ env: { XDG_CACHE_HOME: cacheHome, ...env } });
  const uri = fileUri(join(cacheHome, 'a.prompt'));
  await client.open(uri, '---\nmemory:\n  key: history\n---\n{question}\n');
  const diagnostics = await client.pushedDiagnostics(uri, 1);
  assert.ok(diagnostics.some((d) => d.code === 'memory-key-unused'), 'the memory-key rule ran');
  await client.stop();
  assert.equal(client.process.exitCode, 0, 'exited cleanly');
  assert.equal(client.stderrText, '', 'nothing on stderr');
  return client;
}

function cacheFiles(cacheHome: string): string[] {
  return readdirSync(join(cacheHome, 'prompt-chain')).map((name) => join(cacheHome, 'prompt-chain', name));
}

/** The one cache file, after a first run wrote it. */
async function writtenCache(cacheHome: string): Promise<string> {
  await startAndStop(cacheHome);
  const files = cacheFiles(cacheHome);
  assert.equal(files.length, 1, files.join(', '));
  return files[0]!;
}

describe('the compiled server cache', () => {
  before(() => ensureServerBuilt());
  after(() => cacheHomes.forEach((home) => rmSync(home, { recursive: true, force: true })));

  test('the first start writes it, readable by this user only, and the next starts use it as it is', { timeout: hangGuardMs }, async () => {
    const cacheHome = newCacheHome();
    const file = await writtenCache(cacheHome);
    assert.match(file, /server-[0-9a-f]{16}-node[\d.]+-v8.+\.cache$/);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(statSync(join(cacheHome, 'prompt-chain')).mode & 0o777, 0o700);
    // A cache V8 rejected would be written again at exit, as a new file renamed over the old one.
    const written = statSync(file);
    await startAndStop(cacheHome);
    await startAndStop(cacheHome);
    assert.deepEqual(cacheFiles(cacheHome), [file]);
    assert.equal(statSync(file).ino, written.ino, 'not rewritten');
    assert.equal(statSync(file).mtimeMs, written.mtimeMs, 'not rewritten');
  });

  for (const [damage, damaged] of [
    ['cut short', (bytes: Buffer) => bytes.subarray(0, bytes.length >> 1)],
    ['overwritten with other bytes', (bytes: Buffer) => Buffer.alloc(bytes.length, 0x5a)],
  ] as const) {
    test(`a cache ${damage} is ignored and replaced by a good one`, { timeout: hangGuardMs }, async () => {
      const cacheHome = newCacheHome();
      const file = await writtenCache(cacheHome);
      writeFileSync(file, damaged(readFileSync(file)));
      const before = statSync(file);
      await startAndStop(cacheHome);
      const replaced = statSync(file);
      assert.notEqual(replaced.ino, before.ino, 'written again');
      assert.ok(replaced.size > before.size || damage === 'overwritten with other bytes');
      await startAndStop(cacheHome);
      assert.equal(statSync(file).ino, replaced.ino, 'the new one is used as it is');
    });
  }

  test('an unwritable cache folder costs nothing but the cache', { timeout: hangGuardMs }, async () => {
    const cacheHome = newCacheHome();
    // A file where the folder should be: mkdir fails, for root too.
    writeFileSync(join(cacheHome, 'prompt-chain'), '');
    await startAndStop(cacheHome);
    await startAndStop(cacheHome);
    assert.equal(statSync(join(cacheHome, 'prompt-chain')).size, 0);
  });

  test('PROMPT_CHAIN_CODE_CACHE=off keeps nothing', { timeout: hangGuardMs }, async () => {
    const cacheHome = newCacheHome();
    await startAndStop(cacheHome, { PROMPT_CHAIN_CODE_CACHE: 'off' });
    assert.deepEqual(readdirSync(cacheHome), []);
  });

  test('the cache of an older build of the server is removed when the new one is written', { timeout: hangGuardMs }, async () => {
    const cacheHome = newCacheHome();
    const file = await writtenCache(cacheHome);
    const older = file.replace(/server-[0-9a-f]{16}-/, 'server-0123456789abcdef-');
    const otherRuntime = file.replace(/-node[\d.]+-/, '-node0.0.0-');
    writeFileSync(older, 'older');
    writeFileSync(otherRuntime, 'another node');
    rmSync(file);
    await startAndStop(cacheHome);
    assert.deepEqual(cacheFiles(cacheHome).sort(), [file, otherRuntime].sort(), 'the other runtime may still use its own');
  });
});
