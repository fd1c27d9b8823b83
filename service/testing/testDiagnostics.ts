// Diagnostics of a test file: its own problems (parseTestFile) and those that need the prompt
// (checkTestFile), one to one with their codes; messages as plain text, like every diagnostic's.

import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import type { TestFileProblem } from '../../core/testing/types';
import { diagnosticSource } from '../diagnostics';
import { plainText } from '../plainText';
import { testRangeOf, type TestFileContext } from './testFileContext';

export function validateTestFile(ctx: TestFileContext, checked: readonly TestFileProblem[]): Diagnostic[] {
  return [...ctx.testFile.problems, ...checked].map((problem) => ({
    range: testRangeOf(ctx, problem.span),
    severity: problem.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    code: problem.code,
    source: diagnosticSource,
    message: plainText(problem.message),
  }));
}
