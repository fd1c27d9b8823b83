// promptChain.importFile { uri } -> ImportFileResult: another tool's prompt file (the editor's text when open)
// as `.prompt` text, by the one dispatcher (core/interop/importFile.ts), with the name core gives the new
// file and the error diagnostics the editor will show in it. Nothing is written: the client creates the file
// (never over an existing one) and opens it. A file no importer recognizes fails with kind 'interop'.

import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver';
import { importedFileName } from '../../../core/interop/formats';
import { importFile } from '../../../core/interop/importFile';
import type { Imported } from '../../../core/interop/types';
import { createContext, errorsNow } from '../../../service/languageService';
import type { ImportFileResult } from '../protocol';
import type { PromptServer } from '../server';
import { toServiceSettings } from '../settings';
import { engineFailure } from '../failures';
import { argumentObject, requiredString } from './arguments';
import { fileNameOf, readSourceText } from './promptSource';

export async function importFileCommand(server: PromptServer, command: string, args: unknown[] | undefined): Promise<ImportFileResult> {
  const uri = requiredString(command, argumentObject(command, args), 'uri');
  const sourceName = fileNameOf(uri);
  const imported = importOrFail(await readSourceText(server, uri), sourceName);
  const fileName = importedFileName(sourceName);
  return { ...imported, fileName, errors: await errorsOf(server, siblingUri(uri, fileName), imported.text) };
}

function importOrFail(text: string, fileName: string): Imported {
  try {
    return importFile(text, fileName);
  } catch (error) {
    throw engineFailure(error);
  }
}

/** The new file's errors, checked as the editor will check it once written beside the source (no token count needed). */
async function errorsOf(server: PromptServer, uri: string, text: string): Promise<Diagnostic[]> {
  const settings = toServiceSettings(await server.settings.get(uri));
  return errorsNow(createContext(TextDocument.create(uri, 'prompt', 0, text), settings));
}

function siblingUri(uri: string, fileName: string): string {
  const slash = uri.lastIndexOf('/');
  return `${uri.slice(0, slash + 1)}${encodeURIComponent(fileName)}`;
}
