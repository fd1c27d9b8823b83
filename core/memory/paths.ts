// Where conversations live on disk. A state directory belongs to one workspace; inside it each
// conversation is a JSONL file named after a stable id, so the same prompt file in the same workspace
// always finds its turns again, and the same file name in two workspaces never shares them.
//
// Identity is decided on real paths (symbolic links resolved), here and nowhere else: a workspace opened
// through a link and through its target, by the CLI or the server, is one workspace with one conversation.

import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { MemoryScope } from '../format/model';

/** `$XDG_STATE_HOME/prompt-chain/<workspaceFolderId(workspace root)>`. */
export function defaultStateDir(workspaceRoot: string, env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_STATE_HOME;
  // The XDG spec says a relative value is invalid and must be ignored.
  const stateHome = xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.local', 'state');
  return join(stateHome, 'prompt-chain', workspaceFolderId(workspaceRoot));
}

/** The first 16 hex of sha256 of the workspace root's real path: names its state folder. */
export function workspaceFolderId(workspaceRoot: string): string {
  return sha256Hex(realPath(workspaceRoot)).slice(0, 16);
}

/**
 * The absolute path with every symbolic link resolved. A path that does not exist (yet) keeps its
 * missing tail under the real path of its nearest existing ancestor; one that cannot be resolved at all
 * (a permission problem) stays as given, resolved.
 */
export function realPath(path: string): string {
  const absolute = resolve(path);
  try {
    return realpathSync.native(absolute);
  } catch (error) {
    const parent = dirname(absolute);
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || parent === absolute) return absolute;
    return join(realPath(parent), basename(absolute));
  }
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
  const file = relative(realPath(workspaceRoot), realPath(filePath)).split(sep).join('/');
  return { scope, file };
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
