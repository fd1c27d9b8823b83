// promptChain.listHistorySessions { uri, store? } -> ListHistorySessionsResult: the user's stores (names
// and display URLs) and the session ids of one of them (`store`, else the one the file's memory.history
// names), for the panel's session picker. The store is opened for the listing only and closed after.

import type { ListHistorySessionsParams, ListHistorySessionsResult } from '../protocol';
import type { PromptServer } from '../server';
import { argumentObject, optionalString, requiredString } from './arguments';
import { loadPromptSource } from './promptSource';
import { listStoreSessions } from '../../../core/history/openHistory';

export async function listHistorySessionsCommand(server: PromptServer, command: string, args: unknown[] | undefined): Promise<ListHistorySessionsResult> {
  const params = listParams(command, args);
  const { config } = await loadPromptSource(server, params.uri);
  const fileStore = config.memory ? config.memory.history : undefined;
  const histories = server.conversations.histories;
  const cwd = server.conversations.folderOf(params.uri);
  const stores = histories.storeViews(cwd);
  const name = params.store ?? fileStore;
  const listed = name === undefined ? null : { name, display: histories.targetOf(name, cwd).display };
  const sessions = name === undefined ? [] : await listStoreSessions(histories.targetOf(name, cwd));
  return { stores, store: listed, sessions, ...(fileStore !== undefined && { fileStore }) };
}

function listParams(command: string, args: unknown[] | undefined): ListHistorySessionsParams {
  const object = argumentObject(command, args);
  const store = optionalString(command, object, 'store');
  return { uri: requiredString(command, object, 'uri'), ...(store !== undefined && { store }) };
}
