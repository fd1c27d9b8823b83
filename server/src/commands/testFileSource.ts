// The test file a Testing-view command acts on: the editor's text when it is open (the version the editor
// shows, parsed once by the server's TestFiles), else the file on disk; checked against its prompt as the
// editor's diagnostics are.

import { TextDocument } from 'vscode-languageserver-textdocument';
import { createTestFileContext, type TestFileContext } from '../../../service/languageService';
import type { TestFileCheck } from '../../../service/testing/checkTestFile';
import type { PromptServer } from '../server';
import { readSourceText } from './promptSource';

export interface TestFileSource {
  readonly ctx: TestFileContext;
  readonly check: TestFileCheck;
}

export async function loadTestFileSource(server: PromptServer, uri: string): Promise<TestFileSource> {
  const ctx = server.testFiles.context(uri) ?? createTestFileContext(TextDocument.create(uri, 'yaml', 0, await readSourceText(server, uri)));
  return { ctx, check: await server.testFiles.check(ctx) };
}
