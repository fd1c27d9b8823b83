// Reading a `.prompt` file from disk, the same way in every host (the CLI, the language server): refuse what
// is not a prompt (missing, a folder, huge, binary, not UTF-8) with one line that names the file and says
// what is wrong, e.g. `notes.prompt: binary file (contains NUL bytes), not a .prompt text file`.

import { readFile, stat } from 'node:fs/promises';

/** Larger than any hand-written prompt; keeps a stray log or dump from being parsed. */
export const maxPromptBytes = 5 * 1024 * 1024;

/** A file that cannot be read as a prompt; `message` is the one line to show. */
export class PromptFileError extends Error {
  override readonly name = 'PromptFileError';
}

export async function readPromptFile(path: string): Promise<string> {
  const info = await stat(path).catch((error: unknown) => {
    throw fileSystemError(path, error);
  });
  // Checked before opening: opening a FIFO or a device could block or never end.
  if (info.isDirectory()) throw new PromptFileError(`${path}: is a folder, not a .prompt file`);
  if (!info.isFile()) throw new PromptFileError(`${path}: not a regular file`);
  if (info.size > maxPromptBytes) throw tooLarge(path, info.size);
  const bytes = await readFile(path).catch((error: unknown) => {
    throw fileSystemError(path, error);
  });
  // The file may have grown since stat.
  if (bytes.length > maxPromptBytes) throw tooLarge(path, bytes.length);
  return decodePrompt(path, bytes);
}

/** `path: reason` for a failed file system call, e.g. `notes.prompt: no such file or folder`. */
export function fileSystemError(path: string, error: unknown): PromptFileError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return new PromptFileError(`${path}: ${(code && errnoReasons.get(code)) ?? `cannot read (${code ?? String(error)})`}`);
}

const errnoReasons = new Map([
  ['ENOENT', 'no such file or folder'],
  ['EACCES', 'permission denied'],
  ['EPERM', 'permission denied'],
  ['ENOTDIR', 'a parent path is not a folder'],
  ['ELOOP', 'too many symbolic links'],
  ['ENAMETOOLONG', 'name too long'],
  ['EISDIR', 'is a folder, not a .prompt file'],
]);

function decodePrompt(path: string, bytes: Buffer): string {
  if (bytes.includes(0)) throw new PromptFileError(`${path}: binary file (contains NUL bytes), not a .prompt text file`);
  try {
    // Drops a leading BOM, as editors do, so columns match what the editor shows.
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new PromptFileError(`${path}: not UTF-8 text; save the file as UTF-8`);
  }
}

function tooLarge(path: string, bytes: number): PromptFileError {
  return new PromptFileError(`${path}: file is too large (${megabytes(bytes)}); .prompt files are limited to ${megabytes(maxPromptBytes)}`);
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB`;
}
