// The `.prompt` a command acts on: the editor's text when the document is open (unsaved edits included),
// else the file on disk. Its chain configuration gets the defaults from the resource's settings.

import { LSPErrorCodes, ResponseError } from 'vscode-languageserver';
import type { PromptDocument } from '../../../core/format/model';
import type { ChainConfig, Conversation, MemoryConfig } from '../../../core/chain/types';
import { parsePrompt } from '../../../core/format/parse';
import { PromptFileError, readPromptFile } from '../../../core/files/readPromptFile';
import { chainConfig } from '../documentContexts';
import { filePathOf } from '../workspaceRoots';
import type { PromptServer } from '../server';
import type { ResolvedSettings } from '../settings';

export interface PromptSource {
  uri: string;
  prompt: PromptDocument;
  config: ChainConfig;
  settings: ResolvedSettings;
}

export async function loadPromptSource(server: PromptServer, uri: string): Promise<PromptSource> {
  const settings = await server.settings.get(uri);
  const prompt = server.contexts.parse(uri)?.prompt ?? parsePrompt(await readFromDisk(uri));
  return { uri, prompt, config: chainConfig(prompt, settings), settings };
}

/** The source's stored conversation; a clear error when the file keeps none (`memory: false`). */
export function conversationOf(server: PromptServer, source: PromptSource): { conversation: Conversation; memory: MemoryConfig } {
  const memory = source.config.memory;
  if (!memory) throw requestFailed(`${source.uri} says \`memory: false\`, so it keeps no conversation.`);
  return { conversation: server.conversations.open(source.uri, memory), memory };
}

/** A request that was understood but cannot be done; `message` says why and what to change. */
export function requestFailed(message: string, data?: { kind: string }): ResponseError<{ kind: string } | undefined> {
  return new ResponseError(LSPErrorCodes.RequestFailed, message, data);
}

/** The same reader, limits and one-line errors as the CLI's (core/files). */
async function readFromDisk(uri: string): Promise<string> {
  const filePath = filePathOf(uri);
  if (!filePath) throw requestFailed(`${uri} is not open in the editor and is not a file on disk.`);
  return readPromptFile(filePath).catch((error: unknown) => {
    throw error instanceof PromptFileError ? requestFailed(error.message, { kind: 'file' }) : error;
  });
}
