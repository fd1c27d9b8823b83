// Where conversations live on disk. A state directory belongs to one workspace; inside it each
// conversation is a JSONL file named after a stable id, so the same prompt file in the same workspace
// always finds its turns again, and the same file name in two workspaces never shares them.
//
// Identity is decided on real paths (symbolic links resolved), here and nowhere else: a workspace opened
// through a link and through its target, by the CLI or the server, is one workspace with one conversation.

import { createHash } from 'node:crypto';
import { existsSync, realpathSync, renameSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { MemoryScope } from '../format/model';

/** Told, once per folder, that an old state folder could not be moved and is used where it is. */
export type StateDirWarning = (message: string) => void;

/** `$XDG_STATE_HOME/prompt-chain/<workspaceFolderId(workspace root)>`, see workspaceStateDir. */
export function defaultStateDir(workspaceRoot: string, env: NodeJS.ProcessEnv = process.env, onWarning?: StateDirWarning): string {
  const xdg = env.XDG_STATE_HOME;
  // The XDG spec says a relative value is invalid and must be ignored.
  const stateHome = xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.local', 'state');
  return workspaceStateDir(join(stateHome, 'prompt-chain'), workspaceRoot, onWarning);
}

// Old folders already reported as kept where they are: "say so once" per process.
const keptOldFolders = new Set<string>();

/**
 * The state folder of a workspace under `parent`: `<parent>/<workspaceFolderId(root)>`. Folders were once
 * keyed by the root as given, so a workspace opened through a symbolic link (macOS /tmp is one) had its
 * conversations under the hash of the link's path. The first time such a root is seen and only the old
 * folder exists, it is renamed to the new one (atomic, same parent); if that fails, the old folder is used
 * and `onWarning` is told once. Nothing stored is left behind unseen.
 */
export function workspaceStateDir(parent: string, workspaceRoot: string, onWarning?: StateDirWarning): string {
  const given = resolve(workspaceRoot);
  const real = realPath(given);
  const folder = join(parent, hashedId(real));
  if (given === real || existsSync(folder)) return folder;
  const oldFolder = join(parent, hashedId(given));
  if (!existsSync(oldFolder)) return folder;
  try {
    renameSync(oldFolder, folder);
    return folder;
  } catch (error) {
    // Another process moved it first: the new folder is the one.
    if (existsSync(folder) && !existsSync(oldFolder)) return folder;
    if (!keptOldFolders.has(oldFolder)) {
      keptOldFolders.add(oldFolder);
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      onWarning?.(`could not move the conversations of ${given} from ${oldFolder} to ${folder} (${code}); using ${oldFolder}: move it there by hand to share them with ${real}`);
    }
    return oldFolder;
  }
}

/** The first 16 hex of sha256 of the workspace root's real path: names its state folder. */
export function workspaceFolderId(workspaceRoot: string): string {
  return hashedId(realPath(workspaceRoot));
}

function hashedId(path: string): string {
  return sha256Hex(path).slice(0, 16);
}

/**
 * The absolute path with every symbolic link resolved. A path that does not exist (yet) keeps its
 * missing tail under the real path of its nearest existing ancestor; one that cannot be resolved at all
 * (a permission problem) stays as given, resolved.
 */
export function realPath(path: string): string {
  return resolved(resolve(path)).path;
}

interface Resolved {
  path: string;
  /** Every existing folder on the way was resolved (false: a permission problem left part as given). */
  complete: boolean;
}

function resolved(absolute: string): Resolved {
  try {
    return { path: realpathSync.native(absolute), complete: true };
  } catch (error) {
    const parent = dirname(absolute);
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || parent === absolute) return { path: absolute, complete: false };
    const real = resolved(parent);
    return { path: join(real.path, basename(absolute)), complete: real.complete };
  }
}

/**
 * The real paths of a workspace root and of a file, with one resolution when the file's settles both:
 * a real path has no link in it, so when the file's real path is its own path and lies under the root,
 * every folder on its way is real, the root among them. Otherwise the root is resolved too.
 */
function realRootAndFile(workspaceRoot: string, filePath: string): { root: string; file: string } {
  const root = absolute(workspaceRoot);
  const given = absolute(filePath);
  const file = resolved(given);
  if (file.complete && file.path === given && isInside(given, root)) return { root, file: given };
  return { root: realPath(root), file: file.path };
}

/**
 * resolve(path), without its work for the path every host passes: already absolute and normal (POSIX
 * separators, no `.`, `..` or empty segment, no trailing separator). Asked on every open of a conversation.
 */
function absolute(path: string): string {
  return sep === '/' && isNormalAbsolute(path) ? path : resolve(path);
}

function isNormalAbsolute(path: string): boolean {
  if (path.charCodeAt(0) !== 0x2f || path.length < 2 || path.charCodeAt(path.length - 1) === 0x2f) return false;
  return !path.includes('//') && !path.includes('/./') && !path.includes('/../') && !path.endsWith('/.') && !path.endsWith('/..');
}

/** relative(folder, path) for a path inside the folder, in `/` form, without path.relative's normalizing. */
function relativeInside(folder: string, path: string): string {
  const relativePath = isInside(path, folder) ? path.slice(folder.endsWith(sep) ? folder.length : folder.length + 1) : relative(folder, path);
  return sep === '/' ? relativePath : relativePath.split(sep).join('/');
}

function isInside(path: string, folder: string): boolean {
  if (path === folder) return true;
  return path.startsWith(folder.endsWith(sep) ? folder : folder + sep);
}

/** What a conversation is keyed by, recorded beside it so `memory show` and humans can name it. */
export interface ConversationIdentity {
  scope: MemoryScope;
  /** scope 'file': the prompt file relative to the workspace root, with `/` separators. */
  file?: string;
  /** scope 'workspace': the memory key the conversation is shared under. */
  memoryKey?: string;
}

export function conversationIdentity(
  workspaceRoot: string,
  filePath: string,
  scope: MemoryScope,
  memoryKey: string,
): ConversationIdentity {
  if (scope === 'workspace') return { scope, memoryKey };
  const real = realRootAndFile(workspaceRoot, filePath);
  return { scope, file: relativeInside(real.root, real.file) };
}

/** A file-name-safe id: a readable stem (for people listing the folder) plus a hash (for uniqueness). */
export function conversationId(identity: ConversationIdentity): string {
  const key = identity.scope === 'workspace' ? `workspace\0${identity.memoryKey}` : `file\0${identity.file}`;
  // A pure function of the key, asked again on every open: the hash is remembered (a server opens the
  // same few conversations turn after turn).
  const known = knownIds.get(key);
  if (known !== undefined) return known;
  const readable = identity.scope === 'workspace' ? `workspace-${identity.memoryKey}` : baseName(identity.file ?? '');
  const id = `${slug(readable)}-${sha256Hex(key).slice(0, 16)}`;
  if (knownIds.size >= maxKnownIds) knownIds.clear();
  knownIds.set(key, id);
  return id;
}

const knownIds = new Map<string, string>();
const maxKnownIds = 1024;

export interface ConversationPaths {
  /** The append-only turn records. */
  records: string;
  /** The identity, written once beside the records. */
  meta: string;
  /** Held while a turn runs. */
  lock: string;
}

export function conversationPaths(stateDir: string, id: string): ConversationPaths {
  const base = join(stateDir, 'conversations', id);
  return { records: `${base}.jsonl`, meta: `${base}.json`, lock: `${base}.lock` };
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 48) || 'conversation';
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
