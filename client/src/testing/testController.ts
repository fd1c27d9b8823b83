// The Testing view: the workspace's test files (`*.prompt-test.yaml`) → their conversations → turns, listed
// and run by the language server (promptChain.listTests, promptChain.runTests), never by the client. A
// failing assertion shows at its line in the test file with expected and actual; each turn's LangChain trace
// goes to the test output. Every conversation runs in a memory of its own: stored conversations are untouched.

import * as vscode from 'vscode';
import { ExecuteCommandRequest } from 'vscode-languageclient/node';
import { Commands, TestRunProgressNotification, type ListTestsResult, type RunTestsParams, type TestRunProgress } from '../../../server/src/protocol';
import { TEST_FILE_SUFFIX, type ConversationOutcome, type TestRunReport, type TurnOutcome } from '../../../core/testing/types';
import type { PromptChainServer } from '../server';
import { ensureTrusted } from '../trust';

const conversationId = (uri: string, name: string) => `${uri}\u0000${name}`;

export function registerTestController(server: PromptChainServer): vscode.Disposable[] {
  const controller = vscode.tests.createTestController('promptChainTests', 'Prompt Chain');
  const watcher = vscode.workspace.createFileSystemWatcher(`**/*${TEST_FILE_SUFFIX}`);
  const addFile = (uri: vscode.Uri) => {
    const item = controller.createTestItem(uri.toString(), vscode.workspace.asRelativePath(uri), uri);
    item.canResolveChildren = true;
    controller.items.add(item);
    return item;
  };
  controller.resolveHandler = async (item) => {
    if (!item) {
      for (const uri of await vscode.workspace.findFiles(`**/*${TEST_FILE_SUFFIX}`, '**/node_modules/**')) addFile(uri);
      return;
    }
    await listItems(server, controller, item);
  };
  watcher.onDidCreate(addFile);
  watcher.onDidDelete((uri) => controller.items.delete(uri.toString()));
  watcher.onDidChange((uri) => {
    const item = controller.items.get(uri.toString());
    if (item) void listItems(server, controller, item);
  });
  controller.createRunProfile('Run', vscode.TestRunProfileKind.Run, (request, token) => runRequest(server, controller, request, token), true);
  return [controller, watcher];
}

/** A file's conversations and turns, as the server parsed them. */
async function listItems(server: PromptChainServer, controller: vscode.TestController, file: vscode.TestItem): Promise<void> {
  const listed = await execute<ListTestsResult>(server, Commands.listTests, { uri: file.id });
  const uri = file.uri!;
  file.error = listed.errors.length > 0 ? listed.errors.map((error) => `line ${error.range.start.line + 1}: ${error.message}`).join('\n') : undefined;
  file.children.replace(
    listed.conversations.map((conversation) => {
      const item = controller.createTestItem(conversationId(file.id, conversation.name), conversation.name, uri);
      item.range = rangeOf(conversation.range);
      item.children.replace(
        conversation.turns.map((turn) => {
          const turnItem = controller.createTestItem(`${item.id}\u0000${turn.index}`, `${turn.index + 1}. ${turn.input}`, uri);
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
  const run = controller.createTestRun(request);
  const files = new Map<string, vscode.TestItem>();
  // Offsets of failing assertions become lines in the text the server ran (the editor's, as the server reads it).
  const documents = new Map<string, vscode.TextDocument>();
  const only: { uri: string; conversation: string }[] = [];
  const whole = new Set<string>();
  const included = request.include ?? [...gather(controller.items)];
  for (const item of included) {
    const file = fileOf(item);
    files.set(file.id, file);
    if (!documents.has(file.id)) documents.set(file.id, await vscode.workspace.openTextDocument(file.uri!));
    if (file.children.size === 0) await listItems(server, controller, file).catch(() => undefined);
    if (item === file) whole.add(file.id);
    else only.push({ uri: file.id, conversation: conversationOf(item).label });
  }
  const runId = `tests-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const client = await server.start();
  const progress = client.onNotification(TestRunProgressNotification, (message: TestRunProgress) => {
    if (message.runId === runId) onEvent(run, files, documents, message);
  });
  try {
    const refs = only.filter((ref) => !whole.has(ref.uri));
    const params: RunTestsParams = { uris: [...files.keys()], runId, ...(refs.length > 0 && whole.size === 0 && { only: refs }) };
    const report = await execute<TestRunReport>(server, Commands.runTests, params, token);
    for (const failure of report.fileFailures) {
      const file = files.get(failure.file);
      if (file) run.errored(file, new vscode.TestMessage(failure.problems.map((problem) => problem.message).join('\n')));
    }
  } catch (error) {
    if (!token.isCancellationRequested) for (const file of files.values()) run.errored(file, new vscode.TestMessage(error instanceof Error ? error.message : String(error)));
  } finally {
    progress.dispose();
    run.end();
  }
}

function onEvent(run: vscode.TestRun, files: Map<string, vscode.TestItem>, documents: Map<string, vscode.TextDocument>, { event }: TestRunProgress): void {
  if (event.type === 'conversation-started') {
    const item = files.get(event.file)?.children.get(conversationId(event.file, event.conversation));
    if (item) run.started(item);
  } else if (event.type === 'turn-finished') {
    const item = files.get(event.file)?.children.get(conversationId(event.file, event.conversation));
    if (event.turn.trace) run.appendOutput(event.turn.trace.replace(/\r?\n/g, '\r\n'), undefined, item);
  } else {
    finishConversation(run, files, documents.get(event.outcome.file), event.outcome);
  }
}

function finishConversation(run: vscode.TestRun, files: Map<string, vscode.TestItem>, document: vscode.TextDocument | undefined, outcome: ConversationOutcome): void {
  const file = files.get(outcome.file);
  const item = file?.children.get(conversationId(outcome.file, outcome.conversation));
  if (!file || !item || !document) return;
  const failures: vscode.TestMessage[] = [];
  item.children.forEach((turnItem) => {
    const index = Number(turnItem.id.split('\u0000').at(-1));
    const turns = outcome.attempts.map((attempt) => attempt.turns[index]).filter((turn): turn is TurnOutcome => turn !== undefined);
    const messages = turns.flatMap((turn) => messagesOf(turn, document));
    if (turns.length === 0) run.skipped(turnItem);
    else if (messages.length > 0) run.failed(turnItem, messages);
    else run.passed(turnItem);
    failures.push(...messages);
  });
  if (outcome.pass) run.passed(item, outcome.durationMs);
  else run.failed(item, failures.length > 0 ? failures : [new vscode.TestMessage(`passed ${Math.round(outcome.passRate * 100)}% of its runs`)], outcome.durationMs);
}

/** Each failing assertion at its place in the test file, with expected and actual; a failed turn with its reason. */
function messagesOf(turn: TurnOutcome, document: vscode.TextDocument): vscode.TestMessage[] {
  if (turn.failure) return [new vscode.TestMessage(turn.failure.message)];
  return turn.assertions
    .filter((assertion) => !assertion.pass)
    .map((assertion) => {
      const message = assertion.expected !== undefined && assertion.actual !== undefined ? vscode.TestMessage.diff(assertion.message, assertion.expected, assertion.actual) : new vscode.TestMessage(assertion.message + (assertion.reasoning ? `\n${assertion.reasoning}` : ''));
      const { span } = assertion.assertion;
      message.location = new vscode.Location(document.uri, new vscode.Range(document.positionAt(span.start), document.positionAt(span.end)));
      return message;
    });
}

function* gather(collection: vscode.TestItemCollection): Generator<vscode.TestItem> {
  for (const [, item] of collection) yield item;
}

function fileOf(item: vscode.TestItem): vscode.TestItem {
  let current = item;
  while (current.parent) current = current.parent;
  return current;
}

function conversationOf(item: vscode.TestItem): vscode.TestItem {
  return item.parent?.parent ? item.parent : item;
}

function rangeOf(range: { start: { line: number; character: number }; end: { line: number; character: number } }): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

async function execute<T>(server: PromptChainServer, command: string, argument: object, token?: vscode.CancellationToken): Promise<T> {
  const client = await server.start();
  return (await client.sendRequest(ExecuteCommandRequest.type, { command, arguments: [argument] }, token)) as T;
}
