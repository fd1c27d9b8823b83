// What the user can do about a failed turn, chosen by the failure's kind (FailureData.kind), never by the
// words of its message. The one table of kind -> actions; the panel shows them as buttons, a notification as
// its actions, and runTurn.ts carries them out. Pure (no `vscode`).

import type { FailureData, FailureKind, SettingSource } from '../../server/src/protocol';

export type FailureActionId = 'setApiKey' | 'openSettings' | 'selectModel' | 'retry' | 'showProblems' | 'pickSession' | 'installLocalRuntime';

export interface FailureAction {
  id: FailureActionId;
  label: string;
  /** openSettings: the setting the Settings editor opens at (`promptChain.baseUrl`). */
  setting?: string;
}

type ActionMaker = (data: FailureData) => (FailureAction | undefined)[];

const setApiKey: FailureAction = { id: 'setApiKey', label: 'Set API Key' };
const retry: FailureAction = { id: 'retry', label: 'Retry' };
const showProblems: FailureAction = { id: 'showProblems', label: 'Show Problems' };
const selectModel: FailureAction = { id: 'selectModel', label: 'Select Model' };
const pickSession: FailureAction = { id: 'pickSession', label: 'Pick Session…' };
const installLocalRuntime: FailureAction = { id: 'installLocalRuntime', label: 'Install Local Model Runtime' };
const localModelSetting: FailureAction = { id: 'openSettings', label: 'Open Settings (promptChain.localModel)', setting: 'promptChain.localModel' };
const historyStores: FailureAction = { id: 'openSettings', label: 'Open Settings (promptChain.historyStores)', setting: 'promptChain.historyStores' };

const actionsByKind: Record<FailureKind, ActionMaker> = {
  auth: () => [setApiKey],
  endpoint: (data) => [retry, openSettingsAt(data.setting)],
  model: (data) => [selectModel, openSettingsAt(data.setting)],
  'rate-limit': () => [retry],
  timeout: () => [retry],
  // A conversation locked by another run, or a full disk the user has since freed.
  memory: () => [retry],
  'file-has-errors': () => [showProblems],
  // The panel's form and the file say what is missing; nothing to click.
  input: () => [],
  file: () => [],
  reply: () => [retry],
  cancelled: () => [],
  // The message says what the format cannot hold or what the file is not.
  interop: () => [],
  // A shared history's refusal or fault, by its HistoryErrorKind (`reason`).
  history: (data) => historyActions[data.reason ?? ''] ?? [],
  // The in-process model: a runtime to install, a download to try again, a model file to choose.
  local: (data) => localActions[data.reason ?? ''] ?? [],
};

/** What to do about the in-process model, by its ModelErrorKind (`reason`). */
const localActions: Partial<Record<string, FailureAction[]>> = {
  'local-runtime': [installLocalRuntime, selectModel],
  'local-download': [retry, localModelSetting],
  'local-model': [localModelSetting, selectModel],
};

/** What to do about a shared history: pick a session, fix the store's URL, or try again once it is back. */
const historyActions: Partial<Record<string, FailureAction[]>> = {
  'no-session': [pickSession],
  'unknown-store': [pickSession, historyStores],
  'invalid-url': [historyStores],
  auth: [historyStores],
  unreachable: [retry, pickSession],
  'connection-lost': [retry],
  // untrusted: the message says to trust the workspace; readonly, invalid-data, unsupported: nothing to click.
};

/** The actions for a failure, in the order they are offered; none when the server sent no kind. */
export function failureActions(data: FailureData | undefined): FailureAction[] {
  if (!data) return [];
  return actionsByKind[data.kind](data).filter((action): action is FailureAction => action !== undefined);
}

/** Only a setting can be opened in the Settings editor; a variable or a flag is changed where it is set. */
function openSettingsAt(setting: SettingSource | undefined): FailureAction | undefined {
  return setting?.kind === 'setting' ? { id: 'openSettings', label: `Open Settings (${setting.name})`, setting: setting.name } : undefined;
}

/**
 * A sentence to add when the value to change is not a VS Code setting, so the user knows where it lives:
 * e.g. the endpoint came from OPENAI_BASE_URL in the environment VS Code was started with.
 */
export function settingNote(data: FailureData | undefined): string | undefined {
  const setting = data?.setting;
  if (!setting) return undefined;
  switch (setting.kind) {
    case 'environment':
      return `${setting.name} comes from the environment VS Code was started with: change it there, then restart VS Code.`;
    case 'flag':
      return `${setting.name} was given on the command line.`;
    case 'default':
    case 'setting':
      return undefined;
  }
}

/** What a failed turn or comparison says: the message, then where the setting it names lives and how long to wait. */
export function failureSentence(message: string, data: FailureData | undefined): string {
  return [message, settingNote(data), retryAfterNote(data)].filter(Boolean).join(' ');
}

/** e.g. "wait 20 s" for a rate limit that said how long. */
export function retryAfterNote(data: FailureData | undefined): string | undefined {
  const ms = data?.retryAfterMs;
  if (data?.kind !== 'rate-limit' || ms === undefined || !(ms > 0)) return undefined;
  return `The endpoint asked to wait ${Math.ceil(ms / 1000)} s before retrying.`;
}

/** The actions a panel or notification may offer, by id: what comes back from the webview is checked against it. */
export function isFailureActionId(value: unknown): value is FailureActionId {
  return typeof value === 'string' && ['setApiKey', 'openSettings', 'selectModel', 'retry', 'showProblems', 'pickSession', 'installLocalRuntime'].includes(value);
}
