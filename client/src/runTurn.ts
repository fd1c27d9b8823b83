// Running chat turns. There is one way in for a person: ▶ in the editor title, the code lens and the palette's
// Run Chat Turn (no input) bring them to the file's chat panel, whose Send runs the turn; Retry and Edit and
// resend run the last turn again. A script or test may pass the input (args [uri, input]) and gets the
// RunTurnResult back. Needs a trusted workspace. The turn streams into the panel, which shows its progress
// and Stop; a notification shows it only when the turn was started elsewhere and the panel is hidden. Stop
// sends $/cancelRequest, and the server leaves the memory untouched.

import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { RunTurnParams, RunTurnResult, TurnInputsResult, TurnProgress } from '../../server/src/protocol';
import { failureOf, type Failure } from './errorMessage';
import { failureActions, failureSentence, type FailureAction } from './failureActions';
import { problemsNotice, refusedProblems } from './fileProblems';
import type { ChatPanel, PanelSend } from './panel/chatPanel';
import type { ChatPanels } from './panel/chatPanels';
import type { InputsView, Notice, PanelEvent } from './panel/messages';
import { resendPlan, type ResendPlan } from './panel/session';
import { fileNameOf, requirePromptUri } from './promptTarget';
import type { PromptChainServer } from './server';
import { turnInputs } from './serverRequests';
import { ensureTrusted } from './trust';
import { inputsView, rememberedValues, rememberValues, turnRefusal, turnVariables } from './turnInputs';

export interface TurnRunner {
  server: PromptChainServer;
  panels: ChatPanels;
  /** Workspace state: remembered variable values. */
  remembered: vscode.Memento;
  /**
   * The files (URI strings) with a turn under way, from the trust check to the reply: one turn per file at a
   * time, whether it came from the panel's Send, Retry, a script or a quick second Enter.
   */
  busyFiles: Set<string>;
  /** Called after a turn, whatever its outcome: the stored conversation may have changed. */
  onDidRunTurn(uri: vscode.Uri): void;
}

/** Where a turn was asked for: the panel's own controls, or a command given the input (a script, a test). */
type TurnOrigin = 'panel' | 'command';

interface TurnRequest {
  input: string;
  /** The form's values (panel), else this file's remembered ones. */
  values?: Record<string, string>;
  /** Retry / Edit and resend: what the new turn replaces. */
  plan?: Omit<ResendPlan, 'input'>;
  origin: TurnOrigin;
}

/** Run Chat Turn: without an input, focus the panel's input box; with one, run it. */
export async function runChatTurn(runner: TurnRunner, target?: unknown, givenInput?: unknown): Promise<RunTurnResult | undefined> {
  const uri = requirePromptUri(target, 'run a chat turn');
  if (!uri) return undefined;
  if (typeof givenInput === 'string') return runTurnOf(runner, uri, { input: givenInput, origin: 'command' });
  if (await ensureTrusted('Running a chat turn')) runner.panels.show(uri, false).focusInput();
  return undefined;
}

/** The panel's Send: a new turn, or (editLast) the edited last input in place of the last turn. */
export async function sendFromPanel(runner: TurnRunner, panel: ChatPanel, send: PanelSend): Promise<void> {
  await rememberValues(runner.remembered, panel.uri.toString(), send.variables);
  const plan = send.editLast ? resendPlan(panel.state) : undefined;
  await runTurnOf(runner, panel.uri, { input: send.input, values: send.variables, plan, origin: 'panel' });
}

/** Retry: the last input again; a completed last turn is replaced once the new reply is complete. */
export async function retryLastTurn(runner: TurnRunner, panel: ChatPanel): Promise<void> {
  const plan = resendPlan(panel.state);
  if (!plan) return panel.say({ message: 'There is no turn to retry since the conversation was cleared.', actions: [] });
  await runTurnOf(runner, panel.uri, { input: plan.input, plan, origin: 'panel' });
}

/** Carries out what the panel (or a notification) offered for a failure. */
export async function runFailureAction(runner: TurnRunner, panel: ChatPanel, action: FailureAction): Promise<void> {
  switch (action.id) {
    case 'setApiKey':
      return void (await vscode.commands.executeCommand('promptChain.setApiKey'));
    case 'openSettings':
      return void (await vscode.commands.executeCommand('workbench.action.openSettings', action.setting));
    case 'selectModel':
      return void (await vscode.commands.executeCommand('promptChain.selectModel', panel.uri));
    case 'showProblems':
      return void (await vscode.commands.executeCommand('workbench.actions.view.problems'));
    case 'retry':
      return retryLastTurn(runner, panel);
    case 'pickSession':
      return void (await vscode.commands.executeCommand('promptChain.pickHistorySession', panel.uri));
    case 'installLocalRuntime':
      return void (await vscode.commands.executeCommand('promptChain.installLocalRuntime'));
  }
}

/** What the panel shows about the next turn: the server's answer with this file's remembered values. */
export async function panelInputs(runner: TurnRunner, uri: vscode.Uri): Promise<InputsView | undefined> {
  const result = await turnInputsOrNone(runner, uri);
  return result && inputsView(result, rememberedValues(runner.remembered, uri.toString()));
}

/** The server's answer, or undefined when it cannot give one (it is starting over, or predates the request). */
function turnInputsOrNone(runner: TurnRunner, uri: vscode.Uri): Promise<TurnInputsResult | undefined> {
  return turnInputs(runner.server, uri).catch(() => undefined);
}

async function runTurnOf(runner: TurnRunner, uri: vscode.Uri, request: TurnRequest): Promise<RunTurnResult | undefined> {
  const key = uri.toString();
  if (runner.busyFiles.has(key)) {
    sayTurnUnderWay(runner, uri);
    return undefined;
  }
  // Marked before the first await: a second request arriving while this one waits is refused, not run alongside.
  runner.busyFiles.add(key);
  try {
    return await prepareAndRun(runner, uri, request);
  } finally {
    runner.busyFiles.delete(key);
  }
}

function sayTurnUnderWay(runner: TurnRunner, uri: vscode.Uri): void {
  const message = `A turn of ${fileNameOf(uri)} is already running; wait for its reply or stop it.`;
  const panel = runner.panels.get(uri);
  if (panel?.visible) panel.say({ message, actions: [] });
  else void vscode.window.showInformationMessage(`Prompt Chain: ${message}`);
}

async function prepareAndRun(runner: TurnRunner, uri: vscode.Uri, request: TurnRequest): Promise<RunTurnResult | undefined> {
  const existing = runner.panels.get(uri);
  if (!(await ensureTrusted('Running a chat turn'))) {
    existing?.say({ message: 'Running a chat turn needs a trusted workspace. Nothing was sent.', actions: [] });
    return undefined;
  }
  const panel = request.origin === 'panel' ? runner.panels.show(uri, true) : runner.panels.existingOrNew(uri);
  await panel.whenHistoryLoaded();
  const ready = await readyToSend(runner, panel, request);
  if (!ready) return undefined;
  const result = await runWithProgress(runner, panel, request, ready.variables);
  runner.onDidRunTurn(uri);
  await panel.refreshMemory();
  return result;
}

/**
 * The variables a run from the panel other than a turn takes (Compare models, Replay, Save as test), checked
 * and remembered as a turn's are; undefined when the file has errors or a value is missing (the panel says which).
 */
export async function panelVariables(runner: TurnRunner, panel: ChatPanel, values: Record<string, string>): Promise<Record<string, string> | undefined> {
  await rememberValues(runner.remembered, panel.uri.toString(), values);
  return (await readyToSend(runner, panel, { input: '', values, origin: 'panel' }))?.variables;
}

/**
 * Asks the server what the turn needs; refuses it in the panel (nothing sent) when the file has errors or
 * a needed value is missing. When the server cannot say, the turn goes with the values given and the
 * server, which checks again, has the last word.
 */
async function readyToSend(runner: TurnRunner, panel: ChatPanel, request: TurnRequest): Promise<{ variables: Record<string, string> } | undefined> {
  const uri = panel.uri.toString();
  const values = request.values ?? rememberedValues(runner.remembered, uri);
  const inputs = await turnInputsOrNone(runner, panel.uri);
  if (!inputs) return { variables: values };
  panel.apply({ type: 'inputs', inputs: inputsView(inputs, rememberedValues(runner.remembered, uri)) });
  const refusal = turnRefusal(inputs, values, fileNameOf(panel.uri));
  if (!refusal) return { variables: turnVariables(inputs, values) };
  refuse(panel, refusal, request.origin);
  return undefined;
}

function refuse(panel: ChatPanel, notice: Notice, origin: TurnOrigin): void {
  panel.say(notice);
  if (origin === 'command' && !panel.visible) void offerInNotification(panel, notice.message, notice.actions);
}

/** In the panel; in a notification (with Cancel) only for a turn started elsewhere while the panel is hidden. */
function runWithProgress(runner: TurnRunner, panel: ChatPanel, request: TurnRequest, variables: Record<string, string>): Promise<RunTurnResult | undefined> {
  if (request.origin === 'panel' || panel.visible) return runInPanel(runner, panel, request, variables);
  const progress = { location: vscode.ProgressLocation.Notification, title: `Prompt Chain: running a turn of ${fileNameOf(panel.uri)}`, cancellable: true };
  return Promise.resolve(vscode.window.withProgress(progress, (_progress, token) => runInPanel(runner, panel, request, variables, token)));
}

/** The turn's result, or undefined when it failed, was refused or was cancelled (the panel says which). */
async function runInPanel(runner: TurnRunner, panel: ChatPanel, request: TurnRequest, variables: Record<string, string>, token?: vscode.CancellationToken): Promise<RunTurnResult | undefined> {
  const turnId = randomUUID();
  const cancellation = new vscode.CancellationTokenSource();
  const subscriptions = [
    runner.server.onTurnProgress(turnId, (progress) => panel.apply(progressEvent(progress))),
    panel.onStop(() => cancellation.cancel()),
    ...(token ? [token.onCancellationRequested(() => cancellation.cancel())] : []),
  ];
  const { plan } = request;
  panel.apply({ type: 'turnStarted', turnId, input: request.input, replaces: plan?.replaces, retracts: plan?.retracts });
  try {
    const params: RunTurnParams = { uri: panel.uri.toString(), input: request.input, variables, turnId, ...(plan?.replaceLast && { replaceLast: plan.replaceLast }) };
    const result = await runner.server.runTurn(params, cancellation.token);
    panel.apply({ type: 'turnFinished', turnId, result });
    return result;
  } catch (error) {
    turnFailed(panel, turnId, cancellation.token.isCancellationRequested ? undefined : failureOf(error), request.origin);
    return undefined;
  } finally {
    for (const subscription of subscriptions) subscription.dispose();
    cancellation.dispose();
  }
}

/** `failure` undefined: the user stopped the turn. */
function turnFailed(panel: ChatPanel, turnId: string, failure: Failure | undefined, origin: TurnOrigin): void {
  if (!failure || failure.data?.kind === 'cancelled') {
    panel.apply({ type: 'turnFailed', turnId, message: 'Turn cancelled; the conversation memory is unchanged.', cancelled: true, actions: [] });
    return;
  }
  const problems = refusedProblems(failure);
  if (problems !== undefined) {
    const notice = problemsNotice(fileNameOf(panel.uri), problems, 'turn');
    panel.apply({ type: 'turnRefused', turnId, notice });
    if (origin === 'command' && !panel.visible) void offerInNotification(panel, notice.message, notice.actions);
    return;
  }
  const message = failureSentence(failure.message, failure.data);
  const actions = failureActions(failure.data);
  panel.apply({ type: 'turnFailed', turnId, message, cancelled: false, actions });
  if (!panel.visible) void offerInNotification(panel, message, actions);
}

/** The panel is out of sight: the same message and actions as an error notification, acted on through the panel. */
async function offerInNotification(panel: ChatPanel, message: string, actions: readonly FailureAction[]): Promise<void> {
  const choice = await vscode.window.showErrorMessage(message, ...actions.map((action) => action.label));
  const action = actions.find((offered) => offered.label === choice);
  if (action) panel.requestAction(action.id);
}

function progressEvent(progress: TurnProgress): PanelEvent {
  return progress.kind === 'prompt'
    ? { type: 'turnPrompt', turnId: progress.turnId, prompt: progress.prompt, messages: progress.messages }
    : { type: 'turnToken', turnId: progress.turnId, text: progress.text };
}
