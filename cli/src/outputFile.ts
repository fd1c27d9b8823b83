// Writing what `export` and `import` produce: the exact text (no terminal escaping: that is for stdout),
// never over the file being read, and over another file only when the command allows it.

import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CliError } from './output';

export interface OutputFile {
  path: string;
  /** The file the command read: never its own output. */
  source: string;
  /** Replace an existing file (`import --force`; `export -o` always does, as compilers do). */
  overwrite: boolean;
  /** How to replace an existing file, said when it is refused: "--force". */
  overwriteFlag?: string;
}

export async function writeOutputFile(output: OutputFile, text: string): Promise<void> {
  if (resolve(output.path) === resolve(output.source)) throw new CliError(`${output.path}: is the file being read; write to another file`);
  // `wx` refuses an existing file in the same call that creates it: no window for another process.
  await writeFile(output.path, text, { flag: output.overwrite ? 'w' : 'wx' }).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new CliError(`${output.path}: already exists; name another file with -o OUT, or replace it with ${output.overwriteFlag ?? '--force'}`);
    }
    throw new CliError(`${output.path}: ${writeFailure(error)}`);
  });
}

const writeReasons = new Map([
  ['ENOENT', 'its folder does not exist'],
  ['ENOTDIR', 'a parent path is not a folder'],
  ['EISDIR', 'is a folder; name a file'],
  ['EACCES', 'permission denied'],
  ['EPERM', 'permission denied'],
  ['EROFS', 'read-only file system'],
  ['ENOSPC', 'the disk is full'],
]);

function writeFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return (code && writeReasons.get(code)) ?? `cannot write (${code ?? String(error)})`;
}

/** What the target format or the `.prompt` file cannot hold, one stderr line each. */
export function notCarriedLines(notCarried: readonly string[]): string {
  return notCarried.map((line) => `not carried: ${line}\n`).join('');
}
