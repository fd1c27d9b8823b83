// The items of Select Model's picker: the models the server listed (from the endpoint's /v1/models, or the
// promptChain.models setting when the endpoint lists none), the current one first, and a way to type any
// other name. The picker says where the list came from. Pure: selectModel.ts shows it.

import type { ListModelsResult } from '../../server/src/protocol';

export const otherModel = 'Other model…';

export interface ModelPick {
  label: string;
  description?: string;
  /** A heading between groups (vscode.QuickPickItemKind.Separator). */
  separator?: true;
  alwaysShow?: true;
  /** The item the picker starts on: the current model. */
  active?: true;
}

export interface ModelPicks {
  /** Says where the listed models came from. */
  title: string;
  items: ModelPick[];
}

/**
 * `current` is the model a turn of the file would use now (undefined when the server could not say);
 * `endpoint` names the endpoint as the server shows it; `failure` says why the server gave no list at all.
 */
export function modelPicks(listed: ListModelsResult, current: string | undefined, endpoint: string | undefined, failure?: string, action = 'Select Model'): ModelPicks {
  const heading = listHeading(listed.source, endpoint, failure);
  const items: ModelPick[] = [];
  // A model the list lacks (a typed name, or a list that changed) stays pickable, above the list.
  if (current !== undefined && !listed.models.includes(current)) items.push({ label: current, description: 'current · not in this list', active: true });
  items.push({ label: heading, separator: true });
  for (const model of listed.models) items.push(model === current ? { label: model, description: 'current', active: true } : { label: model });
  items.push({ label: '', separator: true }, { label: otherModel, alwaysShow: true });
  return { title: `Prompt Chain: ${action} · ${heading}`, items };
}

function listHeading(source: ListModelsResult['source'], endpoint: string | undefined, failure: string | undefined): string {
  if (source === 'endpoint') return endpoint ? `models listed by ${endpoint}` : 'models listed by the endpoint';
  if (failure) return `models from the promptChain.models setting (the language server did not answer: ${failure})`;
  return 'models from the promptChain.models setting (the endpoint lists none)';
}
