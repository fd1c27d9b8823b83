// What every test-file feature receives: the document and its parse, built once per (uri, version) by the
// host, and the facts only the host knows (the prompt files beside it, the prompt's variables).

import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range } from 'vscode-languageserver-types';
import type { Span } from '../../core/format/model';
import { parseTestFile } from '../../core/testing/testFile';
import type { TestFile } from '../../core/testing/types';

export interface TestFileContext {
  readonly textDocument: TextDocument;
  readonly testFile: TestFile;
}

export interface TestFileFacts {
  /** `.prompt` files near the test file, as `prompt:` would name them (relative, `/`-separated). */
  readonly promptFiles: readonly string[];
  /** The prompt's variables a conversation's `vars:` may set (not the input, not the memory). */
  readonly variables: readonly string[];
}

export const noTestFileFacts: TestFileFacts = { promptFiles: [], variables: [] };

export function createTestFileContext(textDocument: TextDocument, testFile: TestFile = parseTestFile(textDocument.getText())): TestFileContext {
  return { textDocument, testFile };
}

export function testRangeOf(ctx: TestFileContext, span: Span): Range {
  return { start: ctx.textDocument.positionAt(span.start), end: ctx.textDocument.positionAt(span.end) };
}
