// A session's messages as the chain engine's entries: a human message followed by an AI message is an
// exchange (a Turn), any other message a lone one, kept in place. Messages a `.prompt` chain cannot send
// (tool and function results, other roles) are refused, naming the message: dropping them would change
// the conversation the application sees.
//
// Loaded again on every turn (another writer may have appended): when the new messages only extend the
// ones seen, the same entries array is extended in place, so the engine's incremental caches keep working;
// anything else (a rewrite, a clear, a lone question that got its reply) gives a new array.

import type { ChatMessage, HistoryEntry } from '../chain/types';
import { HistoryStoreError, type HistoryMessage } from './types';

export interface SessionEntries {
  /** The messages the entries were made from, oldest first. */
  messages: readonly HistoryMessage[];
  entries: readonly HistoryEntry[];
}

/** `next` as entries, reusing `previous`'s array when `next` only adds messages after them. */
export function sessionEntries(next: readonly HistoryMessage[], previous: SessionEntries | undefined, where: string): SessionEntries {
  const from = previous && extends_(previous.messages, next) ? previous.messages.length : 0;
  const lastEntry = previous?.entries.at(-1);
  // A lone question whose reply has landed becomes an exchange: the old array's last element would change.
  const pairsWithLast = from > 0 && from < next.length && lastEntry !== undefined && 'lone' in lastEntry && lastEntry.lone.type === 'human' && next[from]!.type === 'ai';
  if (previous && from > 0 && !pairsWithLast) {
    if (from === next.length) return previous;
    const entries = previous.entries as HistoryEntry[];
    appendEntries(entries, next, from, where);
    return { messages: next, entries };
  }
  const entries: HistoryEntry[] = [];
  appendEntries(entries, next, 0, where);
  return { messages: next, entries };
}

function extends_(old: readonly HistoryMessage[], next: readonly HistoryMessage[]): boolean {
  if (old.length === 0 || next.length < old.length) return false;
  for (let i = 0; i < old.length; i++) if (old[i]!.raw !== next[i]!.raw) return false;
  return true;
}

function appendEntries(entries: HistoryEntry[], messages: readonly HistoryMessage[], from: number, where: string): void {
  for (let i = from; i < messages.length; i++) {
    const message = chatMessage(messages[i]!, i, where);
    const next = messages[i + 1];
    if (message.type === 'human' && next?.type === 'ai') {
      entries.push({ input: message.content, output: chatMessage(next, i + 1, where).content });
      i++;
    } else entries.push({ lone: message });
  }
}

function chatMessage(message: HistoryMessage, index: number, where: string): ChatMessage {
  const type = message.type;
  if (type === 'human' || type === 'ai' || type === 'system') return { type, content: message.content };
  throw new HistoryStoreError('unsupported', `Message ${index + 1} of ${where} is ${refusal(message)}, so this session cannot be continued here; pick another session.`);
}

/** What the message is, and why a `.prompt` chain cannot carry it as LangChain would. */
function refusal(message: HistoryMessage): string {
  if (message.type === 'chat' || message.type === 'generic') {
    const role = JSON.stringify(message.role ?? '');
    return `a chat message with role ${role}: LangChain's ChatOpenAI sends it with that role, which the engine's messages (system, human, AI) cannot carry`;
  }
  if (message.type === 'developer') return "a developer message: the engine's messages (system, human, AI) cannot carry the developer role";
  return `a ${message.type} message: a .prompt chain sends only system, human and AI messages, and no tool calls`;
}
