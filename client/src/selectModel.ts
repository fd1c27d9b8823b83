// Select Model (also the status bar item's click): offers the models the server lists for the file (its
// endpoint's /v1/models, else the promptChain.models setting; the picker says which) or any typed name. A
// file that names its `model:` gets that value replaced; otherwise the default model setting of its kind
// (chat or completion) changes, for the workspace when there is one.

import * as vscode from 'vscode';
import type { ListModelsResult, TurnInputsResult } from '../../server/src/protocol';
import { errorMessage } from './errorMessage';
import { modelField, yamlScalar, type ModelField } from './modelField';
import { modelPicks, otherModel, type ModelPick } from './modelPicks';
import { requirePromptUri } from './promptTarget';
import { listModels, turnInputs } from './serverRequests';
import type { PromptChainServer } from './server';

export async function selectModel(server: PromptChainServer, target?: unknown): Promise<void> {
  const uri = requirePromptUri(target, 'select its model');
  if (!uri) return;
  const document = await vscode.workspace.openTextDocument(uri);
  const model = await pickModel(server, uri);
  if (!model) return;
  const field = modelField(document.getText());
  if (field.span) await replaceModel(document, field.span, model);
  else await setDefaultModel(uri, field.setting, model);
}

async function pickModel(server: PromptChainServer, uri: vscode.Uri): Promise<string | undefined> {
  const [facts, listed] = await Promise.all([turnInputs(server, uri).catch(() => undefined), modelsOf(server, uri)]);
  const picks = modelPicks(listed.result, facts?.model, facts?.endpoint.label, listed.failure);
  const picked = await showPicks(picks.title, picks.items, facts?.model);
  if (picked !== otherModel) return picked;
  return vscode.window.showInputBox({ title: picks.title, prompt: 'Model name as the endpoint knows it', value: facts?.model ?? '' });
}

/** The server's list; when the server cannot answer at all, the setting's list, saying why. */
async function modelsOf(server: PromptChainServer, uri: vscode.Uri): Promise<{ result: ListModelsResult; failure?: string }> {
  try {
    return { result: await listModels(server, uri) };
  } catch (error) {
    const models = vscode.workspace.getConfiguration('promptChain', uri).get<string[]>('models') ?? [];
    return { result: { models, source: 'settings' }, failure: errorMessage(error) };
  }
}

function showPicks(title: string, picks: ModelPick[], current: TurnInputsResult['model'] | undefined): Promise<string | undefined> {
  const quickPick = vscode.window.createQuickPick();
  const items = picks.map(toQuickPickItem);
  quickPick.title = title;
  quickPick.placeholder = current ? `Current: ${current}` : 'Model name';
  quickPick.items = items;
  quickPick.activeItems = items.filter((_, index) => picks[index]?.active);
  return new Promise((resolve) => {
    quickPick.onDidAccept(() => {
      resolve(quickPick.selectedItems[0]?.label);
      quickPick.hide();
    });
    quickPick.onDidHide(() => {
      resolve(undefined);
      quickPick.dispose();
    });
    quickPick.show();
  });
}

function toQuickPickItem(pick: ModelPick): vscode.QuickPickItem {
  if (pick.separator) return { label: pick.label, kind: vscode.QuickPickItemKind.Separator };
  return { label: pick.label, description: pick.description, alwaysShow: pick.alwaysShow };
}

async function replaceModel(document: vscode.TextDocument, span: NonNullable<ModelField['span']>, model: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(document.positionAt(span.start), document.positionAt(span.end)), yamlScalar(model));
  await vscode.workspace.applyEdit(edit);
}

async function setDefaultModel(uri: vscode.Uri, setting: ModelField['setting'], model: string): Promise<void> {
  const target = vscode.workspace.getWorkspaceFolder(uri) ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await vscode.workspace.getConfiguration('promptChain', uri).update(setting, model, target);
}
