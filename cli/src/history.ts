// Which shared history a CLI command uses, asked of core's one decider (core/history/attachment.ts) with
// what the command line and the environment say: --history URL|NAME (else PROMPT_CHAIN_HISTORY_URL),
// --session ID (else PROMPT_CHAIN_HISTORY_SESSION), the named stores of PROMPT_CHAIN_HISTORY_STORES (a
// JSON object, the shape of the editor's promptChain.historyStores). A URL comes only from there, never
// from the file; messages name a store by its display form, never its password.

import { resolve } from 'node:path';
import type { Conversation, HistoryEntry, MemoryConfig } from '../../core/chain/types';
import { decideAttachment, decideStore, parseNamedStores, type Attachment } from '../../core/history/attachment';
import { openHistoryConversation, type HistoryConversation } from '../../core/history/historyConversation';
import { parseHistoryUrl } from '../../core/history/historyUrl';
import { HISTORY_STORES_VARIABLE } from '../../core/history/names';
import { openHistory } from '../../core/history/openHistory';
import type { ChatHistoryStore, HistoryTarget } from '../../core/history/types';
import { defaultStateDir } from '../../core/memory/store';
import { nonEmptyValueOf, UsageError, type FlagSpec, type ParsedArgs } from './args';
import { memoryLocationOf, openFileConversation } from './conversation';
import type { Io } from './output';

export const historyFlags: FlagSpec[] = [
  { name: 'history', value: true },
  { name: 'session', value: true },
];

export type SharedAttachment = Extract<Attachment, { kind: 'shared' }>;

/** The attachment for a file whose memory names `fileStore` (or none): local, or a store's session. */
export function historyAttachmentOf(args: ParsedArgs, io: Io, fileStore: string | undefined): Attachment {
  const sessionId = nonEmptyValueOf(args, 'session', 'a session id') ?? (io.env['PROMPT_CHAIN_HISTORY_SESSION'] || undefined);
  return decideAttachment({ ...storeRequest(args, io, fileStore), sessionId });
}

/** The store the command line names (`memory sessions`), whatever the session. */
export function historyTargetOf(args: ParsedArgs, io: Io, flag: string): HistoryTarget {
  const store = decideStore(storeRequest(args, io, undefined));
  if (!store) throw new UsageError(`${flag} needs a store: --history URL|NAME (or PROMPT_CHAIN_HISTORY_URL)`);
  return store.target;
}

function storeRequest(args: ParsedArgs, io: Io, fileStore: string | undefined) {
  const explicit = nonEmptyValueOf(args, 'history', 'a history URL or store name') ?? (io.env['PROMPT_CHAIN_HISTORY_URL'] || undefined);
  const stores = parseNamedStores(io.env[HISTORY_STORES_VARIABLE], HISTORY_STORES_VARIABLE);
  return { fileStore, stores, explicit, trusted: true, parseUrl: (text: string) => parseHistoryUrl(text, io.cwd) };
}

/**
 * The session `memory export --to` and `memory import --from` copy to or from: the flag's URL or name
 * (resolved as --history is), and --session.
 */
export function copyAttachmentOf(args: ParsedArgs, io: Io, flag: 'to' | 'from'): SharedAttachment {
  const explicit = nonEmptyValueOf(args, flag, 'a history URL or store name');
  if (explicit === undefined) throw new UsageError(`memory ${flag === 'to' ? 'export' : 'import'} needs --${flag} URL|NAME`);
  const sessionId = nonEmptyValueOf(args, 'session', 'a session id') ?? (io.env['PROMPT_CHAIN_HISTORY_SESSION'] || undefined);
  const attachment = decideAttachment({ ...storeRequest(args, io, undefined), explicit, sessionId });
  if (attachment.kind !== 'shared') throw new UsageError(`--${flag} needs a store URL or name`);
  return attachment;
}

export interface OpenedHistory {
  store: ChatHistoryStore;
  conversation: HistoryConversation;
}

/**
 * Opens the store and the session's conversation (the session is the conversation whatever the memory's
 * scope or key); the memory state goes to the CLI's state folder.
 */
export async function openSharedConversation(attachment: SharedAttachment, args: ParsedArgs, io: Io): Promise<OpenedHistory> {
  const store = await openHistory(attachment.target);
  const { workspace, memoryDir } = memoryLocationOf(args);
  const workspaceRoot = resolve(io.cwd, workspace ?? '.');
  const onWarning = (message: string) => io.err(`warning: ${message}\n`);
  const stateDir = memoryDir === undefined ? defaultStateDir(workspaceRoot, io.env, onWarning) : resolve(io.cwd, memoryDir);
  const conversation = openHistoryConversation({ store, sessionId: attachment.sessionId, stateDir, onWarning, relocateHint: 'set --memory-dir to a writable folder' });
  return { store, conversation };
}

/** Runs `fn` with the opened session, closing the store's connections after, whatever happened. */
export async function withSharedConversation<T>(attachment: SharedAttachment, args: ParsedArgs, io: Io, fn: (opened: OpenedHistory) => Promise<T>): Promise<T> {
  const opened = await openSharedConversation(attachment, args, io);
  try {
    return await fn(opened);
  } finally {
    await opened.store.close().catch(() => undefined);
  }
}

/** "session a1b2 of redis://cache:6379" — the one way the CLI names an attached session. */
export function sessionName(attachment: SharedAttachment): string {
  return `session ${attachment.sessionId} of ${attachment.target.display}`;
}

/**
 * The conversation a command on FILE uses: none without memory, the local one, or the attached session
 * (`fn` is told which, to say where the turn went).
 */
export async function withFileConversation<T>(
  file: string,
  memory: MemoryConfig | undefined,
  args: ParsedArgs,
  io: Io,
  fn: (conversation: Conversation<HistoryEntry> | undefined, attachment?: SharedAttachment) => Promise<T>,
): Promise<T> {
  if (!memory) return fn(undefined);
  const attachment = historyAttachmentOf(args, io, memory.history);
  if (attachment.kind === 'local') return fn(await openFileConversation(file, memory, args, io));
  return withSharedConversation(attachment, args, io, ({ conversation }) => fn(conversation, attachment));
}
