// Where `prompt-chain test --output` may not write: over a file the run reads (a test file, its prompt, a
// history: file, a baseline) or over any prompt. Decided before the first model call, so a refused run
// costs nothing and overwrites nothing; the same file under another name (a link) is the same file.

import { stat } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { snapshotPathOf } from '../../core/testing/snapshots';
import { isTestFilePath, testRelativePath } from '../../core/testing/testPaths';
import { CliError, ExitCode } from './output';
import type { CheckedTestFile } from './testFile';

/** A file the run reads, and what it is to the run: "a test file being run", "the prompt of chat.prompt-test.yaml". */
export interface RunInput {
  readonly path: string;
  readonly role: string;
}

export async function refuseReportOverInputs(output: string, inputs: readonly RunInput[]): Promise<void> {
  const refuse = (what: string) => new CliError(`${output}: is ${what}; write the report to another file`, ExitCode.usage);
  const outputStat = await stat(output).catch(() => undefined);
  for (const input of inputs) {
    if (resolve(input.path) === resolve(output)) throw refuse(input.role);
    const inputStat = outputStat && (await stat(input.path).catch(() => undefined));
    if (inputStat && outputStat && inputStat.dev === outputStat.dev && inputStat.ino === outputStat.ino) throw refuse(`${input.role} (under another name)`);
  }
  if (extname(output) === '.prompt') throw refuse('a prompt');
  if (isTestFilePath(output)) throw refuse('a test file');
}

/** What the run reads of one test file: the file, its prompt, its history: files and its baselines. */
export function runInputsOf(loaded: CheckedTestFile): RunInput[] {
  const of = (what: string) => `${what} of ${loaded.file}`;
  const histories = loaded.test.conversations.flatMap((conversation) => (conversation.history === undefined ? [] : [testRelativePath(loaded.path, conversation.history)]));
  return [
    testFileInput(loaded.path),
    ...(loaded.check.promptPath === undefined ? [] : [{ path: loaded.check.promptPath, role: of('the prompt') }]),
    ...histories.map((path) => ({ path, role: of('a history file') })),
    { path: snapshotPathOf(loaded.path), role: of('the baselines') },
  ];
}

/** A test file being run, also one that could not be read. */
export function testFileInput(path: string): RunInput {
  return { path, role: 'a test file being run' };
}
