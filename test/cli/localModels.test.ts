// `prompt-chain models pull|list|rm` end to end: the built CLI in a child process, its cache in a temp
// folder (PROMPT_CHAIN_MODELS_DIR) and its hub a stand-in on 127.0.0.1 (HF_ENDPOINT); the progress bar
// by main() in-process, since a child cannot portably be given a terminal.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { main } from '../../cli/src/main';
import type { ProcessIo } from '../../cli/src/output';
import { cachedModelPath } from '../../core/model/local/cache';
import { defaultLocalModel } from '../../core/model/local/modelRef';
import { generatedModel, resolvePath, sendFile, startModelHub, type ModelHub } from '../support/modelHub';
import { closedPort } from '../support/ports';
import { createWorkspace, useCliWorkspaces } from './support/cli';

useCliWorkspaces();

const name = 'local:tiny/Tiny-GGUF/tiny-q4.gguf';
const tiny = { kind: 'hub', repo: 'tiny/Tiny-GGUF', file: 'tiny-q4.gguf', revision: 'main' } as const;
const bytes = generatedModel(3_000_000);

describe('prompt-chain models pull|list|rm', () => {
  let hub: ModelHub;
  before(async () => {
    hub = await startModelHub();
    hub.handle = (request, response) => (request.url === resolvePath(tiny.repo, tiny.file) ? sendFile(request, response, bytes) : response.writeHead(404).end());
  });
  after(() => hub.close());

  function cache() {
    const ws = createWorkspace();
    const modelsDir = path.join(ws.root, '..', 'models');
    const env = { PROMPT_CHAIN_MODELS_DIR: modelsDir, HF_ENDPOINT: hub.url };
    return { ws, modelsDir, env, run: (args: string[], extra: Record<string, string> = {}) => ws.run(['models', ...args], { ...env, ...extra }) };
  }

  test('pull downloads into the cache, list shows it, rm removes it; a second rm exits 1', async () => {
    const { run, modelsDir } = cache();
    const target = cachedModelPath(tiny, modelsDir);
    const pulled = await run(['pull', 'tiny/Tiny-GGUF/tiny-q4.gguf']);
    assert.equal(pulled.code, 0, pulled.stderr);
    assert.equal(pulled.stderr, `downloading ${name} to ${target}\n`);
    assert.match(pulled.stdout, new RegExp(`^downloaded ${escape(name)} \\(3\\.0 MB in \\d+\\.\\d s\\): ${escape(target)}\\n$`));
    assert.ok(readFileSync(target).equals(bytes));

    assert.deepEqual(await run(['pull', name]), { code: 0, stdout: `${name} is already cached (3.0 MB): ${target}\n`, stderr: '' });
    assert.deepEqual(await run(['list']), { code: 0, stdout: `${name}     3.0 MB\n`, stderr: '' });
    const listed = await run(['list', '--json']);
    assert.deepEqual(JSON.parse(listed.stdout), { modelsDir, models: [{ name, path: target, size: bytes.length, partial: false, default: false }] });

    assert.deepEqual(await run(['rm', name]), { code: 0, stdout: `removed ${name} (3.0 MB freed)\n`, stderr: '' });
    assert.equal(existsSync(target), false);
    assert.deepEqual(await run(['rm', name]), { code: 1, stdout: '', stderr: `${name} is not in the model cache (${modelsDir}); "prompt-chain models list" shows what is\n` });
  });

  test('an empty cache says where it looks; the default model and a partial download are marked', async () => {
    const { run, modelsDir } = cache();
    const empty = await run(['list']);
    assert.equal(empty.code, 0);
    assert.equal(empty.stdout, '');
    assert.equal(empty.stderr, `no local models in ${modelsDir} (the cache; PROMPT_CHAIN_MODELS_DIR moves it): "prompt-chain models pull" downloads the default one\n`);

    const defaultPath = cachedModelPath(defaultLocalModel, modelsDir);
    mkdirSync(path.dirname(defaultPath), { recursive: true });
    writeFileSync(defaultPath, generatedModel(2_500_000));
    mkdirSync(path.dirname(cachedModelPath(tiny, modelsDir)), { recursive: true });
    writeFileSync(`${cachedModelPath(tiny, modelsDir)}.partial`, Buffer.alloc(1_000_000));
    assert.deepEqual(await run(['list']), {
      code: 0,
      stdout: `local:${defaultLocalModel.repo}/${defaultLocalModel.file}     2.5 MB  (default)\n${name.padEnd(`local:${defaultLocalModel.repo}/${defaultLocalModel.file}`.length)}     1.0 MB  (partial)\n`,
      stderr: '',
    });
  });

  test('a cut download fails with one line and exit 1; the next pull resumes it', async () => {
    const { run, modelsDir } = cache();
    hub.handle = (request, response) => sendFile(request, response, bytes, { cutAfter: 1_000_000 });
    const cut = await run(['pull', name]);
    assert.equal(cut.code, 1);
    assert.match(cut.stderr, /^downloading .*\nthe download of .* was cut after .* MB of 3\.0 MB; .* the next run resumes from there\n$/);
    assert.match((await run(['list'])).stdout, /\(partial\)\n$/);
    hub.handle = (request, response) => sendFile(request, response, bytes);
    const resumed = await run(['pull', name]);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(String(hub.requests.at(-1)!.headers.range), /^bytes=\d+-$/);
    assert.ok(readFileSync(cachedModelPath(tiny, modelsDir)).equals(bytes));
  });

  test('offline: the default model\'s one line names its URL and path; --json gives the kind', async () => {
    const { run, modelsDir } = cache();
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const url = `${endpoint}/${defaultLocalModel.repo}/resolve/main/${defaultLocalModel.file}`;
    const line = `no network: download ${url} to ${cachedModelPath(defaultLocalModel, modelsDir)} or set OPENAI_BASE_URL`;
    const offline = await run(['pull'], { HF_ENDPOINT: endpoint });
    assert.equal(offline.code, 1);
    assert.equal(offline.stderr.split('\n').at(-2), line);
    const asJson = await run(['pull', '--json'], { HF_ENDPOINT: endpoint });
    assert.equal(asJson.code, 1);
    assert.deepEqual(JSON.parse(asJson.stdout), { error: { kind: 'local', reason: 'local-download', message: line } });
    assert.equal(asJson.stderr, `${line}\n`);
  });

  test('two processes pulling one model: the second waits for the first\'s download, one request, one whole file', async () => {
    const { ws, env, modelsDir } = cache();
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let requested!: () => void;
    const firstRequest = new Promise<void>((resolve) => (requested = resolve));
    hub.handle = (request, response) => {
      requested();
      sendFile(request, response, bytes, { holdAfter: 200_000, release: released });
    };
    const before = hub.requests.length;
    const first = ws.start(['models', 'pull', name], env);
    await firstRequest;
    const second = ws.start(['models', 'pull', name], env);
    second.child.stderr!.on('data', (text: string) => text.includes('waiting for it') && release());
    const [a, b] = await Promise.all([first.result, second.result]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    assert.equal(b.stderr, `downloading ${name} to ${cachedModelPath(tiny, modelsDir)}\nanother prompt-chain process is downloading ${name}; waiting for it\n`);
    assert.match(a.stdout, /^downloaded /);
    assert.equal(b.stdout, `${name} was downloaded by the other process (3.0 MB): ${cachedModelPath(tiny, modelsDir)}\n`);
    assert.equal(hub.requests.length - before, 1);
    assert.ok(readFileSync(cachedModelPath(tiny, modelsDir)).equals(bytes));
  });

  test('usage errors exit 2: rm without NAME, a malformed NAME, an unknown action, --base-url with an action', async () => {
    const { run } = cache();
    for (const args of [['rm'], ['pull', 'a/b'], ['frobnicate'], ['list', '--base-url', 'http://x'], ['rm', 'local:/my/own.gguf']]) {
      const result = await run(args);
      assert.equal(result.code, 2, args.join(' '));
      assert.match(result.stderr, /^prompt-chain: .* \(see "prompt-chain --help"\)\n$/);
    }
  });

  test('on a terminal, pull draws a progress bar redrawn with \\r, then erases it for the final line', async () => {
    const { env, modelsDir, ws } = cache();
    hub.handle = (request, response) => sendFile(request, response, bytes);
    let stdout = '';
    let stderr = '';
    const io: ProcessIo = { out: (t) => void (stdout += t), err: (t) => void (stderr += t), env, cwd: ws.root, stderrIsTTY: true, signal: new AbortController().signal };
    assert.equal(await main(['models', 'pull', name], io), 0, stderr);
    assert.match(stderr, /^\r {2}0% \[\.{24}\] {2}0\.0\/3\.0 MB {2}[\d.]+ MB\/s/);
    assert.match(stderr, /\r100% \[#{24}\] {2}3\.0\/3\.0 MB {2}[\d.]+ MB\/s *\r +\r$/);
    assert.match(stdout, new RegExp(`^downloaded ${escape(name)} \\(3\\.0 MB in [\\d.]+ s\\): ${escape(cachedModelPath(tiny, modelsDir))}\\n$`));
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
