// promptChain.listTests { uri } -> ListTestsResult: a test file's conversations and turns with their ranges,
// for the Testing view's tree, and the errors that would stop it from running (the editor's diagnostics).

import type { CancellationToken } from 'vscode-languageserver';
import { DiagnosticSeverity } from 'vscode-languageserver';
import { testRangeOf, type TestFileContext } from '../../../service/testing/testFileContext';
import { validateTestFile } from '../../../service/languageService';
import type { ListTestsResult, TestConversationItem } from '../protocol';
import type { PromptServer } from '../server';
import { argumentObject, requiredString } from './arguments';
import { loadTestFileSource } from './testFileSource';

export async function listTestsCommand(server: PromptServer, command: string, args: unknown[] | undefined, _token: CancellationToken): Promise<ListTestsResult> {
  const uri = requiredString(command, argumentObject(command, args), 'uri');
  const { ctx, check } = await loadTestFileSource(server, uri);
  const errors = validateTestFile(ctx, check.problems).filter((diagnostic) => diagnostic.severity === DiagnosticSeverity.Error);
  return { conversations: conversationItems(ctx), errors };
}

function conversationItems(ctx: TestFileContext): TestConversationItem[] {
  return ctx.testFile.conversations.map((conversation) => ({
    name: conversation.name,
    range: testRangeOf(ctx, conversation.span),
    turns: conversation.turns.map((turn, index) => ({ index, input: turn.input, range: testRangeOf(ctx, turn.span) })),
  }));
}
