// The chat panel's Compare models…, Replay conversation with… and Save as test. Compare and Replay run in
// the server (promptChain.compareModels / replayConversation), which reads the stored conversation and never
// writes it; each result fills its cell as it comes (ComparisonProgress), and Stop cancels. They need a
// trusted workspace, as a turn does, and share the file's one-thing-at-a-time guard with turns. Save as test
// writes the test file (through the editor when it is open) and the snapshot baseline the server computed.

import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { isLone } from '../../core/chain/entries';
import type { Turn } from '../../core/chain/types';
import { maxComparedModels, type ComparisonProgress, type SaveAsTestResult } from '../../server/src/protocol';
import { failureOf } from './errorMessage';
import { failureSentence } from './failureActions';
import { problemsNotice, refusedProblems } from './fileProblems';
import { pickModel, pickModels } from './modelPicker';
import type { ChatPanel } from './panel/chatPanel';
import { modelCell, modelsComparison, replayCell, replayComparison } from './panel/comparisonCells';
import type { ComparisonEntry } from './panel/messages';
import { fileNameOf } from './promptTarget';
import { panelVariables, type TurnRunner } from './runTurn';
import { ensureTrusted } from './trust';

/** Compare models…: the input box's text on the models the user picks, side by side. */
export async function compareInPanel(runner: TurnRunner, panel: ChatPanel, input: string, values: Record<string, string>): Promise<void> {
  if (input.trim() === '') return panel.say({ message: 'Type the input to compare in the box first: Compare models runs it on each model you pick, and memory is not touched.', actions: [] });
  await exclusively(runner, panel, 'Comparing models', async () => {
    const models = await pickModels(runner.server, panel.uri, 'Compare models');
    if (!models || models.length === 0) return;
    if (models.length > maxComparedModels) return panel.say({ message: `Pick at most ${maxComparedModels} models to compare at once (${models.length} were picked).`, actions: [] });
    const variables = await panelVariables(runner, panel, values);
    if (!variables) return;
    await panel.whenHistoryLoaded();
    const comparison = modelsComparison(randomUUID(), input, models);
    await runComparison(runner, panel, comparison, (progress) => progress.kind === 'reply' && cellEvent(comparison, 0, progress.column, modelCell(progress.reply)), (runId, token) =>
      runner.server.compareModels({ uri: panel.uri.toString(), input, variables, models, runId }, token),
    );
  });
}

/** Replay conversation with…: the stored turns again on the model the user picks (the file's own: the prompt as edited). */
export async function replayInPanel(runner: TurnRunner, panel: ChatPanel, values: Record<string, string>): Promise<void> {
  await exclusively(runner, panel, 'Replaying a conversation', async () => {
    await panel.refreshMemory();
    const turns = (panel.state.memory?.turns ?? []).filter((entry): entry is Turn => !isLone(entry));
    if (turns.length === 0) return panel.say({ message: `${fileNameOf(panel.uri)} has no stored turn to replay: send a message first.`, actions: [] });
    const picked = await pickModel(runner.server, panel.uri, 'Replay conversation with');
    if (!picked?.model) return;
    const { model, current } = picked;
    const variables = await panelVariables(runner, panel, values);
    if (!variables) return;
    const comparison = replayComparison(randomUUID(), turns, model, model === current);
    await runComparison(runner, panel, comparison, (progress) => progress.kind === 'turn' && cellEvent(comparison, progress.turn.index, 1, replayCell(progress.turn)), (runId, token) =>
      runner.server.replayConversation({ uri: panel.uri.toString(), model, variables, runId }, token),
    );
  });
}

/** Save as test: the stored conversation into the prompt's test file, then the test file opened. */
export async function saveAsTestFromPanel(runner: TurnRunner, panel: ChatPanel, values: Record<string, string>): Promise<void> {
  const variables = await panelVariables(runner, panel, values);
  if (!variables) return;
  let saved: SaveAsTestResult;
  try {
    saved = await runner.server.saveAsTest({ uri: panel.uri.toString(), variables });
  } catch (error) {
    return panel.say({ message: failureOf(error).message, actions: [] });
  }
  await writeSavedTest(saved);
  const left = saved.leftOut > 0 ? ` ${saved.leftOut} lone ${saved.leftOut === 1 ? 'message' : 'messages'} of the shared history ${saved.leftOut === 1 ? 'was' : 'were'} left out.` : '';
  const turns = `${saved.turns} ${saved.turns === 1 ? 'turn' : 'turns'}`;
  panel.say({ message: `Saved as test "${saved.conversation}" in ${fileNameOf(vscode.Uri.parse(saved.testFile.uri))}: ${turns}, each with a snapshot of its reply. Run it from the Testing view.${left}`, actions: [] });
  await vscode.window.showTextDocument(vscode.Uri.parse(saved.testFile.uri), { viewColumn: vscode.ViewColumn.One, preview: false });
}

/** The baseline first, then the test file (through its open editor, so nothing typed there is lost), saved. */
async function writeSavedTest(saved: SaveAsTestResult): Promise<void> {
  const snapshot = vscode.Uri.parse(saved.snapshotFile.uri);
  await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(snapshot, '..'));
  await vscode.workspace.fs.writeFile(snapshot, Buffer.from(saved.snapshotFile.text, 'utf8'));
  const testUri = vscode.Uri.parse(saved.testFile.uri);
  const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === testUri.toString());
  if (!open) return vscode.workspace.fs.writeFile(testUri, Buffer.from(saved.testFile.text, 'utf8'));
  const edit = new vscode.WorkspaceEdit();
  edit.replace(testUri, new vscode.Range(open.positionAt(0), open.positionAt(open.getText().length)), saved.testFile.text);
  if (await vscode.workspace.applyEdit(edit)) await open.save();
}

/** One thing at a time per file (turns included), in a trusted workspace only. */
async function exclusively(runner: TurnRunner, panel: ChatPanel, action: string, run: () => Promise<void>): Promise<void> {
  const key = panel.uri.toString();
  if (runner.busyFiles.has(key)) return panel.say({ message: `Something is already running for ${fileNameOf(panel.uri)}; wait for it or stop it.`, actions: [] });
  runner.busyFiles.add(key);
  try {
    if (!(await ensureTrusted(action))) return panel.say({ message: `${action} needs a trusted workspace. Nothing was sent.`, actions: [] });
    await run();
  } finally {
    runner.busyFiles.delete(key);
  }
}

type CellEvent = Parameters<ChatPanel['apply']>[0];

function cellEvent(comparison: ComparisonEntry, row: number, column: number, cell: ReturnType<typeof modelCell>): CellEvent {
  return { type: 'comparisonCell', id: comparison.id, row, column, cell };
}

/** Starts the entry, fills it from the progress, ends it with the answer (or the failure), Stop cancelling it. */
async function runComparison(
  runner: TurnRunner,
  panel: ChatPanel,
  comparison: ComparisonEntry,
  cellOf: (progress: ComparisonProgress) => CellEvent | false,
  request: (runId: string, token: vscode.CancellationToken) => Promise<unknown>,
): Promise<void> {
  const runId = randomUUID();
  const cancellation = new vscode.CancellationTokenSource();
  const subscriptions = [
    runner.server.onComparisonProgress(runId, (progress) => {
      const event = cellOf(progress);
      if (event) panel.apply(event);
    }),
    panel.onStop(() => cancellation.cancel()),
  ];
  panel.apply({ type: 'comparisonStarted', comparison });
  try {
    await request(runId, cancellation.token);
    panel.apply({ type: 'comparisonEnded', id: comparison.id, status: 'done' });
  } catch (error) {
    comparisonFailed(panel, comparison, cancellation.token.isCancellationRequested ? undefined : error);
  } finally {
    for (const subscription of subscriptions) subscription.dispose();
    cancellation.dispose();
  }
}

/** `error` undefined: the user stopped it. */
function comparisonFailed(panel: ChatPanel, comparison: ComparisonEntry, error: unknown): void {
  const failure = error === undefined ? undefined : failureOf(error);
  if (!failure || failure.data?.kind === 'cancelled') {
    return panel.apply({ type: 'comparisonEnded', id: comparison.id, status: 'cancelled', error: 'Stopped; memory was not touched.' });
  }
  const problems = refusedProblems(failure);
  if (problems !== undefined) panel.say(problemsNotice(fileNameOf(panel.uri), problems, 'comparison'));
  const message = failureSentence(failure.message, failure.data);
  panel.apply({ type: 'comparisonEnded', id: comparison.id, status: 'failed', error: message });
}
