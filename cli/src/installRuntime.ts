// `prompt-chain models install-runtime`: installs node-llama-cpp, the binding local turns run on, into the
// user's runtime folder (core/model/local/cache.ts localRuntimeDir), where every host looks for it after
// the copy beside Prompt Chain (core/model/local/runtime.ts). It is npm's own install, its output on
// stderr as it comes; the pinned version is the one Prompt Chain is tested with.

import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { localRuntimeDir } from '../../core/model/local/cache';
import { findRuntime, runtimeInstallArgs, runtimePackage, runtimeVersion } from '../../core/model/local/runtime';
import { CliError, ExitCode, type Io } from './output';

export async function installRuntime(io: Io): Promise<number> {
  const dir = localRuntimeDir(io.env);
  await mkdir(dir, { recursive: true });
  io.err(`installing ${runtimePackage}@${runtimeVersion} into ${dir} (npm; about 730 MB on linux-x64)\n`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn(npm, runtimeInstallArgs(dir), { stdio: ['ignore', 'inherit', 'inherit'], shell: process.platform === 'win32' });
    child.on('error', (error) => reject(new CliError(`npm could not be started (${error.message}): install Node.js's npm, or run npm ${runtimeInstallArgs(dir).join(' ')} yourself.`)));
    child.on('exit', (exitCode) => resolve(exitCode ?? 1));
  });
  if (code !== 0) throw new CliError(`npm failed (exit ${code}) installing ${runtimePackage}@${runtimeVersion} into ${dir}: see its output above.`);
  const entry = findRuntime({ runtimeDir: dir, from: join(dir, 'package.json') });
  if (!entry) throw new CliError(`npm finished, but ${runtimePackage} is not found in ${dir}: run the command again.`);
  io.err(`installed: local turns run on ${entry}\n`);
  return ExitCode.ok;
}
