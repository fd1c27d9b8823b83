// "Pick Shared History Session…" (the panel's Session… button, the status bar item, the palette): which
// conversation a file's memory is. The first entry is always the local conversation (unless the file's own
// `memory.history` names a store), then the user's stores; a store's sessions are listed by the server
// (SCAN / DISTINCT session_id), with "New session…" first. The server keeps the choice per file
// (attachHistorySession); this module only asks and tells.

import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { HistoryAttachment, HistoryStoreView, ListHistorySessionsResult } from '../../server/src/protocol';
import { errorMessage } from './errorMessage';
import { sessionPicks, storePicks } from './historyPicks';
import { fileNameOf, requirePromptUri } from './promptTarget';
import type { PromptChainServer } from './server';

export interface HistorySessionContext {
  server: PromptChainServer;
  /** The file's conversation changed: panels, the memory document and the status bar show the new one. */
  onDidAttach(uri: vscode.Uri): Promise<void>;
}


export async function pickHistorySession(context: HistorySessionContext, target: unknown): Promise<void> {
  const uri = requirePromptUri(target, 'pick its shared history session');
  if (!uri) return;
  try {
    const listing = await context.server.listHistorySessions(uri);
    const store = await pickStore(uri, listing);
    if (store === undefined) return;
    const sessionId = store && (await pickSession(uri, store, await sessionsOf(context.server, uri, store, listing)));
    if (sessionId === undefined) return;
    const attached = await context.server.attachHistorySession(uri, store?.name ?? null, sessionId);
    await context.onDidAttach(uri);
    void vscode.window.setStatusBarMessage(`Prompt Chain: ${fileNameOf(uri)} — ${attachedText(attached)}`, 5000);
  } catch (error) {
    void vscode.window.showErrorMessage(errorMessage(error));
  }
}

/** The store, null for the local conversation, undefined when the user cancelled. */
async function pickStore(uri: vscode.Uri, listing: ListHistorySessionsResult): Promise<HistoryStoreView | null | undefined> {
  const picks = storePicks(fileNameOf(uri), listing);
  if (picks === undefined) {
    const add = 'Add Shared History Store…';
    if ((await vscode.window.showInformationMessage('Prompt Chain: no shared history stores are configured (promptChain.historyStores in your user settings).', add)) === add) {
      await vscode.commands.executeCommand('promptChain.addHistoryStore');
    }
    return undefined;
  }
  if (!('items' in picks)) return picks;
  const picked = await vscode.window.showQuickPick(picks.items, { title: picks.title, placeHolder: picks.placeHolder });
  return picked && picked.value;
}

async function sessionsOf(server: PromptChainServer, uri: vscode.Uri, store: HistoryStoreView, listing: ListHistorySessionsResult): Promise<string[]> {
  if (listing.store?.name === store.name) return listing.sessions;
  return (await server.listHistorySessions(uri, store.name)).sessions;
}

async function pickSession(uri: vscode.Uri, store: HistoryStoreView, sessions: string[]): Promise<string | undefined> {
  const picks = sessionPicks(fileNameOf(uri), store, sessions);
  const picked = await vscode.window.showQuickPick(picks.items, { title: picks.title, placeHolder: picks.placeHolder });
  if (!picked) return undefined;
  if (picked.value !== null) return picked.value;
  const typed = await vscode.window.showInputBox({
    title: `Prompt Chain: new session in ${store.name}`,
    prompt: 'The session id the application will know the conversation by (Postgres stores of langchain-postgres need a UUID).',
    value: randomUUID(),
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() === '' ? 'A session id cannot be empty.' : undefined),
  });
  return typed?.trim() || undefined;
}

function attachedText(attached: HistoryAttachment | null): string {
  return attached ? `${attached.store} · session ${attached.sessionId}` : 'local conversation';
}
