// Reading `.prompt` files from disk the way every command needs: refuse what is not a prompt (missing,
// a folder, binary, huge, not UTF-8) with one line the user can act on, and find the prompts in a folder.

import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CliError } from './output';

/** Larger than any hand-written prompt; keeps a stray log or dump from being parsed. */
export const MAX_PROMPT_BYTES = 5 * 1024 * 1024;

const SKIPPED_FOLDERS = new Set(['node_modules', '.git']);

export async function readPromptFile(path: string): Promise<string> {
  const info = await stat(path).catch((error: unknown) => {
    throw fileError(path, error);
  });
  if (info.isDirectory()) throw new CliError(`${path}: is a folder, not a .prompt file`);
  if (!info.isFile()) throw new CliError(`${path}: not a regular file`);
  if (info.size > MAX_PROMPT_BYTES) {
    throw new CliError(`${path}: file is too large (${megabytes(info.size)}); .prompt files are limited to ${megabytes(MAX_PROMPT_BYTES)}`);
  }
  const bytes = await readFile(path).catch((error: unknown) => {
    throw fileError(path, error);
  });
  return decodePrompt(path, bytes);
}

function decodePrompt(path: string, bytes: Buffer): string {
  if (bytes.includes(0)) throw new CliError(`${path}: binary file (contains NUL bytes), not a .prompt text file`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CliError(`${path}: not UTF-8 text; save the file as UTF-8`);
  }
  // TextDecoder already drops a leading BOM, as editors do, so columns match what the editor shows.
  return text;
}

/** The files to check for one command-line path: the file itself, or every *.prompt under a folder. */
export async function promptFilesAt(path: string): Promise<string[]> {
  const info = await stat(path).catch((error: unknown) => {
    throw fileError(path, error);
  });
  if (!info.isDirectory()) return [path];
  const files = await walk(path);
  if (files.length === 0) throw new CliError(`${path}: no .prompt files in this folder`);
  return files;
}

async function walk(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true }).catch((error: unknown) => {
    throw fileError(folder, error);
  });
  const found: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const path = join(folder, entry.name);
    // Symlinked folders are not followed: they can loop.
    if (entry.isDirectory() && !SKIPPED_FOLDERS.has(entry.name)) found.push(...(await walk(path)));
    else if (!entry.isDirectory() && entry.name.endsWith('.prompt')) found.push(path);
  }
  return found;
}

function fileError(path: string, error: unknown): CliError {
  const code = (error as NodeJS.ErrnoException).code;
  const reasons: Record<string, string> = {
    ENOENT: 'no such file or folder',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    ENOTDIR: 'a parent path is not a folder',
    ELOOP: 'too many symbolic links',
    ENAMETOOLONG: 'name too long',
  };
  return new CliError(`${path}: ${(code && reasons[code]) ?? `cannot read (${code ?? String(error)})`}`);
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB`;
}
