// Reading `.prompt` files from disk the way every command needs: the shared reader (core/files) refuses what
// is not a prompt with one line the user can act on; this adds finding the prompts in a folder.

import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileSystemError, PromptFileError, readPromptFile as readPromptText } from '../../core/files/readPromptFile';
import { CliError } from './output';

const SKIPPED_FOLDERS = new Set(['node_modules', '.git']);

export function readPromptFile(path: string): Promise<string> {
  return readPromptText(path).catch((error: unknown) => {
    throw error instanceof PromptFileError ? new CliError(error.message) : error;
  });
}

/**
 * One command-line path's files: the file itself, or every file under a folder whose name ends with one of
 * `suffixes` (`.prompt`, `.prompt-test.yaml`), in name order. A folder without any is a CliError.
 */
export async function filesAt(path: string, suffixes: readonly string[]): Promise<string[]> {
  const info = await stat(path).catch((error: unknown) => {
    throw fileError(path, error);
  });
  if (!info.isDirectory()) return [path];
  const files = await walk(path, suffixes);
  if (files.length === 0) throw new CliError(`${path}: no ${suffixes.join(' or ')} files in this folder`);
  return files;
}

async function walk(folder: string, suffixes: readonly string[]): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true }).catch((error: unknown) => {
    throw fileError(folder, error);
  });
  const found: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const path = join(folder, entry.name);
    // Symlinked folders are not followed: they can loop.
    if (entry.isDirectory() && !SKIPPED_FOLDERS.has(entry.name)) found.push(...(await walk(path, suffixes)));
    else if (!entry.isDirectory() && suffixes.some((suffix) => entry.name.endsWith(suffix))) found.push(path);
  }
  return found;
}

function fileError(path: string, error: unknown): CliError {
  return new CliError(fileSystemError(path, error).message);
}
