// Whether a checked test file can run, and what the runner then takes: a file with an error problem (its own
// or one that needs the prompt) does not run and is reported with those problems. The one decider for every
// host that runs test files (the CLI's `test`, the server's runTests).

import type { FileFailure, TestFile } from '../../core/testing/types';
import type { TestFileRun } from '../../core/testing/runTests';
import type { TestFileCheck } from './checkTestFile';

/** `file` is how the host names it in the report (the CLI: the path as typed; the server: the uri). */
export function testFileRunOf(file: string, path: string, test: TestFile, check: TestFileCheck): TestFileRun | FileFailure {
  const errors = [...test.problems, ...check.problems].filter((problem) => problem.severity === 'error');
  if (errors.length > 0 || !check.prompt) return { file, problems: errors };
  return { file, path, test, prompt: check.prompt.prompt, config: check.prompt.config };
}
