// What the status bar item says for a `.prompt` file: the model and the endpoint's host exactly as the server's
// turnInputs answered them (the server decides both; nothing here works out a model or an endpoint), and
// where the endpoint came from in the words the server's own messages use (core/model/settingSource.ts). Pure.

import { sourceClause } from '../../core/model/settingSource';
import type { TurnInputsResult } from '../../server/src/protocol';
import { endpointHost } from './endpoint';

export interface StatusText {
  text: string;
  tooltip: string;
}

export function modelStatusText(fileName: string, facts: Pick<TurnInputsResult, 'model' | 'endpoint'>): StatusText {
  const { model, endpoint } = facts;
  return {
    text: `Prompt Chain: ${model} · ${endpointHost(endpoint.label)}`,
    tooltip: `Chat turns of ${fileName} use ${model} at ${endpoint.label} (${sourceClause(endpoint.source)}). Click to select the model.`,
  };
}

/** The item when the server could not answer: still there (the click still selects a model), saying why. */
export function unknownStatusText(fileName: string, reason: string): StatusText {
  return { text: 'Prompt Chain', tooltip: `Prompt Chain could not tell the model of ${fileName}: ${reason}` };
}
