// Where a test file's paths point: `prompt:` and `history:` are relative to the test file's folder. The one
// decider for the language service's checks, the runner and the CLI.

import { dirname, resolve } from 'node:path';
import { TEST_FILE_SUFFIX } from './types';

/** The absolute path of a path written in the test file at `testFilePath` (itself absolute). */
export function testRelativePath(testFilePath: string, written: string): string {
  return resolve(dirname(testFilePath), written);
}

/** Whether a path or URI names a test file (discovery, the server's routing, the client's selector). */
export function isTestFilePath(pathOrUri: string): boolean {
  return pathOrUri.endsWith(TEST_FILE_SUFFIX);
}

/** The test file beside a prompt (`chat.prompt` -> `chat.prompt-test.yaml`): where Save as test writes. */
export function testFileNameFor(promptFileName: string): string {
  const stem = promptFileName.endsWith('.prompt') ? promptFileName.slice(0, -'.prompt'.length) : promptFileName;
  return `${stem}${TEST_FILE_SUFFIX}`;
}
