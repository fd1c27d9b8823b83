// Which files `prompt-chain test` runs: every test file under the folders given, and the files given
// themselves when they are test files. Any other file is a usage error that says what it is and where its
// tests are (a prompt's test files beside it) or how to write them, before anything runs.

import { readdir } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { parseTestFile } from '../../core/testing/testFile';
import { isTestFilePath, testFileNameFor, testRelativePath } from '../../core/testing/testPaths';
import { TEST_FILE_SUFFIX } from '../../core/testing/types';
import { filesAt, readPromptFile } from './files';
import { CliError, ExitCode } from './output';

/** Every test file under the paths, each once; a path that is not there, holds none or is not one is a usage error. */
export async function testFilesOf(paths: readonly string[]): Promise<string[]> {
  const found = new Map<string, string>();
  for (const path of paths) {
    const files = await filesAt(path, [TEST_FILE_SUFFIX]).catch((error: unknown) => {
      throw error instanceof CliError ? new CliError(error.message, ExitCode.usage) : error;
    });
    for (const file of files) {
      if (!isTestFilePath(file)) throw new CliError(await notATestFile(file), ExitCode.usage);
      if (!found.has(resolve(file))) found.set(resolve(file), file);
    }
  }
  return [...found.values()];
}

async function notATestFile(file: string): Promise<string> {
  if (extname(file) !== '.prompt') return `${file}: not a test file; prompt tests are ${TEST_FILE_SUFFIX} files (see "prompt-chain test --help")`;
  const tests = await testFilesNaming(file);
  if (tests.length > 0) return `${file}: is a prompt, not a test file; its tests are in ${tests.join(', ')}: run "prompt-chain test ${tests[0]}"`;
  const testFile = join(dirname(file), testFileNameFor(basename(file)));
  return `${file}: is a prompt, not a test file; to test it, write ${testFile} beside it with "prompt: ${basename(file)}" and its conversations (docs/prompt-tests.md), then run "prompt-chain test ${testFile}"`;
}

/** The test files in the prompt's folder whose `prompt:` is this prompt, as paths beside the one typed. */
async function testFilesNaming(promptFile: string): Promise<string[]> {
  const folder = dirname(promptFile);
  const names = await readdir(folder).catch(() => [] as string[]);
  const naming: string[] = [];
  for (const name of names.filter(isTestFilePath).sort()) {
    const text = await readPromptFile(join(folder, name)).catch(() => undefined);
    if (text === undefined) continue;
    const prompt = parseTestFile(text).prompt;
    if (prompt !== '' && testRelativePath(resolve(folder, name), prompt) === resolve(promptFile)) naming.push(join(folder, name));
  }
  return naming;
}
