// A `.prompt-test.yaml` file as the CLI's commands see it: read with the shared reader, parsed, checked
// against its prompt with the language server's checks, and its problems in the CLI's 1-based form with
// the server's plain-text messages. `check` prints them; `test` prints them and runs what can run.

import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseTestFile } from '../../core/testing/testFile';
import type { TestFile } from '../../core/testing/types';
import { checkTestFile, type TestFileCheck } from '../../service/testing/checkTestFile';
import { diskTestFileHost } from '../../service/testing/diskHost';
import { createTestFileContext } from '../../service/testing/testFileContext';
import { validateTestFile } from '../../service/testing/testDiagnostics';
import { defaultServiceSettings } from '../../service/context';
import { readPromptFile } from './files';
import type { FileDiagnostic } from './output';
import { byPosition, toFileDiagnostic } from './prompt';

export interface CheckedTestFile {
  /** As typed on the command line. */
  readonly file: string;
  readonly path: string;
  readonly test: TestFile;
  readonly check: TestFileCheck;
  readonly diagnostics: readonly FileDiagnostic[];
}

/** Throws a CliError when the file cannot be read (missing, binary, huge). */
export async function loadTestFile(file: string): Promise<CheckedTestFile> {
  const path = resolve(file);
  const document = TextDocument.create(pathToFileURL(path).href, 'yaml', 1, await readPromptFile(file));
  const test = parseTestFile(document.getText());
  const check = await checkTestFile(test, path, diskTestFileHost({ ...defaultServiceSettings, host: 'cli' }));
  const diagnostics = validateTestFile(createTestFileContext(document, test), check.problems).map((diagnostic) => toFileDiagnostic(file, diagnostic));
  return { file, path, test, check, diagnostics: diagnostics.sort(byPosition) };
}
