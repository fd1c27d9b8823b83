// What npm ships and what the .vsix ships, now that package.json has a `files` allowlist beside .vscodeignore.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ensureBuilt } from '../support/build';
import { repoRoot } from './support/installed';

/** A path, or conditions (import, require, types, default) mapping to targets. */
type ExportTarget = string | { [condition: string]: ExportTarget };

function targetPaths(target: ExportTarget): string[] {
  return typeof target === 'string' ? [target] : Object.values(target).flatMap(targetPaths);
}

interface PackedFile {
  path: string;
  size: number;
}

const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  main: string;
  types: string;
  bin: Record<string, string>;
  exports: Record<string, ExportTarget>;
};

function packedFiles(): PackedFile[] {
  ensureBuilt(path.join(repoRoot, 'dist/langchain.mjs'), ['lib', 'core', 'service', 'cli/src', 'esbuild.mjs']);
  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json'], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as { files: PackedFile[] }[];
  return packed!.files;
}

describe('npm pack', () => {
  const files = packedFiles();
  const paths = files.map((file) => file.path);

  test('lists only the allowlist: bundles, types, docs, LICENSE, README, package.json; no tests, sources or maps', () => {
    const allowed = [
      /^(package\.json|README\.md|LICENSE)$/,
      /^dist\/(lib|langchain)\.(cjs|mjs)$/,
      /^dist\/types\/[\w/]+\.d\.m?ts$/,
      /^dist\/(cli|server|serverMain|tokenizerWorker)\.js$/,
      /^dist\/vendor\/(openai|yaml|pg|@redis\/client)\.js$/,
      /^dist\/tokenizer\/\w+\.js$/,
      /^docs\/[\w/-]+\.md$/,
    ];
    assert.deepEqual(paths.filter((file) => !allowed.some((pattern) => pattern.test(file))), [], 'nothing else');
    assert.deepEqual(paths.filter((file) => /\.map$|^test\/|(?<!\.d)\.ts$/.test(file)), []);
  });

  test('every entry point the manifest names is in the package: exports and their types, bin', () => {
    const targets = [manifest.types, ...Object.values(manifest.bin), ...Object.values(manifest.exports).flatMap(targetPaths)];
    for (const target of targets) assert.ok(paths.includes(path.posix.normalize(target)), `${target} is packed`);
  });

  test('the declarations the entries import are packed with them, and only those (not every module of the engine)', () => {
    const declarations = paths.filter((file) => /\.d\.m?ts$/.test(file));
    for (const file of declarations) {
      const text = readFileSync(path.join(repoRoot, file), 'utf8');
      for (const [, specifier] of text.matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
        const target = path.posix.join(path.posix.dirname(file), specifier!);
        // CommonJS declarations import extensionless paths; ES module ones `.mjs`, which is the `.d.mts` beside it.
        const candidates = file.endsWith('.d.mts') ? [target.replace(/\.mjs$/, '.d.mts')] : [`${target}.d.ts`, `${target}/index.d.ts`];
        assert.ok(candidates.some((candidate) => paths.includes(candidate)), `${file} imports ${specifier}, which is packed`);
      }
    }
    assert.ok(declarations.length < 60, `${declarations.length} declaration files`);
    assert.deepEqual(declarations.filter((file) => file.endsWith('.d.ts')).map((file) => file.replace(/\.d\.ts$/, '.d.mts')), declarations.filter((file) => file.endsWith('.d.mts')), 'each as CommonJS and as an ES module');
  });

  test('the guides ship, this library\'s among them; the source of the library does not', () => {
    assert.ok(paths.includes('docs/interop/library.md'));
    assert.ok(paths.includes('docs/cli.md'));
    assert.ok(!paths.some((file) => file.startsWith('lib/') || file.startsWith('core/')));
    // The Marketplace page's images live in media/, which the npm package does not carry.
    assert.ok(!paths.includes('docs/marketplace/README.md'));
  });
});

describe('npm run package', () => {
  test('the .vsix still holds .vscodeignore\'s allowlist, whatever package.json `files` says', () => {
    ensureBuilt(path.join(repoRoot, 'dist/client.js'), ['client', 'server', 'core', 'service']);
    const folder = mkdtempSync(path.join(tmpdir(), 'prompt-chain-vsix-'));
    try {
      const vsix = path.join(folder, 'x.vsix');
      execFileSync(process.execPath, ['package-vsix.mjs', '--allow-missing-repository', '--no-rewrite-relative-links', '--readme-path', 'docs/marketplace/README.md', '-o', vsix], { cwd: repoRoot, stdio: 'ignore' });
      const entries = execFileSync('unzip', ['-Z1', vsix], { encoding: 'utf8' }).trim().split('\n');
      for (const needed of ['dist/client.js', 'dist/server.js', 'dist/serverMain.js', 'dist/vendor/openai.js', 'syntaxes/prompt.tmLanguage.json', 'examples/chatbot-chat.prompt', 'readme.md', 'package.json']) {
        assert.ok(entries.includes(`extension/${needed}`), needed);
      }
      assert.deepEqual(entries.filter((entry) => /dist\/(lib\.|langchain\.|types\/|cli\.js)|\.map$|extension\/docs\//.test(entry)), [], 'no library bundle, CLI, types or maps');
      const packagedManifest = JSON.parse(execFileSync('unzip', ['-p', vsix, 'extension/package.json'], { encoding: 'utf8' })) as Record<string, unknown>;
      assert.equal(packagedManifest.main, './dist/client.js');
      assert.equal(packagedManifest.files, undefined, 'the npm allowlist is not the extension\'s');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
