// The cache's locations per platform, the path of a hub model in it (never outside it), and listing and
// removing what it holds.

import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { cachedModelPath, listCachedModels, localModelsDir, promptChainCacheRoot, removeCachedModel } from '../../../../core/model/local/cache';
import { acquireLock } from '../../../../core/memory/lock';
import { ModelError } from '../../../../core/model/errors';
import type { HubModel } from '../../../../core/model/local/modelRef';

const folders: string[] = [];
function tempDir(): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'prompt-chain-cache-'));
  folders.push(folder);
  return folder;
}
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

const tiny: HubModel = { kind: 'hub', repo: 'tiny/Tiny-GGUF', file: 'tiny-q4.gguf', revision: 'main' };

describe('promptChainCacheRoot and localModelsDir', () => {
  test('Linux: $XDG_CACHE_HOME/prompt-chain when absolute, else ~/.cache/prompt-chain', () => {
    assert.equal(promptChainCacheRoot({ XDG_CACHE_HOME: '/xdg/cache' }, 'linux', '/home/u'), '/xdg/cache/prompt-chain');
    assert.equal(promptChainCacheRoot({ XDG_CACHE_HOME: 'relative/cache' }, 'linux', '/home/u'), '/home/u/.cache/prompt-chain');
    assert.equal(promptChainCacheRoot({}, 'freebsd', '/home/u'), '/home/u/.cache/prompt-chain');
  });

  test('macOS: ~/Library/Caches/prompt-chain (XDG is not macOS\'s)', () => {
    assert.equal(promptChainCacheRoot({ XDG_CACHE_HOME: '/xdg' }, 'darwin', '/Users/u'), '/Users/u/Library/Caches/prompt-chain');
  });

  test('Windows: %LOCALAPPDATA%\\prompt-chain, else ~\\AppData\\Local\\prompt-chain', () => {
    assert.equal(promptChainCacheRoot({ LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, 'win32', 'C:\\Users\\u'), 'C:\\Users\\u\\AppData\\Local\\prompt-chain');
    assert.equal(promptChainCacheRoot({}, 'win32', 'C:\\Users\\u'), 'C:\\Users\\u\\AppData\\Local\\prompt-chain');
  });

  test('the models folder: PROMPT_CHAIN_MODELS_DIR when set, else <root>/models', () => {
    assert.equal(localModelsDir({ PROMPT_CHAIN_MODELS_DIR: '/srv/models', XDG_CACHE_HOME: '/xdg' }, 'linux', '/home/u'), '/srv/models');
    assert.equal(localModelsDir({ PROMPT_CHAIN_MODELS_DIR: ' ', XDG_CACHE_HOME: '/xdg' }, 'linux', '/home/u'), '/xdg/prompt-chain/models');
    assert.equal(localModelsDir({}, 'win32', 'C:\\Users\\u'), 'C:\\Users\\u\\AppData\\Local\\prompt-chain\\models');
  });
});

describe('cachedModelPath', () => {
  test('<modelsDir>/<owner>/<repo>/<file>, folders in the file kept', () => {
    assert.equal(cachedModelPath(tiny, '/m'), path.join('/m', 'tiny', 'Tiny-GGUF', 'tiny-q4.gguf'));
    assert.equal(cachedModelPath({ ...tiny, file: 'q4/part.gguf' }, '/m'), path.join('/m', 'tiny', 'Tiny-GGUF', 'q4', 'part.gguf'));
  });

  test('a ref that would leave the folder is refused', () => {
    for (const ref of [{ ...tiny, file: '../../../etc/x.gguf' }, { ...tiny, repo: '../x' }, { ...tiny, repo: 'a/b/c' }, { ...tiny, file: 'a\\..\\..\\x.gguf' }, { ...tiny, file: '/abs.gguf' }]) {
      assert.throws(() => cachedModelPath(ref, '/m'), (error: unknown) => error instanceof ModelError && error.kind === 'local-model', JSON.stringify(ref));
    }
  });
});

describe('listCachedModels and removeCachedModel', () => {
  test('lists complete and partial models by name; ignores locks and files not laid out as owner/repo/file.gguf', async () => {
    const dir = tempDir();
    const put = (relative: string, size: number) => {
      const file = path.join(dir, relative);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, Buffer.alloc(size));
      return file;
    };
    const complete = put('tiny/Tiny-GGUF/tiny-q4.gguf', 10);
    put('tiny/Tiny-GGUF/tiny-q4.gguf.lock', 1);
    const partial = put('Qwen/Q-GGUF/q4/big.gguf.partial', 7);
    put('stray.gguf', 3);
    put('tiny/Tiny-GGUF/README.md', 3);
    assert.deepEqual(await listCachedModels(dir), [
      { name: 'local:Qwen/Q-GGUF/q4/big.gguf', path: partial.slice(0, -'.partial'.length), size: 7, partial: true },
      { name: 'local:tiny/Tiny-GGUF/tiny-q4.gguf', path: complete, size: 10, partial: false },
    ]);
    assert.deepEqual(await listCachedModels(path.join(dir, 'absent')), []);
  });

  test('remove deletes the file and its partial, and the folders left empty; false when nothing was there', async () => {
    const dir = tempDir();
    const file = cachedModelPath(tiny, dir);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, 'GGUF');
    writeFileSync(`${file}.partial`, 'GG');
    assert.equal(await removeCachedModel(tiny, dir), true);
    assert.equal(existsSync(path.join(dir, 'tiny')), false);
    assert.equal(existsSync(dir), true);
    assert.equal(await removeCachedModel(tiny, dir), false);
  });

  test('a model being downloaded (its lock held by a live process) is not removed', async () => {
    const dir = tempDir();
    const file = cachedModelPath(tiny, dir);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(`${file}.partial`, 'GG');
    const release = await acquireLock(`${file}.lock`);
    try {
      await assert.rejects(removeCachedModel(tiny, dir), /being downloaded by another process/);
      assert.equal(existsSync(`${file}.partial`), true);
    } finally {
      await release();
    }
  });
});
