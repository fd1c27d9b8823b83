// The package as a user installs it: `npm pack` of the built tree, unpacked into node_modules/prompt-chain of a
// temporary project (not a symlink: the bundles must resolve everything from where they are installed), with
// the LangChain.js packages linked from this checkout, or left out to meet the missing-peer error. Programs run
// there as real `node` processes (CommonJS .cjs, ES module .mjs, TypeScript compiled by tsc), asynchronously,
// so the fake OpenAI server in the test process keeps answering.

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after } from 'node:test';
import { ensureBuilt, repoRoot } from '../../support/build';
import { runProcess, type CliResult } from '../../cli/support/cli';

export { repoRoot };

/** Every source the library bundles and types are built from. */
const librarySources = ['lib', 'core', 'service', 'cli/src', 'esbuild.mjs'];

export interface Project {
  root: string;
  /** Writes `name` (e.g. `main.mjs`) in the project and runs it with node; `env` is the whole environment. */
  run(name: string, source: string, env?: Record<string, string>): Promise<CliResult>;
  write(name: string, source: string): string;
}

const folders: string[] = [];
let tarball: string | undefined;

after(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** The tarball `npm pack` makes of the current build (made once per test file). */
export function packedTarball(): string {
  if (tarball) return tarball;
  ensureBuilt(path.join(repoRoot, 'dist/langchain.mjs'), librarySources);
  const destination = temporaryFolder('prompt-chain-pack-');
  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', destination], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as { filename: string }[];
  tarball = path.join(destination, packed!.filename);
  return tarball;
}

/**
 * A project with prompt-chain installed from the tarball; `peers` are linked from this checkout's
 * node_modules (default: @langchain/core, @langchain/classic and, for the chains' models, @langchain/openai).
 */
export function installedProject(peers: readonly string[] = ['@langchain/core', '@langchain/classic', '@langchain/openai']): Project {
  const root = temporaryFolder('prompt-chain-consumer-');
  const installed = path.join(root, 'node_modules', 'prompt-chain');
  mkdirSync(installed, { recursive: true });
  execFileSync('tar', ['-xzf', packedTarball(), '-C', installed, '--strip-components=1']);
  for (const peer of peers) {
    mkdirSync(path.dirname(path.join(root, 'node_modules', peer)), { recursive: true });
    symlinkSync(path.join(repoRoot, 'node_modules', peer), path.join(root, 'node_modules', peer), 'dir');
  }
  writeFileSync(path.join(root, 'package.json'), '{ "name": "consumer", "private": true }\n');
  const write = (name: string, source: string) => {
    const file = path.join(root, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, source);
    return file;
  };
  return {
    root,
    write,
    run: (name, source, env = {}) => {
      write(name, source);
      return runProcess(process.execPath, [name], root, { PATH: process.env.PATH, HOME: root, XDG_STATE_HOME: path.join(root, '.state'), ...env });
    },
  };
}

/** The JSON a program printed as its last line of stdout; fails with its stderr when it did not exit 0. */
export function printedJson<T>(result: CliResult): T {
  if (result.code !== 0) throw new Error(`the program exited ${result.code}:\n${result.stderr}`);
  const lines = result.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as T;
}

function temporaryFolder(prefix: string): string {
  const folder = mkdtempSync(path.join(tmpdir(), prefix));
  folders.push(folder);
  return folder;
}
