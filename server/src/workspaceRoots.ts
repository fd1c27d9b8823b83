// The workspace folders the client opened. Memory is stored per workspace, so every file is attributed to
// the innermost folder that holds it (or, outside any folder, to its own directory). An editor may open a
// folder through a symbolic link and name its files by their real path (or the other way round), so a
// folder holds a file when it does by the paths as given or by their real paths.

import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InitializeParams, WorkspaceFolder, WorkspaceFoldersChangeEvent } from 'vscode-languageserver';
import { realPath } from '../../core/memory/paths';

interface Root {
  /** As the client named it: what the conversation is stored under. */
  path: string;
  /** Its real path, resolved once when the folder is added. */
  real: string;
}

export class WorkspaceRoots {
  private roots: Root[];

  constructor(params: InitializeParams) {
    this.roots = initialFolders(params).flatMap(folderPath).map(rootAt);
  }

  onDidChange(event: WorkspaceFoldersChangeEvent | null | undefined): void {
    const removed = new Set(foldersOf(event?.removed).flatMap(folderPath));
    this.roots = [...this.roots.filter((root) => !removed.has(root.path)), ...foldersOf(event?.added).flatMap(folderPath).map(rootAt)];
  }

  /** The innermost workspace folder holding `filePath` (as given or by real paths), else the file's own directory. */
  rootOf(filePath: string): string {
    const realFile = realPath(filePath);
    const holders = this.roots.filter((root) => isInside(filePath, root.path) || isInside(realFile, root.real));
    return holders.sort((a, b) => b.real.length - a.real.length)[0]?.path ?? path.dirname(filePath);
  }
}

/** The file system path of a `file:` uri; undefined for any other scheme (untitled, vscode-notebook, …). */
export function filePathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/** The folder of a `file:` document: where a relative `local:./x.gguf` it names is found (undefined for other schemes). */
export function folderOfDocument(uri: string): string | undefined {
  const file = filePathOf(uri);
  return file === undefined ? undefined : path.dirname(file);
}

/** Folder lists come from the client: anything but a list of folders counts as none. */
function foldersOf(folders: unknown): WorkspaceFolder[] {
  return Array.isArray(folders) ? folders.filter((folder): folder is WorkspaceFolder => typeof folder?.uri === 'string') : [];
}

function initialFolders(params: InitializeParams): WorkspaceFolder[] {
  if (params.workspaceFolders) return foldersOf(params.workspaceFolders);
  if (params.rootUri) return foldersOf([{ uri: params.rootUri, name: 'root' }]);
  return [];
}

function folderPath(folder: WorkspaceFolder): string[] {
  const folderFilePath = filePathOf(folder.uri);
  return folderFilePath ? [folderFilePath] : [];
}

function rootAt(folder: string): Root {
  return { path: folder, real: realPath(folder) };
}

function isInside(filePath: string, root: string): boolean {
  const relative = path.relative(root, filePath);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}
