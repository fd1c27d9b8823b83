// What the chat panel shows, and the messages between the extension host and the panel's webview, declared
// once and imported by both sides (client/src/panel/chatPanel.ts and client/webview/main.ts). The host keeps
// the authoritative PanelState; the webview mirrors it by applying the same events (see session.ts).

import type { ChatMessage, Usage, TurnTimings } from '../../../core/chain/types';
import type { RunTurnResult, ShowMemoryResult } from '../../../server/src/protocol';

export type TurnStatus = 'running' | 'done' | 'failed' | 'cancelled';

/** One chat turn as the panel shows it, filled in as the server reports progress. */
export interface TurnView {
  turnId: string;
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
  /** Why a failed or cancelled turn stopped. */
  error?: string;
}

export interface PanelState {
  /** The `.prompt` file the panel belongs to (a URI string). */
  uri: string;
  fileName: string;
  /** The stored conversation, as of the last showMemory. */
  memory?: ShowMemoryResult;
  /** Why the stored conversation could not be read. */
  memoryError?: string;
  /** This session's turns, oldest first (the last `maxTurnsKept`). */
  turns: TurnView[];
}

/** Changes to the panel state, applied alike by the host and the webview. */
export type PanelEvent =
  | { type: 'memory'; memory: ShowMemoryResult }
  | { type: 'memoryFailed'; message: string }
  | { type: 'turnStarted'; turnId: string; input: string }
  | { type: 'turnPrompt'; turnId: string; prompt: string; messages?: ChatMessage[] }
  | { type: 'turnToken'; turnId: string; text: string }
  | { type: 'turnFinished'; turnId: string; result: RunTurnResult }
  | { type: 'turnFailed'; turnId: string; message: string; cancelled: boolean };

/** Host -> webview: an event, or the whole state when the webview (re)loads. */
export type HostToWebview = PanelEvent | { type: 'snapshot'; state: PanelState };

/** Webview -> host. */
export type WebviewToHost =
  /** The script has loaded and listens: the host answers with a snapshot. */
  | { type: 'ready' }
  /** Run the next turn with this human input. */
  | { type: 'send'; input: string }
  /** Cancel the running turn. */
  | { type: 'stop' }
  | { type: 'clearMemory' };

/** The host checks what the webview posts rather than trusting its shape. */
export function isWebviewToHost(value: unknown): value is WebviewToHost {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as { type?: unknown; input?: unknown };
  switch (message.type) {
    case 'ready':
    case 'stop':
    case 'clearMemory':
      return true;
    case 'send':
      return typeof message.input === 'string';
    default:
      return false;
  }
}
