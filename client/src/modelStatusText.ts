// What the status bar item says for a `.prompt` file: the model and the endpoint's host exactly as the server's
// turnInputs answered them (the server decides both; nothing here works out a model or an endpoint), and
// where the endpoint came from in the words the server's own messages use (core/model/settingSource.ts). Pure.

import { sourceClause } from '../../core/model/settingSource';
import type { HistoryAttachment, TurnInputsResult } from '../../server/src/protocol';
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

/** Session ids are often UUIDs: the item shows their start, the tooltip the whole id. */
const shownSessionChars = 12;

/**
 * The shared-history item, `$(database) team · 8f3c2a1b-9d0…`, when the file's memory is a store's session
 * (or should be and cannot: the problem is the tooltip); undefined for the local conversation.
 */
export function historyStatusText(fileName: string, facts: Pick<TurnInputsResult, 'history' | 'historyProblem'>): StatusText | undefined {
  const { history, historyProblem } = facts;
  if (historyProblem) return { text: '$(database) $(warning) shared history', tooltip: `${historyProblem} Click to pick a session.` };
  if (!history) return undefined;
  const session = history.sessionId.length > shownSessionChars ? `${history.sessionId.slice(0, shownSessionChars)}…` : history.sessionId;
  return { text: `$(database) ${history.store} · ${session}`, tooltip: historyTooltip(fileName, history) };
}

function historyTooltip(fileName: string, history: HistoryAttachment): string {
  const how = history.source === 'file' ? `${fileName} names the store` : `attached to ${fileName}`;
  const readonly = history.readonly ? ' Read-only: turns run, nothing is written.' : '';
  return `The memory of ${fileName} is session ${history.sessionId} of ${history.store} (${history.display}), ${how}.${readonly} Click to pick another session.`;
}
