// Run Chat Turn, from the palette, the editor title's ▶, a code lens (args [uri]) or the chat panel's Send
// (args [uri, input]; so can a script or test, and gets the RunTurnResult back). Needs a trusted workspace. The turn shows in the file's chat panel as it
// streams; Cancel in the progress notification or Stop in the panel sends $/cancelRequest, and the server
// leaves the memory untouched.

import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { RunTurnResult, TurnProgress } from '../../server/src/protocol';
import { errorMessage } from './errorMessage';
import type { ChatPanel } from './panel/chatPanel';
import type { ChatPanels } from './panel/chatPanels';
import type { PanelEvent } from './panel/messages';
import { fileNameOf, requirePromptUri } from './promptTarget';
import type { PromptChainServer } from './server';
import { ensureTrusted } from './trust';
import { askTurnInputs, type TurnInputs } from './turnInputs';

export interface TurnRunner {
  server: PromptChainServer;
  panels: ChatPanels;
  /** Workspace state: remembered variable values. */
  remembered: vscode.Memento;
  /**
   * The files (URI strings) with a turn under way, from the trust check through the input boxes to the reply:
   * one turn per file at a time, whether it came from the panel's Send, the palette or a quick second Enter.
   */
  busyFiles: Set<string>;
  /** Called after a turn, whatever its outcome: the stored conversation may have changed. */
  onDidRunTurn(uri: vscode.Uri): void;
}

export async function runChatTurn(runner: TurnRunner, target?: unknown, givenInput?: unknown): Promise<RunTurnResult | undefined> {
  const uri = requirePromptUri(target, 'run a chat turn');
  if (!uri) return undefined;
  const key = uri.toString();
  if (runner.busyFiles.has(key)) {
    sayTurnUnderWay(runner, uri);
    return undefined;
  }
  // Marked before the first await: a second request arriving while this one waits is refused, not run alongside.
  runner.busyFiles.add(key);
  try {
    return await prepareAndRun(runner, uri, typeof givenInput === 'string' ? givenInput : undefined);
  } finally {
    runner.busyFiles.delete(key);
  }
}

function sayTurnUnderWay(runner: TurnRunner, uri: vscode.Uri): void {
  runner.panels.get(uri)?.reveal(true);
  void vscode.window.showInformationMessage(`Prompt Chain: a turn of ${fileNameOf(uri)} is already running; wait for its reply or stop it.`);
}

async function prepareAndRun(runner: TurnRunner, uri: vscode.Uri, givenInput: string | undefined): Promise<RunTurnResult | undefined> {
  if (!(await ensureTrusted('Running a chat turn'))) return undefined;
  const document = await vscode.workspace.openTextDocument(uri);
  const inputs = await askTurnInputs(document, runner.remembered, givenInput);
  if (!inputs) return undefined;
  const panel = runner.panels.show(uri, true);
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Prompt Chain: running a turn of ${fileNameOf(uri)}`, cancellable: true },
    (_progress, token) => runInPanel(runner, panel, uri, inputs, token),
  );
  runner.onDidRunTurn(uri);
  await panel.refreshMemory();
  return result;
}

/** The turn's result, or undefined when it failed or was cancelled (the panel says which). */
async function runInPanel(runner: TurnRunner, panel: ChatPanel, uri: vscode.Uri, inputs: TurnInputs, token: vscode.CancellationToken): Promise<RunTurnResult | undefined> {
  const turnId = randomUUID();
  const cancellation = new vscode.CancellationTokenSource();
  const subscriptions = [
    token.onCancellationRequested(() => cancellation.cancel()),
    runner.server.onTurnProgress(turnId, (progress) => panel.apply(progressEvent(progress))),
    panel.onStop(() => cancellation.cancel()),
  ];
  panel.apply({ type: 'turnStarted', turnId, input: inputs.input });
  try {
    const params = { uri: uri.toString(), input: inputs.input, variables: inputs.variables, turnId };
    const result = await runner.server.runTurn(params, cancellation.token);
    panel.apply({ type: 'turnFinished', turnId, result });
    return result;
  } catch (error) {
    const cancelled = cancellation.token.isCancellationRequested;
    const message = cancelled ? 'Turn cancelled; the conversation memory is unchanged.' : errorMessage(error);
    panel.apply({ type: 'turnFailed', turnId, message, cancelled });
    if (!cancelled) void showTurnError(message);
    return undefined;
  } finally {
    for (const subscription of subscriptions) subscription.dispose();
    cancellation.dispose();
  }
}

/** A rejected or missing key is fixed with Set API Key: offer it right there. */
async function showTurnError(message: string): Promise<void> {
  const setApiKey = 'Set API Key';
  const choice = await vscode.window.showErrorMessage(message, ...(/api key/i.test(message) ? [setApiKey] : []));
  if (choice === setApiKey) await vscode.commands.executeCommand('promptChain.setApiKey');
}

function progressEvent(progress: TurnProgress): PanelEvent {
  return progress.kind === 'prompt'
    ? { type: 'turnPrompt', turnId: progress.turnId, prompt: progress.prompt, messages: progress.messages }
    : { type: 'turnToken', turnId: progress.turnId, text: progress.text };
}
