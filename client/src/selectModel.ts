// Select Model (also the status bar item's click): picks from `promptChain.models` or any typed name. A
// file that names its `model:` gets that value replaced; otherwise the default model setting of its kind
// (chat or completion) changes, for the workspace when there is one.

import * as vscode from 'vscode';
import { promptFacts, type PromptFacts } from './promptFacts';
import { promptDefaults, requirePromptUri } from './promptTarget';

const otherModel = 'Other model…';

export async function selectModel(target?: unknown): Promise<void> {
  const uri = requirePromptUri(target, 'select its model');
  if (!uri) return;
  const document = await vscode.workspace.openTextDocument(uri);
  const facts = promptFacts(uri.toString(), document.getText(), promptDefaults(uri));
  const model = await pickModel(uri, facts.model);
  if (!model) return;
  if (facts.modelSpan) await replaceModel(document, facts, model);
  else await setDefaultModel(uri, facts.modelSetting, model);
}

async function pickModel(uri: vscode.Uri, current: string): Promise<string | undefined> {
  const models = vscode.workspace.getConfiguration('promptChain', uri).get<string[]>('models') ?? [];
  const items: vscode.QuickPickItem[] = [...new Set([current, ...models])].map((label) => ({
    label,
    description: label === current ? 'current' : undefined,
  }));
  items.push({ label: otherModel, alwaysShow: true });
  const picked = await vscode.window.showQuickPick(items, { title: 'Prompt Chain: Select Model', placeHolder: current });
  if (picked?.label !== otherModel) return picked?.label;
  return vscode.window.showInputBox({ title: 'Prompt Chain: Select Model', prompt: 'Model name as the endpoint knows it', value: current });
}

async function replaceModel(document: vscode.TextDocument, facts: PromptFacts, model: string): Promise<void> {
  const span = facts.modelSpan;
  if (!span) return;
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(document.positionAt(span.start), document.positionAt(span.end)), yamlScalar(model));
  await vscode.workspace.applyEdit(edit);
}

async function setDefaultModel(uri: vscode.Uri, setting: PromptFacts['modelSetting'], model: string): Promise<void> {
  const target = vscode.workspace.getWorkspaceFolder(uri) ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await vscode.workspace.getConfiguration('promptChain', uri).update(setting, model, target);
}

/** Model names are plain YAML scalars; anything else is quoted. */
function yamlScalar(value: string): string {
  return /^[A-Za-z0-9][\w.\-/:@]*$/.test(value) && !value.includes(': ') ? value : JSON.stringify(value);
}
