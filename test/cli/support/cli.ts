// Runs the built CLI (`node dist/cli.js`) the way a user does: a real process in a temporary workspace,
// with a clean environment (no OPENAI_* from the developer's shell, state under the temp folder) and the
// streams captured. Asynchronous, so the fake OpenAI server in the test process keeps answering.

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export const repoRoot = path.resolve(__dirname, '../../..');
export const cliPath = path.join(repoRoot, 'dist/cli.js');

/**
 * Builds dist/ (`npm run build`) unless the bundle is newer than every source it is made of: `npm test`
 * has just built it, and test files running side by side must not rewrite a bundle another one runs.
 */
export function ensureCliBuilt(): void {
  const sources = ['core', 'service', 'cli/src', 'package.json'].map((p) => path.join(repoRoot, p));
  const bundled = statSync(cliPath, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  if (sources.some((source) => newestChange(source) > bundled)) {
    execFileSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: 'ignore' });
  }
}

function newestChange(fileOrFolder: string): number {
  const stats = statSync(fileOrFolder, { throwIfNoEntry: false });
  if (!stats) return 0;
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(stats.mtimeMs, ...readdirSync(fileOrFolder).map((name) => newestChange(path.join(fileOrFolder, name))));
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
  run(args: string[], env?: Record<string, string | undefined>): Promise<CliResult>;
  /** Starts a run without waiting for it, for tests that signal it or race two of them. */
  start(args: string[], env?: Record<string, string | undefined>): RunningCli;
}

export interface RunningCli {
  child: ChildProcess;
  result: Promise<CliResult>;
}

const createdFolders: string[] = [];

/** Deletes every workspace this test file created (call from an `after` hook). */
export function removeWorkspaces(): void {
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
  const start = (args: string[], env = {}) => startProcess(process.execPath, [cliPath, ...args], root, { ...baseEnv, ...env });
  return { root, stateHome, write, start, run: (args, env) => start(args, env).result };
}

export function runProcess(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<CliResult> {
  return startProcess(command, args, cwd, env).result;
}

function startProcess(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): RunningCli {
  const child = spawn(command, args, { cwd, env: withoutUndefined(env), stdio: ['ignore', 'pipe', 'pipe'] });
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

/** The contract's two prompt files, exactly as the issue gives them. */
export const examples = {
  completion: '---\nmemory:\n  key: chat_history\n---\nYou are a chatbot having a conversation with a human.\n\n{chat_history}\nHuman: {human_input}\nChatbot:\n',
  chat:
    '---\nmemory:\n  key: chat_history\n  return_messages: true\n---\nsystem:\nYou are a chatbot having a conversation with a human.\n\n' +
    'placeholder:\n{chat_history}\n\nhuman:\n{human_input}\n',
};
