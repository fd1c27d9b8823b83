// `npm run package`: the .vsix, from a staging folder. package.json's `files` is the npm package's allowlist and
// .vscodeignore the extension's; @vscode/vsce 3.x refuses a folder that has both ("VSCE does not support combining
// both strategies") and would otherwise take `files` as the .vsix's list. So vsce runs in out/vsix/, which holds
// what .vscodeignore allowlists (its top-level names, copied), the readme, .vscodeignore itself and package.json
// without `files`: the .vsix gets exactly the files it always had. `--no-dependencies`: .vscodeignore leaves
// node_modules out anyway, and the staging folder has none for `npm list` to inspect.
// Arguments are passed on to `vsce package`.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

const root = process.cwd();
const stage = resolve(root, 'out/vsix');
const args = process.argv.slice(2);
const valueOf = (...flags) => args[args.findIndex((arg) => flags.includes(arg)) + 1];
// The readme (`--readme-path`) is copied too; the output (`-o`) is meant from here, not from the staging folder.
const readme = valueOf('--readme-path') ?? 'README.md';
const outFlag = args.findIndex((arg) => arg === '-o' || arg === '--out');
if (outFlag >= 0 && args[outFlag + 1] !== undefined) args[outFlag + 1] = resolve(root, args[outFlag + 1]);

rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });

// The top-level files and folders .vscodeignore lets through (`!dist/client.js` → dist).
const ignore = readFileSync(join(root, '.vscodeignore'), 'utf8');
const allowed = new Set(ignore.split('\n').filter((line) => line.startsWith('!')).map((line) => line.slice(1).split('/')[0]));
for (const name of [...allowed, '.vscodeignore', readme]) {
  if (!existsSync(join(root, name))) continue;
  mkdirSync(dirname(join(stage, name)), { recursive: true });
  cpSync(join(root, name), join(stage, name), { recursive: true });
}

// The npm package's own fields (its allowlist, entry points and peers) are not the extension's.
const { files: _files, exports: _exports, types: _types, peerDependencies: _peers, peerDependenciesMeta: _peersMeta, ...manifest } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
writeFileSync(join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);

const vsce = join(dirname(createRequire(import.meta.url).resolve('@vscode/vsce/package.json')), 'vsce');
execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', ...args], { cwd: stage, stdio: 'inherit' });
