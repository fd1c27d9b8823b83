// What the chat panel shows, and the messages between the extension host and the panel's webview, declared
// once and imported by both sides (client/src/panel/chatPanel.ts and client/webview/main.ts). The host keeps
// the authoritative PanelState; the webview mirrors it by applying the same events (see session.ts).

import type { ChatMessage, MemoryCall, Usage, TurnTimings } from '../../../core/chain/types';
import type { RunTurnResult, ShowMemoryResult } from '../../../server/src/protocol';
import { isFailureActionId, type FailureAction, type FailureActionId } from '../failureActions';

export type TurnStatus = 'running' | 'done' | 'failed' | 'cancelled';

/** One chat turn of this panel, filled in as the server reports progress. */
export interface TurnEntry {
  kind: 'turn';
  /** The turn's id (RunTurnParams.turnId), unique in the panel. */
  id: string;
  /** The human input of the turn. */
  input: string;
  status: TurnStatus;
  /** The formatted prompt, once the server has sent it. */
  prompt?: string;
  /** Chat api: the formatted messages, for the role-labelled view. */
  messages?: ChatMessage[];
  /** The reply so far (streamed) or complete. */
  reply: string;
  /** LangChain's verbose trace, once the turn has finished. */
  trace?: string;
  usage?: Usage;
  timings?: TurnTimings;
  /** The memory's own model calls after the reply (the summary), in order; a failed one leaves the summary pending. */
  memoryCalls?: MemoryCall[];
  /** The turn ran but was not saved, and why (a shared history attached read-only). */
  notSaved?: string;
  /** Why a failed or cancelled turn stopped, and what the user can do about it. */
  error?: string;
  actions?: FailureAction[];
  /**
   * Retry / Edit and resend: the entry this turn takes the place of once it completes (as the stored
   * conversation does: the server replaces that turn only when the new reply is complete).
   */
  replaces?: string;
}

/** A turn stored before this panel opened (from the CLI, an earlier panel): its words, without details. */
export interface StoredEntry {
  kind: 'stored';
  id: string;
  input: string;
  output: string;
}

/**
 * A message a shared history holds without its pair (a system message, a question without its reply), in
 * its place in the conversation, as LangChain's chat history holds it.
 */
export interface LoneEntry {
  kind: 'lone';
  id: string;
  message: ChatMessage;
}

/** Where the stored conversation was cleared: the turns above it no longer reach the model. */
export interface ClearedEntry {
  kind: 'cleared';
  id: string;
  /** How many stored turns were forgotten. */
  count: number;
}

/** One cell of a side-by-side comparison: a reply, a failure, or one still to come. */
export interface ComparisonCell {
  status: 'pending' | 'done' | 'failed' | 'not-run';
  text?: string;
  /** failed: why; not-run: why not. */
  error?: string;
  /** e.g. `21 tokens · 840 ms`, or (replay) `same as stored` / `changed`. */
  detail?: string;
  /** Replay: the new reply differs from the stored one. */
  changed?: boolean;
}

export interface ComparisonRow {
  input: string;
  cells: ComparisonCell[];
}

/**
 * Compare models (one row, a column per model) or Replay conversation (a row per stored turn: the stored
 * reply beside the new one). Shown in the transcript, outside the conversation: it never reaches memory.
 */
export interface ComparisonEntry {
  kind: 'comparison';
  id: string;
  mode: 'models' | 'replay';
  /** What was compared, e.g. `Compared on 3 models · memory untouched`. */
  title: string;
  columns: string[];
  rows: ComparisonRow[];
  status: 'running' | 'done' | 'cancelled' | 'failed';
  /** Why it failed or stopped as a whole. */
  error?: string;
}

export type TranscriptEntry = TurnEntry | StoredEntry | LoneEntry | ClearedEntry | ComparisonEntry;

/** What the next turn needs, as the server decided it (promptChain/turnInputs), with remembered values. */
export interface InputsView {
  /** The variable the human input fills; null when the engine cannot choose one. */
  inputKey: string | null;
  /** The other variables, in template order, with this file's last values. */
  variables: { name: string; required: boolean; value: string }[];
  /** How many error diagnostics stop a turn now. */
  errorCount: number;
  model: string;
  endpoint: string;
}

/** Something the panel says above its input box that belongs to no turn: a refused send, a value missing. */
export interface Notice {
  message: string;
  actions: FailureAction[];
}

export interface PanelState {
  /** The `.prompt` file the panel belongs to (a URI string). */
  uri: string;
  fileName: string;
  /** The stored conversation, as of the last showMemory. */
  memory?: ShowMemoryResult;
  /** Why the stored conversation could not be read. */
  memoryError?: string;
  /** The stored turns from before this panel are in `entries` (loaded once, when the panel first opens). */
  historyLoaded: boolean;
  /** The transcript, oldest first (the last `maxEntriesKept`). */
  entries: TranscriptEntry[];
  inputs?: InputsView;
  notice?: Notice;
}

/** Changes to the panel state, applied alike by the host and the webview. */
export type PanelEvent =
  | { type: 'memory'; memory: ShowMemoryResult }
  | { type: 'memoryFailed'; message: string }
  /** The file's memory became another conversation (a shared history's session was attached or detached). */
  | { type: 'conversationChanged'; memory: ShowMemoryResult }
  | { type: 'inputs'; inputs: InputsView }
  | { type: 'notice'; notice?: Notice }
  /** `retracts`: a failed attempt this turn retries, dropped from the transcript at once. */
  | { type: 'turnStarted'; turnId: string; input: string; replaces?: string; retracts?: string }
  | { type: 'turnPrompt'; turnId: string; prompt: string; messages?: ChatMessage[] }
  | { type: 'turnToken'; turnId: string; text: string }
  | { type: 'turnFinished'; turnId: string; result: RunTurnResult }
  | { type: 'turnFailed'; turnId: string; message: string; cancelled: boolean; actions: FailureAction[] }
  /** The server refused the turn before sending anything: the entry goes, the notice says why. */
  | { type: 'turnRefused'; turnId: string; notice: Notice }
  | { type: 'cleared'; id: string; count: number }
  | { type: 'comparisonStarted'; comparison: ComparisonEntry }
  | { type: 'comparisonCell'; id: string; row: number; column: number; cell: ComparisonCell }
  | { type: 'comparisonEnded'; id: string; status: 'done' | 'cancelled' | 'failed'; error?: string };

/** Host -> webview: an event, the whole state when the webview (re)loads, or a request to focus the input. */
export type HostToWebview =
  | PanelEvent
  | { type: 'snapshot'; state: PanelState }
  /** ▶, the code lens and the palette bring the user here to type; `draft` fills an empty input box. */
  | { type: 'focusInput'; draft?: string };

/** Webview -> host. */
export type WebviewToHost =
  /** The script has loaded and listens: the host answers with a snapshot. */
  | { type: 'ready' }
  /**
   * Run the next turn with this human input and the form's values of the other variables; `editLast`: the
   * input is the edited last input, and the turn replaces the last one (Edit and resend).
   */
  | { type: 'send'; input: string; variables: Record<string, string>; editLast: boolean }
  /** Run the last turn again (its reply replaced once the new one completes). */
  | { type: 'retry' }
  /** Cancel the running turn. */
  | { type: 'stop' }
  | { type: 'clearMemory' }
  /** Session…: pick the shared history session (or the local conversation) the file's memory is. */
  | { type: 'pickSession' }
  /** One of the actions the panel offers for a failure (the host checks it offers it). */
  | { type: 'action'; action: FailureActionId }
  /** A link in a reply was clicked: opened only when it is http(s). */
  | { type: 'openLink'; href: string }
  /** Copy reply, copy code block, copy trace. */
  | { type: 'copy'; text: string }
  /** Compare models…: the input box's text on models the user picks, memory untouched. */
  | { type: 'compareModels'; input: string; variables: Record<string, string> }
  /** Replay conversation with…: the stored turns again on a model the user picks. */
  | { type: 'replay'; variables: Record<string, string> }
  /** Save as test: the stored conversation into the prompt's test file, with snapshot assertions. */
  | { type: 'saveAsTest'; variables: Record<string, string> };

/** The host checks what the webview posts rather than trusting its shape. */
export function isWebviewToHost(value: unknown): value is WebviewToHost {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as Record<string, unknown>;
  switch (message.type) {
    case 'ready':
    case 'retry':
    case 'stop':
    case 'clearMemory':
    case 'pickSession':
      return true;
    case 'send':
      return typeof message.input === 'string' && typeof message.editLast === 'boolean' && isStringMap(message.variables);
    case 'action':
      return isFailureActionId(message.action);
    case 'openLink':
      return typeof message.href === 'string';
    case 'copy':
      return typeof message.text === 'string';
    case 'compareModels':
      return typeof message.input === 'string' && isStringMap(message.variables);
    case 'replay':
    case 'saveAsTest':
      return isStringMap(message.variables);
    default:
      return false;
  }
}

function isStringMap(value: unknown): value is Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.values(value).every((item) => typeof item === 'string');
}
