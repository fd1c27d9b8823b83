// What "Pick Shared History Session…" offers, as plain data (historySession.ts shows it with VS Code's
// quick picks): the conversations a file can have, local first, then the user's stores by name and display
// URL (never a password); a store's sessions in the server's order, "New session…" first. Kept apart from
// the vscode calls so what the user is offered is tested as it is.

import type { HistoryStoreView, ListHistorySessionsResult } from '../../server/src/protocol';

export interface PickItem<T> {
  label: string;
  description?: string;
  value: T;
}

export interface PickList<T> {
  title: string;
  placeHolder: string;
  items: PickItem<T>[];
}

/**
 * The stores to choose from (null: the local conversation); a store alone when the file's own
 * `memory.history` names it (it takes only that store's sessions), undefined when none are configured.
 */
export function storePicks(fileName: string, listing: ListHistorySessionsResult): HistoryStoreView | PickList<HistoryStoreView | null> | undefined {
  const named = listing.fileStore && listing.stores.find((store) => store.name === listing.fileStore);
  if (named) return named;
  if (listing.stores.length === 0) return undefined;
  return {
    title: `Prompt Chain: the conversation of ${fileName}`,
    placeHolder: 'Local conversation, or a shared history store',
    items: [
      { label: 'Local conversation', description: 'kept by Prompt Chain in this workspace', value: null },
      ...listing.stores.map((store) => ({ label: store.name, description: store.display, value: store })),
    ],
  };
}

/** The store's sessions as the server listed them, "New session…" (null: a session named `new` is itself) first. */
export function sessionPicks(fileName: string, store: HistoryStoreView, sessions: readonly string[]): PickList<string | null> {
  return {
    title: `Prompt Chain: a session of ${store.name} for ${fileName}`,
    placeHolder: `${sessions.length} ${sessions.length === 1 ? 'session' : 'sessions'} in ${store.display}`,
    items: [{ label: 'New session…', description: 'a session id of your choosing', value: null }, ...sessions.map((sessionId) => ({ label: sessionId, value: sessionId }))],
  };
}
