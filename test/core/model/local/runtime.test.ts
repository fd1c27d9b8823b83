// Where the local model's binding is found (core/model/local/runtime.ts): beside Prompt Chain, else in the
// user's runtime folder, where `prompt-chain models install-runtime` and VS Code's command put it. A host
// that carries no node-llama-cpp of its own (a .vsix, a global install) runs a real turn from that folder.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { LocalModelPool } from '../../../../core/model/local/localModel';
import { findRuntime, runtimeInstallArgs, runtimePackage, runtimeVersion } from '../../../../core/model/local/runtime';
import { tinyGreedyReply, writeTinyModel } from '../../../support/tinyGguf';

/** The node-llama-cpp this repository installs (npm run install:local-runtime): its package folder. */
const installed = dirname(dirname(createRequire(__filename).resolve(runtimePackage)));

describe('the local model runtime: beside Prompt Chain, else in the runtime folder', { timeout: 120_000 }, () => {
  let dir: string;
  /** A host installed where no node_modules holds the binding. */
  let isolatedHost: string;
  let runtimeDir: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'prompt-chain-runtime-'));
    isolatedHost = join(dir, 'host', 'dist', 'cli.js');
    mkdirSync(dirname(isolatedHost), { recursive: true });
    runtimeDir = join(dir, 'runtime');
    // The runtime folder as npm leaves it: node_modules/node-llama-cpp (here, the repository's own copy).
    mkdirSync(join(runtimeDir, 'node_modules'), { recursive: true });
    symlinkSync(installed, join(runtimeDir, 'node_modules', runtimePackage), 'dir');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('beside the host first; the runtime folder when the host has none; nothing when neither has it', () => {
    assert.equal(findRuntime({ runtimeDir: join(dir, 'none'), from: __filename }), createRequire(__filename).resolve(runtimePackage));
    assert.ok(findRuntime({ runtimeDir, from: isolatedHost })?.endsWith(join('dist', 'index.js')));
    assert.equal(findRuntime({ runtimeDir: join(dir, 'none'), from: isolatedHost }), undefined);
  });

  test('a host without the binding runs a real turn on the one in the runtime folder', async () => {
    const model = join(dir, 'tiny.gguf');
    writeTinyModel(model);
    const pool = new LocalModelPool({ runtimeDir, from: isolatedHost, modelFile: async () => model, threads: 1 });
    try {
      const reply = await pool.model({ ref: { kind: 'path', path: model } }).invoke({ api: 'chat', model: `local:${model}`, messages: [{ type: 'human', content: 'hi' }], parameters: { temperature: 0 } });
      assert.equal(reply.text, tinyGreedyReply);
    } finally {
      await pool.dispose();
    }
  });

  test('the install command pins the version it is tested with, into the runtime folder', () => {
    assert.deepEqual(runtimeInstallArgs(runtimeDir), ['install', '--prefix', runtimeDir, '--no-audit', '--no-fund', '--save-exact', `${runtimePackage}@${runtimeVersion}`]);
    assert.equal((JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { version: string }).version, runtimeVersion);
  });
});
