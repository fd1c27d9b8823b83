// Select Model (also the status bar item's click): offers the models the server lists for the file (its
// endpoint's /v1/models, else the promptChain.models setting; the picker says which) or any typed name. A
// file that names its `model:` gets that value replaced; otherwise the default model setting of its kind
// (chat or completion) changes, for the workspace when there is one.

import * as vscode from 'vscode';
import { modelField, yamlScalar, type ModelField } from './modelField';
import { pickModel } from './modelPicker';
import { requirePromptUri } from './promptTarget';
import type { PromptChainServer } from './server';

export async function selectModel(server: PromptChainServer, target?: unknown): Promise<void> {
  const uri = requirePromptUri(target, 'select its model');
  if (!uri) return;
  const document = await vscode.workspace.openTextDocument(uri);
  const model = (await pickModel(server, uri, 'Select Model'))?.model;
  if (!model) return;
  const field = modelField(document.getText());
  if (field.span) await replaceModel(document, field.span, model);
  else await setDefaultModel(uri, field.setting, model);
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
