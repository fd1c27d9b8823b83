// The open shared histories: one store connection per store, one Conversation per (store, session, state
// folder), kept open while the server runs so a turn does not reconnect, and shared by every file attached
// to the same session in the same workspace folder (they are one conversation: one lock, one memory
// state). A store is what the resolved target names, not the URL's text: a relative `sqlite:` or `file:`
// URL is another database in each workspace folder. A store that failed to open is not kept: the next
// request tries again.

import type { Conversation, HistoryEntry } from '../../core/chain/types';
import { openHistory } from '../../core/history/openHistory';
import { openHistoryConversation } from '../../core/history/historyConversation';
import type { ChatHistoryStore, HistoryTarget } from '../../core/history/types';
import type { SharedHistory } from './historyAttachments';

export class SharedConversations {
  private readonly stores = new Map<string, Promise<ChatHistoryStore>>();
  private readonly conversations = new Map<string, Promise<Conversation<HistoryEntry>>>();

  /** `relocateHint`: '' when the state folder is the editor's own (the user cannot move it). */
  open(shared: SharedHistory, stateDir: string, relocateHint: string | undefined, warn: (message: string) => void): Promise<Conversation<HistoryEntry>> {
    const storeKey = storeIdentity(shared.target);
    const key = JSON.stringify([storeKey, shared.sessionId, stateDir]);
    return kept(this.conversations, key, async () => {
      const store = await kept(this.stores, storeKey, () => openHistory(shared.target));
      return openHistoryConversation({ store, sessionId: shared.sessionId, stateDir, onWarning: warn, ...(relocateHint !== undefined && { relocateHint }) });
    });
  }

  async close(): Promise<void> {
    const stores = [...this.stores.values()];
    this.stores.clear();
    this.conversations.clear();
    await Promise.all(stores.map((store) => store.then((opened) => opened.close()).catch(() => undefined)));
  }
}

/**
 * What makes two targets one store: the kind, the resolved path (sqlite, file) or else the URL, and the
 * options. The URL (with its password) is a key in memory only: two URLs that differ only in it are two
 * stores.
 */
function storeIdentity(target: HistoryTarget): string {
  const options = Object.entries(target.options).sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify([target.kind, target.path ?? target.url, options]);
}

function kept<T>(cache: Map<string, Promise<T>>, key: string, open: () => Promise<T>): Promise<T> {
  const cached = cache.get(key);
  if (cached) return cached;
  const opening = open();
  cache.set(key, opening);
  opening.catch(() => {
    if (cache.get(key) === opening) cache.delete(key);
  });
  return opening;
}
