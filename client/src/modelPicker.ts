// The model pickers: one model (Select Model, Replay conversation with…) or several (Compare models…), from
// the models the server lists for the file (its endpoint's /v1/models, else the promptChain.models setting;
// the picker says which), the current one first, or any typed name.

import * as vscode from 'vscode';
import type { ListModelsResult } from '../../server/src/protocol';
import { errorMessage } from './errorMessage';
import { modelPicks, otherModel, type ModelPick, type ModelPicks } from './modelPicks';
import { listModels, turnInputs } from './serverRequests';
import type { PromptChainServer } from './server';

/**
 * `action` names what the model is for, in the picker's title. With the pick, `current`: the model a turn of
 * the file uses now (undefined when the server could not say).
 */
export async function pickModel(server: PromptChainServer, uri: vscode.Uri, action: string): Promise<{ model: string; current: string | undefined } | undefined> {
  const { picks, current } = await picksFor(server, uri, action);
  const picked = await showPicks(picks, current, false);
  const model = !picked || picked[0] !== otherModel ? picked?.[0] : await vscode.window.showInputBox({ title: picks.title, prompt: 'Model name as the endpoint knows it', value: current ?? '' });
  return model === undefined ? undefined : { model, current };
}

/** Several models, the current one picked to start with; Other model… asks for names separated by commas. */
export async function pickModels(server: PromptChainServer, uri: vscode.Uri, action: string): Promise<string[] | undefined> {
  const { picks, current } = await picksFor(server, uri, action);
  const picked = await showPicks(picks, current, true);
  if (!picked?.includes(otherModel)) return picked;
  const typed = await vscode.window.showInputBox({ title: picks.title, prompt: 'Other model names as the endpoint knows them, separated by commas' });
  if (typed === undefined) return undefined;
  const others = typed.split(',').map((name) => name.trim()).filter((name) => name !== '');
  return [...new Set([...picked.filter((name) => name !== otherModel), ...others])];
}

async function picksFor(server: PromptChainServer, uri: vscode.Uri, action: string): Promise<{ picks: ModelPicks; current: string | undefined }> {
  const [facts, listed] = await Promise.all([turnInputs(server, uri).catch(() => undefined), modelsOf(server, uri)]);
  return { picks: modelPicks(listed.result, facts?.model, facts?.endpoint.label, listed.failure, action), current: facts?.model };
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

/** The labels accepted; undefined when the picker was dismissed. */
function showPicks(picks: ModelPicks, current: string | undefined, many: boolean): Promise<string[] | undefined> {
  const quickPick = vscode.window.createQuickPick();
  const items = picks.items.map(toQuickPickItem);
  const startOn = items.filter((_, index) => picks.items[index]?.active);
  quickPick.title = picks.title;
  quickPick.placeholder = many ? 'Pick the models to compare' : current ? `Current: ${current}` : 'Model name';
  quickPick.canSelectMany = many;
  quickPick.items = items;
  if (many) quickPick.selectedItems = startOn;
  else quickPick.activeItems = startOn;
  return new Promise((resolve) => {
    quickPick.onDidAccept(() => {
      // The columns' order: the current model first, then the list's order, whatever order they were checked in.
      const inOrder = [...startOn, ...items.filter((item) => !startOn.includes(item))];
      const chosen = many ? inOrder.filter((item) => quickPick.selectedItems.includes(item)) : quickPick.selectedItems.slice(0, 1);
      resolve(chosen.length > 0 ? chosen.map((item) => item.label) : undefined);
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
