// The Testing view: the workspace's test files (`*.prompt-test.yaml`) → their conversations → turns, listed
// and run by the language server (promptChain.listTests, promptChain.runTests), never by the client. A
// failing assertion shows once, at its turn and its line in the test file, with expected and actual; each
// turn's LangChain trace goes to the test output under that turn. Every conversation runs in a memory of its
// own: stored conversations are untouched. What is shown is decided in testResults.ts; this file wires it.

import * as vscode from 'vscode';
import { ExecuteCommandRequest } from 'vscode-languageclient/node';
import { Commands, TestRunProgressNotification, type ListTestsResult, type RunTestsParams, type TestRunProgress } from '../../../server/src/protocol';
import { TEST_FILE_SUFFIX, type ConversationOutcome, type TestRunReport } from '../../../core/testing/types';
import type { PromptChainServer } from '../server';
import { ensureTrusted } from '../trust';
import { coalescing } from './coalesce';
import { conversationVerdict, eventItem, parseTestItemId, runSelection, testItemId, traceOutput, type FailureMessage, type TestItemRef } from './testResults';

export function registerTestController(server: PromptChainServer): vscode.Disposable[] {
  const controller = vscode.tests.createTestController('promptChainTests', 'Prompt Chain');
  const watcher = vscode.workspace.createFileSystemWatcher(`**/*${TEST_FILE_SUFFIX}`);
  const fileItem = (uri: vscode.Uri) => controller.items.get(testItemId({ kind: 'file', uri: uri.toString() }));
  const addFile = (uri: vscode.Uri) => {
    const item = controller.createTestItem(testItemId({ kind: 'file', uri: uri.toString() }), vscode.workspace.asRelativePath(uri), uri);
    item.canResolveChildren = true;
    controller.items.add(item);
    return item;
  };
  const relist = coalescing(async (id) => {
    const item = controller.items.get(id);
    if (item) await listItems(server, controller, item).catch(() => undefined);
  });
  controller.resolveHandler = async (item) => {
    if (!item) {
      for (const uri of await vscode.workspace.findFiles(`**/*${TEST_FILE_SUFFIX}`, '**/node_modules/**')) addFile(uri);
      return;
    }
    await relist(item.id);
  };
  watcher.onDidCreate(addFile);
  watcher.onDidDelete((uri) => controller.items.delete(testItemId({ kind: 'file', uri: uri.toString() })));
  const changed = (uri: vscode.Uri) => {
    const item = fileItem(uri);
    if (item) void relist(item.id);
  };
  watcher.onDidChange(changed);
  // The server lists the editor's text, so the tree follows typing, not only saving.
  const editing = vscode.workspace.onDidChangeTextDocument(({ document }) => changed(document.uri));
  controller.createRunProfile('Run', vscode.TestRunProfileKind.Run, (request, token) => runRequest(server, controller, request, token), true);
  return [controller, watcher, editing];
}

/** A file's conversations and turns, as the server parsed them. */
async function listItems(server: PromptChainServer, controller: vscode.TestController, file: vscode.TestItem): Promise<void> {
  const uri = file.uri!;
  const listed = await execute<ListTestsResult>(server, Commands.listTests, { uri: uri.toString() });
  file.error = listed.errors.length > 0 ? listed.errors.map((error) => `line ${error.range.start.line + 1}: ${error.message}`).join('\n') : undefined;
  file.children.replace(
    listed.conversations.map((conversation) => {
      const ref = { kind: 'conversation', uri: uri.toString(), conversation: conversation.name } as const;
      const item = controller.createTestItem(testItemId(ref), conversation.name, uri);
      item.range = rangeOf(conversation.range);
      item.children.replace(
        conversation.turns.map((turn) => {
          const turnItem = controller.createTestItem(testItemId({ ...ref, kind: 'turn', turn: turn.index }), `${turn.index + 1}. ${turn.input}`, uri);
          turnItem.range = rangeOf(turn.range);
          return turnItem;
        }),
      );
      return item;
    }),
  );
}

async function runRequest(server: PromptChainServer, controller: vscode.TestController, request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
  // A run sends the prompts and the API key to the endpoint, as a chat turn does.
  if (!(await ensureTrusted('Running prompt tests'))) return;
  const included = refsOf(request.include ?? [...gather(controller.items)]);
  // Offsets of failing assertions become lines in the text the server ran (the editor's, as the server reads it).
  const documents = new Map<string, vscode.TextDocument>();
  for (const uri of new Set(included.map((ref) => ref.uri))) {
    const file = itemOf(controller, { kind: 'file', uri });
    if (!file?.uri) continue;
    documents.set(uri, await vscode.workspace.openTextDocument(file.uri));
    if (file.children.size === 0) await listItems(server, controller, file).catch(() => undefined);
  }
  const selection = runSelection(included, refsOf(request.exclude ?? []), (uri) => conversationNames(itemOf(controller, { kind: 'file', uri })));
  if (selection.uris.length === 0) return;
  const run = controller.createTestRun(request);
  const runId = `tests-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const client = await server.start();
  const progress = client.onNotification(TestRunProgressNotification, (message: TestRunProgress) => {
    if (message.runId === runId) onEvent(run, controller, documents, message);
  });
  try {
    const params: RunTestsParams = { uris: [...selection.uris], runId, ...(selection.only && { only: [...selection.only] }) };
    const report = await execute<TestRunReport>(server, Commands.runTests, params, token);
    for (const failure of report.fileFailures) {
      const file = itemOf(controller, { kind: 'file', uri: failure.file });
      if (file) run.errored(file, new vscode.TestMessage(failure.problems.map((problem) => problem.message).join('\n')));
    }
  } catch (error) {
    if (!token.isCancellationRequested) {
      for (const uri of selection.uris) {
        const file = itemOf(controller, { kind: 'file', uri });
        if (file) run.errored(file, new vscode.TestMessage(error instanceof Error ? error.message : String(error)));
      }
    }
  } finally {
    progress.dispose();
    run.end();
  }
}

function onEvent(run: vscode.TestRun, controller: vscode.TestController, documents: Map<string, vscode.TextDocument>, { event }: TestRunProgress): void {
  const item = itemOf(controller, eventItem(event));
  if (!item) return;
  if (event.type === 'conversation-started') {
    run.started(item);
    // A turn's verdict waits for its conversation's (a pass_rate can forgive a run), so until then it is queued.
    item.children.forEach((turnItem) => run.enqueued(turnItem));
  } else if (event.type === 'turn-finished') {
    if (event.turn.trace) run.appendOutput(traceOutput(event.turn.trace), undefined, item);
  } else finishConversation(run, item, documents.get(event.outcome.file), event.outcome);
}

function finishConversation(run: vscode.TestRun, item: vscode.TestItem, document: vscode.TextDocument | undefined, outcome: ConversationOutcome): void {
  const turnItems = [...gather(item.children)].flatMap((turnItem) => {
    const ref = parseTestItemId(turnItem.id);
    return ref?.kind === 'turn' ? [{ turnItem, index: ref.turn }] : [];
  });
  const verdict = conversationVerdict(outcome, turnItems.length);
  turnItems.forEach(({ turnItem, index }) => {
    const turn = verdict.turns[index];
    if (turn?.state === 'failed') run.failed(turnItem, turn.messages.map((message) => testMessageOf(message, document)));
    else if (turn?.state === 'passed') run.passed(turnItem);
    else run.skipped(turnItem);
  });
  if (verdict.pass) run.passed(item, outcome.durationMs);
  else run.failed(item, new vscode.TestMessage(verdict.summary ?? 'failed'), outcome.durationMs);
}

function testMessageOf(failure: FailureMessage, document: vscode.TextDocument | undefined): vscode.TestMessage {
  const message = failure.expected !== undefined && failure.actual !== undefined ? vscode.TestMessage.diff(failure.text, failure.expected, failure.actual) : new vscode.TestMessage(failure.text);
  if (document && failure.span) message.location = new vscode.Location(document.uri, new vscode.Range(document.positionAt(failure.span.start), document.positionAt(failure.span.end)));
  return message;
}

/** The items of a request, as refs; ones this controller did not make are left out. */
function refsOf(items: readonly vscode.TestItem[]): TestItemRef[] {
  return items.flatMap((item) => {
    const ref = parseTestItemId(item.id);
    return ref ? [ref] : [];
  });
}

function itemOf(controller: vscode.TestController, ref: TestItemRef): vscode.TestItem | undefined {
  const file = controller.items.get(testItemId({ kind: 'file', uri: ref.uri }));
  if (ref.kind === 'file') return file;
  const conversation = file?.children.get(testItemId({ kind: 'conversation', uri: ref.uri, conversation: ref.conversation }));
  return ref.kind === 'conversation' ? conversation : conversation?.children.get(testItemId(ref));
}

function conversationNames(file: vscode.TestItem | undefined): string[] {
  if (!file) return [];
  return [...gather(file.children)].flatMap((child) => {
    const ref = parseTestItemId(child.id);
    return ref?.kind === 'conversation' ? [ref.conversation] : [];
  });
}

function* gather(collection: vscode.TestItemCollection): Generator<vscode.TestItem> {
  for (const [, item] of collection) yield item;
}

function rangeOf(range: { start: { line: number; character: number }; end: { line: number; character: number } }): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

async function execute<T>(server: PromptChainServer, command: string, argument: object, token?: vscode.CancellationToken): Promise<T> {
  const client = await server.start();
  return (await client.sendRequest(ExecuteCommandRequest.type, { command, arguments: [argument] }, token)) as T;
}
