// Runs the built CLI (`node dist/cli.js`) the way a user does: a real process in a temporary workspace,
// with a clean environment (no OPENAI_* from the developer's shell, state under the temp folder) and the
// streams captured. Asynchronous, so the fake OpenAI server in the test process keeps answering.

import { spawn, type ChildProcess } from 'node:child_process';
import { after, before } from 'node:test';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ensureBuilt, repoRoot } from '../../support/build';

export { repoRoot };

export const cliPath = path.join(repoRoot, 'dist/cli.js');

/** Registers the hooks every CLI test file needs: a current dist/cli.js first, no workspace left behind. */
export function useCliWorkspaces(): void {
  before(() => ensureBuilt(cliPath, ['core', 'service', 'cli/src']));
  after(() => removeWorkspaces());
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Workspace {
  root: string;
  /** XDG_STATE_HOME of the runs: the default memory store lives under it. */
  stateHome: string;
  write(relativePath: string, content: string | Buffer): string;
  run(args: string[], env?: Record<string, string | undefined>, as?: RunAs): Promise<CliResult>;
  /** Starts a run without waiting for it, for tests that signal it or race two of them. */
  start(args: string[], env?: Record<string, string | undefined>, as?: RunAs): RunningCli;
}

/** Runs the CLI as another user (the tests run as root), e.g. to meet a folder it may not write. */
export interface RunAs {
  uid: number;
  gid: number;
}

export interface RunningCli {
  child: ChildProcess;
  result: Promise<CliResult>;
}

const createdFolders: string[] = [];

/** Deletes every workspace this test file created. */
function removeWorkspaces(): void {
  for (const folder of createdFolders.splice(0)) rmSync(folder, { recursive: true, force: true });
}

export function createWorkspace(files: Record<string, string> = {}): Workspace {
  const base = mkdtempSync(path.join(tmpdir(), 'prompt-chain-cli-'));
  createdFolders.push(base);
  const root = path.join(base, 'workspace');
  const stateHome = path.join(base, 'state');
  mkdirSync(root);
  const write = (relativePath: string, content: string | Buffer) => {
    const file = path.join(root, relativePath);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
    return file;
  };
  for (const [name, content] of Object.entries(files)) write(name, content);
  const baseEnv = { PATH: process.env.PATH, HOME: base, XDG_STATE_HOME: stateHome };
  const start = (args: string[], env = {}, as?: RunAs) => startProcess(process.execPath, [cliPath, ...args], root, { ...baseEnv, ...env }, as);
  return { root, stateHome, write, start, run: (args, env, as) => start(args, env, as).result };
}

export function runProcess(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<CliResult> {
  return startProcess(command, args, cwd, env).result;
}

function startProcess(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, as?: RunAs): RunningCli {
  const child = spawn(command, args, { cwd, env: withoutUndefined(env), stdio: ['ignore', 'pipe', 'pipe'], ...as });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const result = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { child, result };
}

function withoutUndefined(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined));
}
