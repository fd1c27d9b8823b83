// A database server the tests start: spawned, ready when its log says so (not after a sleep), stopped by
// a signal and awaited until it has exited. Shared by redisServer.ts and postgresServer.ts.

import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { createInterface } from 'node:readline';

/** The first of `names` found on PATH or in `folders`, else an error saying what to install. */
export function findBinary(name: string, folders: readonly string[], install: string): string {
  const candidates = [...(process.env.PATH ?? '').split(delimiter), ...folders].map((folder) => join(folder, name));
  const found = candidates.find((file) => existsSync(file));
  if (!found) throw new Error(`${name} not found on PATH or in ${folders.join(', ')}: ${install}`);
  return found;
}

/** A database server a test file started. */
export interface TestServer {
  port: number;
  /** The URL to connect with, the password included (the server requires it). */
  url: string;
  password: string;
  /** Stops the server the way a crash would (nothing flushed or checkpointed on the way out). */
  kill(): Promise<void>;
  /** Starts it again on the same folder and port (after `kill`). */
  restart(): Promise<void>;
  /** Stops it and removes its folder. */
  stop(): Promise<void>;
}

export interface Started {
  child: ChildProcess;
  /** Every line the server logged, for a failure message. */
  log: string[];
}

/**
 * Spawns `command` and resolves once a line of its output matches `ready`; rejects when a line matches
 * `fatal` or the process exits first (with the log, so a failing set-up says why).
 */
export async function startLogged(command: string, args: readonly string[], options: SpawnOptions, ready: RegExp, fatal: RegExp): Promise<Started> {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  const log: string[] = [];
  const outcome = new Promise<void>((resolve, reject) => {
    const fail = (why: string) => reject(new Error(`${command} ${why}:\n${log.slice(-20).join('\n')}`));
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        log.push(line);
        if (ready.test(line)) resolve();
        else if (fatal.test(line)) fail('failed to start');
      });
    }
    child.once('error', (err) => fail(`could not be spawned (${err.message})`));
    child.once('exit', (code, signal) => fail(`exited (${signal ?? code}) before it was ready`));
  });
  try {
    await outcome;
  } catch (err) {
    await stopProcess(child, 'SIGKILL');
    throw err;
  }
  return { child, log };
}

/** Sends `signal` and waits until the process has exited. */
export async function stopProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  await exited;
}

/** Runs a command to completion; rejects with its output when it fails. */
export async function runToEnd(command: string, args: readonly string[], options: SpawnOptions): Promise<void> {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} failed (${code}):\n${output.join('')}`);
}
