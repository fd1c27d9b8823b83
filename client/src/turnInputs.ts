// What a turn needs, as the server decides it (promptChain/turnInputs, computed by the engine code that
// runs the turn): the input key, the other variables, the errors that stop it. The client no longer works
// this out itself. Values of the other variables are remembered per file (workspace state), so the next turn
// only needs Enter. No `vscode` at run time: the pieces are tested on their own.

import type { Memento } from 'vscode';
import type { HistoryAttachment, TurnInputsResult } from '../../server/src/protocol';
import { problemsNotice } from './fileProblems';
import type { InputsView, Notice } from './panel/messages';

/** The answer comes back over the wire (serverRequests.ts turnInputs): checked before anything acts on it. */
export function isTurnInputsResult(value: unknown): value is TurnInputsResult {
  if (typeof value !== 'object' || value === null) return false;
  const result = value as Partial<Record<keyof TurnInputsResult, unknown>>;
  return (result.inputKey === null || typeof result.inputKey === 'string')
    && Array.isArray(result.variables)
    && result.variables.every((v: unknown) => typeof (v as { name?: unknown })?.name === 'string' && typeof (v as { required?: unknown }).required === 'boolean')
    && Array.isArray(result.errors)
    && typeof result.model === 'string'
    && typeof (result.endpoint as { label?: unknown } | undefined)?.label === 'string'
    && (result.history === undefined || result.history === null || isHistoryAttachment(result.history))
    && (result.historyProblem === undefined || typeof result.historyProblem === 'string');
}

/** A shared history as the server names it (protocol.ts HistoryAttachment), checked before it is shown. */
export function isHistoryAttachment(value: unknown): value is HistoryAttachment {
  if (typeof value !== 'object' || value === null) return false;
  const history = value as Partial<Record<keyof HistoryAttachment, unknown>>;
  return typeof history.store === 'string' && typeof history.display === 'string' && typeof history.sessionId === 'string'
    && typeof history.readonly === 'boolean' && (history.source === 'file' || history.source === 'attached');
}

function rememberedKey(uri: string): string {
  return `promptChain.variables ${uri}`;
}

export function rememberedValues(memento: Pick<Memento, 'get'>, uri: string): Record<string, string> {
  const saved = memento.get<unknown>(rememberedKey(uri));
  if (typeof saved !== 'object' || saved === null) return {};
  return Object.fromEntries(Object.entries(saved).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/** Keeps the values given for this turn, beside those of variables the file has since dropped. */
export async function rememberValues(memento: Memento, uri: string, values: Record<string, string>): Promise<void> {
  await memento.update(rememberedKey(uri), { ...rememberedValues(memento, uri), ...values });
}

export function inputsView(result: TurnInputsResult, remembered: Record<string, string>): InputsView {
  return {
    inputKey: result.inputKey,
    variables: result.variables.map((variable) => ({ ...variable, value: remembered[variable.name] ?? '' })),
    errorCount: result.errors.length,
    model: result.model,
    endpoint: result.endpoint.label,
  };
}

/** The values sent with the turn: exactly the variables the engine takes, an empty optional one left out. */
export function turnVariables(result: TurnInputsResult, values: Record<string, string>): Record<string, string> {
  const chosen: Record<string, string> = {};
  for (const { name, required } of result.variables) {
    const value = values[name];
    if (value !== undefined && (required || value !== '')) chosen[name] = value;
  }
  return chosen;
}

/**
 * Why the turn must not be sent, as the panel says it: the file has errors (the server would refuse it), or
 * a variable the template needs has no value. Undefined when the turn can go.
 */
export function turnRefusal(result: TurnInputsResult, values: Record<string, string>, fileName: string): Notice | undefined {
  const errors = result.errors.length;
  if (errors > 0) return problemsNotice(fileName, errors, 'turn');
  const missing = result.variables.filter(({ name, required }) => required && !values[name]?.trim()).map(({ name }) => `{${name}}`);
  if (missing.length === 0) return undefined;
  const list = missing.length === 1 ? missing[0] : `${missing.slice(0, -1).join(', ')} and ${missing.at(-1)}`;
  return { message: `Give ${list} a value above the input box: the template needs ${missing.length === 1 ? 'it' : 'them'} for every turn. Nothing was sent.`, actions: [] };
}
