// The `.prompt` a command acts on: the editor's text when the document is open (unsaved edits included),
// else the file on disk. Its chain configuration gets the defaults from the resource's settings, and its
// diagnostics are the ones the editor shows (the same context, so the same version).

import * as path from 'node:path';
import type { Diagnostic, ResponseError } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { PromptDocument } from '../../../core/format/model';
import type { ChainConfig, MemoryConfig } from '../../../core/chain/types';
import type { OpenedConversation } from '../conversations';
import { PromptFileError, readPromptFile } from '../../../core/files/readPromptFile';
import { createContext, errorsNow, type PromptContext } from '../../../service/languageService';
import { filePathOf } from '../workspaceRoots';
import type { PromptServer } from '../server';
import { toServiceSettings, type ResolvedSettings } from '../settings';
import { failed, fileHasErrors } from '../failures';
import type { FailureData } from '../protocol';
import { otherToolRefusal } from '../../../core/interop/otherTools';

export interface PromptSource {
  uri: string;
  prompt: PromptDocument;
  config: ChainConfig;
  settings: ResolvedSettings;
  /** The language service's view of the same text: its diagnostics are the editor's. */
  context: PromptContext;
}

export async function loadPromptSource(server: PromptServer, uri: string): Promise<PromptSource> {
  const settings = await server.settings.get(uri);
  const context = (await server.contexts.get(uri)) ?? createContext(TextDocument.create(uri, 'prompt', 0, await readFromDisk(uri)), toServiceSettings(settings));
  return { uri, prompt: context.prompt, config: context.config, settings, context };
}

/**
 * The source's error-severity diagnostics, as the editor shows them (or would, for a file not open),
 * known without waiting for a big prompt's first token count (only warnings depend on it).
 */
export function errorDiagnostics(source: PromptSource): Diagnostic[] {
  return errorsNow(source.context);
}

/** A file with errors would not run as written: refused before anything is read, sent or stored. */
export async function refuseErrors(source: PromptSource, doing?: string): Promise<void> {
  refuseOtherToolFile(source);
  const errors = errorDiagnostics(source);
  if (errors.length > 0) throw fileHasErrors(fileNameOf(source.uri), errors, doing);
}

/**
 * A Dotprompt or Continue file shows no errors here (Prompt Chain leaves it alone), yet it is not a prompt of
 * ours: a turn on it is refused, saying whose file it is, before anything is read, sent or stored.
 */
function refuseOtherToolFile(source: PromptSource): void {
  const message = otherToolRefusal(source.prompt.text, fileNameOf(source.uri), 'Import…');
  if (message !== undefined) throw requestFailed(message, { kind: 'file-has-errors', reason: 'other-tool-file' });
}

/** The source's stored conversation; a clear error when the file keeps none (`memory: false`). */
export async function conversationOf(server: PromptServer, source: PromptSource): Promise<OpenedConversation & { memory: MemoryConfig }> {
  const memory = source.config.memory;
  if (!memory) throw requestFailed(`${source.uri} says \`memory: false\`, so it keeps no conversation.`, { kind: 'memory', reason: 'memory-off' });
  return { ...(await server.conversations.open(source.uri, memory)), memory };
}

/** A request that was understood but cannot be done; `message` says why and what to change. */
export function requestFailed(message: string, data: FailureData): ResponseError<FailureData> {
  const { kind, ...rest } = data;
  return failed({ kind, message, ...rest });
}

/** The name the user knows the file by. */
export function fileNameOf(uri: string): string {
  const filePath = filePathOf(uri);
  return filePath ? path.basename(filePath) : uri;
}

/** Any file's text as a command reads it: the editor's when open (unsaved edits included), else the disk's. */
export async function readSourceText(server: PromptServer, uri: string): Promise<string> {
  return server.documents.get(uri)?.getText() ?? readFromDisk(uri);
}

/** The same reader, limits and one-line errors as the CLI's (core/files). */
async function readFromDisk(uri: string): Promise<string> {
  const filePath = filePathOf(uri);
  if (!filePath) throw requestFailed(`${uri} is not open in the editor and is not a file on disk.`, { kind: 'file', reason: 'not-a-file' });
  return readPromptFile(filePath).catch((error: unknown) => {
    throw error instanceof PromptFileError ? requestFailed(error.message, { kind: 'file' }) : error;
  });
}
