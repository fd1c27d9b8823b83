// promptChain.attachHistorySession { uri, store, sessionId } -> HistoryAttachment | null: the file's memory
// becomes that session of the named store (store null: the local conversation again). The server keeps the
// pick (historyAttachments.ts); runTurn, showMemory, clearMemory and formatPrompt then work on it, and the
// views that show stored turns (hover, code lenses) are refreshed.

import type { AttachHistorySessionParams, HistoryAttachment } from '../protocol';
import type { PromptServer } from '../server';
import { argumentObject, optionalString, requiredString } from './arguments';
import { loadPromptSource } from './promptSource';

export async function attachHistorySessionCommand(server: PromptServer, command: string, args: unknown[] | undefined): Promise<HistoryAttachment | null> {
  const params = attachParams(command, args);
  const { config } = await loadPromptSource(server, params.uri);
  const fileStore = config.memory ? config.memory.history : undefined;
  const cwd = server.conversations.folderOf(params.uri);
  server.conversations.histories.attach(params.uri, fileStore, params.store, params.sessionId, cwd);
  server.storedTurnsChanged();
  if (!config.memory) return null;
  return server.conversations.sharedHistoryOf(params.uri, config.memory)?.view ?? null;
}

function attachParams(command: string, args: unknown[] | undefined): AttachHistorySessionParams {
  const object = argumentObject(command, args);
  return {
    uri: requiredString(command, object, 'uri'),
    store: optionalString(command, object, 'store') ?? null,
    sessionId: optionalString(command, object, 'sessionId') ?? null,
  };
}
