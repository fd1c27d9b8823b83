// localModelFile: the cache's model file fetched over real HTTP from a stand-in hub on 127.0.0.1 (resume,
// checksums, the hub's errors, offline, cancel, two downloads at once), and a user's own file checked.

import { afterEach, before, after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { hostname, tmpdir } from 'node:os';
import * as path from 'node:path';
import { localModelFile, offlineMessage, sha256Of, type DownloadProgress } from '../../../../core/model/local/download';
import { cachedModelPath } from '../../../../core/model/local/cache';
import { isCancelled, ModelError } from '../../../../core/model/errors';
import type { HubModel } from '../../../../core/model/local/modelRef';
import { generatedModel, resolvePath, sendFile, sha256, startModelHub, type ModelHub } from '../../../support/modelHub';
import { closedPort } from '../../../support/ports';

const model: HubModel = { kind: 'hub', repo: 'tiny/Tiny-GGUF', file: 'tiny-q4.gguf', revision: 'main' };
const bytes = generatedModel(3_000_000);
const filePath = resolvePath(model.repo, model.file);

const folders: string[] = [];
function modelsDir(): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'prompt-chain-models-'));
  folders.push(folder);
  return folder;
}

function isDownloadError(pattern: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof ModelError, String(error));
    assert.equal(error.kind, 'local-download');
    assert.match(error.message, pattern);
    return true;
  };
}

describe('localModelFile (hub models)', () => {
  let hub: ModelHub;
  before(async () => (hub = await startModelHub()));
  after(() => hub.close());
  afterEach(() => {
    hub.requests.length = 0;
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });
  const env = () => ({ HF_ENDPOINT: hub.url });

  test('downloads the file once into <dir>/<owner>/<repo>/<file>, checked against the hub sha256, with progress', async () => {
    hub.handle = (request, response) => sendFile(request, response, bytes);
    const dir = modelsDir();
    const progress: DownloadProgress[] = [];
    const file = await localModelFile(model, { modelsDir: dir, env: env(), onProgress: (p) => progress.push(p) });
    assert.equal(file, path.join(dir, 'tiny', 'Tiny-GGUF', 'tiny-q4.gguf'));
    assert.ok(readFileSync(file).equals(bytes));
    assert.equal(existsSync(`${file}.partial`), false);
    assert.equal(existsSync(`${file}.lock`), false);
    assert.deepEqual(hub.requests.map((r) => r.url), [filePath]);
    assert.equal(hub.requests[0]!.headers.range, undefined);
    assert.equal(hub.requests[0]!.headers['accept-encoding'], 'identity');
    // Progress: from 0 to the whole file, never backwards, at most every 1% (or 100 ms) plus the two ends.
    assert.deepEqual(progress.at(-1), { file, received: bytes.length, total: bytes.length });
    assert.equal(progress[0]!.received, 0);
    assert.ok(progress.every((p, i) => i === 0 || p.received > progress[i - 1]!.received));
    assert.ok(progress.length <= 102, `${progress.length} progress reports`);
    // A second call finds it cached and asks nothing.
    assert.equal(await localModelFile(model, { modelsDir: dir, env: env() }), file);
    assert.equal(hub.requests.length, 1);
  });

  test('follows the hub redirect to its CDN; HF_TOKEN goes to the hub only, and the first hop\'s X-Linked-Etag is checked', async () => {
    const cdn = await startModelHub();
    try {
      cdn.handle = (request, response) => sendFile(request, response, bytes, { linkedEtag: null });
      hub.handle = (_request, response) => response.writeHead(302, { location: `${cdn.url.replace('127.0.0.1', 'localhost')}/blob/tiny`, 'x-linked-etag': `"${sha256(bytes)}"`, 'x-linked-size': String(bytes.length) }).end();
      const file = await localModelFile(model, { modelsDir: modelsDir(), env: { ...env(), HF_TOKEN: 'hf_secret_token' } });
      assert.ok(readFileSync(file).equals(bytes));
      assert.equal(hub.requests[0]!.headers.authorization, 'Bearer hf_secret_token');
      assert.equal(cdn.requests.length, 1);
      assert.equal(cdn.requests[0]!.headers.authorization, undefined);

      // The same redirect with another checksum fails: the hop's header is the one checked.
      hub.handle = (_request, response) => response.writeHead(302, { location: `${cdn.url}/blob/tiny`, 'x-linked-etag': `"${'ab'.repeat(32)}"` }).end();
      await assert.rejects(localModelFile(model, { modelsDir: modelsDir(), env: { ...env(), HF_TOKEN: 'hf_secret_token' } }), (error: unknown) => {
        assert.ok(error instanceof ModelError && !error.message.includes('hf_secret_token'));
        return isDownloadError(/failed its checksum \(sha256 abababababab… was expected/)(error);
      });
    } finally {
      await cdn.close();
    }
  });

  test('a cut connection keeps the partial; the next call resumes with Range: bytes=N- and the file is identical', async () => {
    const cutAfter = 1_234_567;
    hub.handle = (request, response) => sendFile(request, response, bytes, { cutAfter });
    const dir = modelsDir();
    const target = cachedModelPath(model, dir);
    await assert.rejects(localModelFile(model, { modelsDir: dir, env: env() }), isDownloadError(/was cut after .* of 3\.0 MB; .* kept in .*\.partial and the next run resumes/));
    const kept = statSync(`${target}.partial`).size;
    assert.ok(kept > 0 && kept <= cutAfter, `kept ${kept}`);
    assert.equal(existsSync(target), false);

    hub.handle = (request, response) => sendFile(request, response, bytes);
    const progress: DownloadProgress[] = [];
    assert.equal(await localModelFile(model, { modelsDir: dir, env: env(), onProgress: (p) => progress.push(p) }), target);
    assert.equal(hub.requests.at(-1)!.headers.range, `bytes=${kept}-`);
    assert.ok(readFileSync(target).equals(bytes));
    assert.equal(progress[0]!.received, kept, 'progress counts the kept bytes');
    assert.equal(existsSync(`${target}.partial`), false);
  });

  test('a server that ignores Range (200) is downloaded from the start, not appended', async () => {
    const dir = modelsDir();
    const target = cachedModelPath(model, dir);
    hub.handle = (request, response) => sendFile(request, response, bytes, { cutAfter: 500_000 });
    await assert.rejects(localModelFile(model, { modelsDir: dir, env: env() }), isDownloadError(/was cut/));
    hub.handle = (request, response) => sendFile(request, response, bytes, { ignoreRange: true });
    await localModelFile(model, { modelsDir: dir, env: env() });
    assert.match(String(hub.requests.at(-1)!.headers.range), /^bytes=\d+-$/);
    assert.ok(readFileSync(target).equals(bytes));
  });

  test('a partial that holds the whole file (killed before the rename) is checked and kept: by its pinned size without a request, else on the 416', async () => {
    const dir = modelsDir();
    const target = cachedModelPath(model, dir);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(`${target}.partial`, bytes);
    const pinned: HubModel = { ...model, sha256: sha256(bytes), size: bytes.length };
    assert.equal(await localModelFile(pinned, { modelsDir: dir, env: env() }), target);
    assert.equal(hub.requests.length, 0);
    assert.ok(readFileSync(target).equals(bytes));

    const other = modelsDir();
    const otherTarget = cachedModelPath(model, other);
    mkdirSync(path.dirname(otherTarget), { recursive: true });
    writeFileSync(`${otherTarget}.partial`, bytes);
    hub.handle = (request, response) => sendFile(request, response, bytes);
    assert.equal(await localModelFile(model, { modelsDir: other, env: env() }), otherTarget);
    assert.deepEqual(hub.requests.map((r) => r.headers.range), [`bytes=${bytes.length}-`]);
    assert.ok(readFileSync(otherTarget).equals(bytes));
    assert.equal(existsSync(`${otherTarget}.partial`), false);

    // Whole but wrong (the hub's checksum differs): deleted, to be downloaded anew.
    const third = modelsDir();
    const thirdTarget = cachedModelPath(model, third);
    mkdirSync(path.dirname(thirdTarget), { recursive: true });
    writeFileSync(`${thirdTarget}.partial`, generatedModel(bytes.length));
    await assert.rejects(localModelFile(model, { modelsDir: third, env: env() }), isDownloadError(/failed its checksum/));
    assert.equal(existsSync(`${thirdTarget}.partial`), false);
  });

  test('a wrong hub checksum fails naming the file and both hashes, with no file left and the partial deleted', async () => {
    hub.handle = (request, response) => sendFile(request, response, bytes, { linkedEtag: `W/"${'0f'.repeat(32)}"` });
    const dir = modelsDir();
    const target = cachedModelPath(model, dir);
    await assert.rejects(
      localModelFile(model, { modelsDir: dir, env: env() }),
      isDownloadError(new RegExp(`^${escape(target)} failed its checksum \\(sha256 0f0f0f0f0f0f… was expected, the bytes have ${sha256(bytes).slice(0, 12)}…\\); the partial download was deleted: run the turn again to download it anew$`)),
    );
    assert.equal(existsSync(target), false);
    assert.equal(existsSync(`${target}.partial`), false);
  });

  test('a plain ETag that is a sha256 is checked too (a server without X-Linked-Etag)', async () => {
    hub.handle = (request, response) => {
      response.setHeader('etag', `"${'9a'.repeat(32)}"`);
      sendFile(request, response, bytes, { linkedEtag: null });
    };
    await assert.rejects(localModelFile(model, { modelsDir: modelsDir(), env: env() }), isDownloadError(/failed its checksum \(sha256 9a9a9a9a9a9a… was expected/));
    hub.handle = (request, response) => {
      response.setHeader('etag', `"${sha256(bytes)}"`);
      sendFile(request, response, bytes, { linkedEtag: null });
    };
    assert.ok(readFileSync(await localModelFile(model, { modelsDir: modelsDir(), env: env() })).equals(bytes));
  });

  test('the pinned sha256 and size of the ref are checked when the hub sends no checksum', async () => {
    hub.handle = (request, response) => sendFile(request, response, bytes, { linkedEtag: null });
    const pinned: HubModel = { ...model, sha256: sha256(bytes).toUpperCase(), size: bytes.length };
    const dir = modelsDir();
    assert.ok(readFileSync(await localModelFile(pinned, { modelsDir: dir, env: env() })).equals(bytes));

    const wrong: HubModel = { ...pinned, sha256: 'cd'.repeat(32) };
    const other = modelsDir();
    await assert.rejects(localModelFile(wrong, { modelsDir: other, env: env() }), isDownloadError(/failed its checksum \(sha256 cdcdcdcdcdcd… was expected/));
    assert.equal(existsSync(cachedModelPath(wrong, other)), false);
    assert.equal(existsSync(`${cachedModelPath(wrong, other)}.partial`), false);

    const wrongSize: HubModel = { ...pinned, size: bytes.length + 1 };
    await assert.rejects(localModelFile(wrongSize, { modelsDir: other, env: env() }), isDownloadError(/serves 3000000 bytes where 3000001 were expected/));
  });

  test('404 names the repository and file; 401/403 say the repo is gated and to set HF_TOKEN', async () => {
    hub.handle = (_request, response) => response.writeHead(404).end('Entry not found');
    await assert.rejects(localModelFile(model, { modelsDir: modelsDir(), env: env() }), isDownloadError(/has no file tiny-q4\.gguf in tiny\/Tiny-GGUF \(404 at .*\): check the repository and file/));
    hub.handle = (_request, response) => response.writeHead(404, { 'x-error-code': 'RepoNotFound' }).end();
    await assert.rejects(localModelFile(model, { modelsDir: modelsDir(), env: env() }), isDownloadError(/the repository tiny\/Tiny-GGUF does not exist/));
    hub.handle = (_request, response) => response.writeHead(403, { 'x-error-code': 'GatedRepo' }).end();
    await assert.rejects(localModelFile(model, { modelsDir: modelsDir(), env: { ...env(), HF_TOKEN: 'hf_never_shown' } }), (error: unknown) => {
      assert.ok(error instanceof ModelError && error.status === 403 && !error.message.includes('hf_never_shown'));
      return isDownloadError(/tiny\/Tiny-GGUF is gated or private \(403 .*set HF_TOKEN/)(error);
    });
    hub.handle = (_request, response) => response.writeHead(401).end();
    await assert.rejects(localModelFile(model, { modelsDir: modelsDir(), env: env() }), isDownloadError(/gated or private \(401/));
  });

  test('offline: exactly "no network: download URL to PATH or set OPENAI_BASE_URL", the URL without credentials', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const dir = modelsDir();
    const target = cachedModelPath(model, dir);
    await assert.rejects(localModelFile(model, { modelsDir: dir, env: { HF_ENDPOINT: endpoint } }), (error: unknown) => {
      assert.ok(error instanceof ModelError && error.kind === 'local-download');
      assert.equal(error.message, `no network: download ${endpoint}${filePath} to ${target} or set OPENAI_BASE_URL`);
      return true;
    });
    assert.equal(offlineMessage('https://user:pw@hub.example/a/b/resolve/main/c.gguf?x=1', '/m/c.gguf'), 'no network: download https://hub.example/a/b/resolve/main/c.gguf to /m/c.gguf or set OPENAI_BASE_URL');
  });

  test('a CDN out of reach after the hub\'s redirect is offline too, and the line names the hub\'s URL (the CDN\'s is signed)', async () => {
    const cdn = `http://127.0.0.1:${await closedPort()}`;
    hub.handle = (_request, response) => response.writeHead(302, { location: `${cdn}/blob?X-Signature=secret` }).end();
    const dir = modelsDir();
    await assert.rejects(localModelFile(model, { modelsDir: dir, env: env() }), (error: unknown) => {
      assert.ok(error instanceof ModelError);
      assert.equal(error.message, offlineMessage(`${hub.url}${filePath}`, cachedModelPath(model, dir)));
      return true;
    });
  });

  test('a server silent before any byte is offline too', async () => {
    hub.handle = () => undefined; // never answers
    const dir = modelsDir();
    const target = cachedModelPath(model, dir);
    await assert.rejects(localModelFile(model, { modelsDir: dir, env: env(), idleTimeoutMs: 200 }), (error: unknown) => {
      assert.ok(error instanceof ModelError);
      assert.equal(error.message, `no network: download ${hub.url}${filePath} to ${target} or set OPENAI_BASE_URL`);
      return true;
    });
  });

  test('cancel mid-download keeps the partial and throws the cancelled error', async () => {
    hub.handle = (request, response) => sendFile(request, response, bytes, { holdAfter: 1_000_000 });
    const dir = modelsDir();
    const target = cachedModelPath(model, dir);
    const abort = new AbortController();
    const onProgress = (p: DownloadProgress) => p.received > 0 && abort.abort();
    await assert.rejects(localModelFile(model, { modelsDir: dir, env: env(), signal: abort.signal, onProgress }), (error: unknown) => isCancelled(error));
    assert.ok(statSync(`${target}.partial`).size > 0);
    assert.equal(existsSync(target), false);
    assert.equal(existsSync(`${target}.lock`), false);
  });

  test('two downloads of one file at once: the second waits for the first and finds the file; one request', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let requested!: () => void;
    const firstRequest = new Promise<void>((resolve) => (requested = resolve));
    hub.handle = (request, response) => {
      requested();
      sendFile(request, response, bytes, { holdAfter: 100_000, release: released });
    };
    const dir = modelsDir();
    const first = localModelFile(model, { modelsDir: dir, env: env() });
    await firstRequest;
    const second = localModelFile(model, { modelsDir: dir, env: env(), onWaitForOtherDownload: () => release() });
    const [a, b] = await Promise.all([first, second]);
    assert.equal(a, b);
    assert.ok(readFileSync(a).equals(bytes));
    assert.equal(hub.requests.length, 1);
  });

  test('a lock left by a dead process (a killed download) is broken, and the download goes ahead', async () => {
    hub.handle = (request, response) => sendFile(request, response, bytes);
    const dir = modelsDir();
    const target = cachedModelPath(model, dir);
    mkdirSync(path.dirname(target), { recursive: true });
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    writeFileSync(`${target}.lock`, JSON.stringify({ pid: dead, host: hostname(), acquiredAt: new Date().toISOString(), token: 'gone' }));
    let waited = false;
    assert.equal(await localModelFile(model, { modelsDir: dir, env: env(), onWaitForOtherDownload: () => (waited = true) }), target);
    assert.equal(waited, false);
    assert.equal(existsSync(`${target}.lock`), false);
  });

  test('an HF_ENDPOINT that is not an http(s) URL is refused before any request', async () => {
    await assert.rejects(localModelFile(model, { modelsDir: modelsDir(), env: { HF_ENDPOINT: 'ftp://hub.example' } }), isDownloadError(/HF_ENDPOINT "ftp:\/\/hub\.example" is not an http\(s\) URL/));
  });
});

describe('localModelFile (a file on disk)', () => {
  afterEach(() => {
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });

  test('a GGUF file is returned as an absolute path, relative to baseDir; nothing is downloaded', async () => {
    const dir = modelsDir();
    writeFileSync(path.join(dir, 'mine.gguf'), generatedModel(64));
    assert.equal(await localModelFile({ kind: 'path', path: './mine.gguf' }, { modelsDir: '/nowhere', env: {}, baseDir: dir }), path.join(dir, 'mine.gguf'));
  });

  test('a missing file, a folder and a file that is not GGUF are one-line local-model errors naming the path', async () => {
    const dir = modelsDir();
    const notGguf = path.join(dir, 'model.gguf');
    writeFileSync(notGguf, 'PK\x03\x04 a zip');
    const cases: [string, RegExp][] = [
      [path.join(dir, 'missing.gguf'), /missing\.gguf does not exist/],
      [dir, /is not a file/],
      [notGguf, /model\.gguf is not a GGUF file \(it does not start with "GGUF"\)/],
    ];
    for (const [file, pattern] of cases) {
      await assert.rejects(localModelFile({ kind: 'path', path: file }, { modelsDir: dir, env: {} }), (error: unknown) => {
        assert.ok(error instanceof ModelError && error.kind === 'local-model');
        assert.match(error.message, pattern);
        assert.ok(error.message.includes(file) && !error.message.includes('\n'));
        return true;
      });
    }
  });
});

describe('sha256Of (the hub ETag as a checksum)', () => {
  test('64 hex, quoted or weak, is a sha256; anything else (an md5 ETag) is none', () => {
    const sha = 'A'.repeat(64);
    assert.equal(sha256Of(`"${sha}"`), 'a'.repeat(64));
    assert.equal(sha256Of(`W/"${sha}"`), 'a'.repeat(64));
    assert.equal(sha256Of('"d41d8cd98f00b204e9800998ecf8427e"'), undefined);
    assert.equal(sha256Of(null), undefined);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
