// Where the CLI keeps a file's conversation: the workspace is --workspace or the current folder, the
// state folder is --memory-dir or the per-workspace default shared with the editor (defaultStateDir).

import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { MemoryConfig } from '../../core/chain/types';
import { defaultStateDir, openConversation, repairCommandFor, type StoredConversation } from '../../core/memory/store';
import { nonEmptyValueOf, type FlagSpec, type ParsedArgs } from './args';
import { CliError, type Io } from './output';

export const memoryLocationFlags: FlagSpec[] = [
  { name: 'workspace', value: true },
  { name: 'memory-dir', value: true },
];

export interface MemoryLocation {
  workspace?: string;
  memoryDir?: string;
}

/**
 * The location flags as given, checked: `--workspace ""` would resolve to the current folder and
 * `--memory-dir ""` likewise, a slip of the shell that must not quietly choose a folder.
 */
export function memoryLocationOf(args: ParsedArgs): MemoryLocation {
  return { workspace: nonEmptyValueOf(args, 'workspace', 'a folder'), memoryDir: nonEmptyValueOf(args, 'memory-dir', 'a folder') };
}

export async function openFileConversation(file: string, memory: MemoryConfig, args: ParsedArgs, io: Io): Promise<StoredConversation> {
  const { workspace, memoryDir } = memoryLocationOf(args);
  const workspaceRoot = resolve(io.cwd, workspace ?? '.');
  await requireFolder(workspaceRoot, '--workspace');
  const onWarning = (message: string) => io.err(`warning: ${message}\n`);
  return openConversation({
    stateDir: memoryDir === undefined ? defaultStateDir(workspaceRoot, io.env, onWarning) : resolve(io.cwd, memoryDir),
    workspaceRoot,
    filePath: resolve(io.cwd, file),
    memory,
    onWarning,
    relocateHint: 'set --memory-dir to a writable folder',
    // In the words the user typed, so it runs as written from the same folder.
    repairCommand: repairCommandFor(file, { workspaceRoot: workspace, stateDir: memoryDir }),
  });
}

async function requireFolder(path: string, flag: string): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isDirectory()) throw new CliError(`${flag} ${path}: no such folder`);
}
