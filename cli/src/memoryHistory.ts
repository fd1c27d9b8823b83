// `prompt-chain memory` on shared histories: show and clear an attached session (--history, --session),
// list a store's sessions, and copy between the local conversation and a session (export --to, import
// --from). Stores are named by their display form only; a clear of the application's messages needs --yes.
//
// Import takes exchanges only: the local store keeps `{input, output}` records that LangChain apps and
// other tools read, so a session with a lone message (a system message, an unpaired one) is refused,
// naming it, rather than losing it or inventing its pair.

import type { ChainConfig, HistoryEntry, MemoryConfig, Turn } from '../../core/chain/types';
import { entryMessages, isLone } from '../../core/chain/entries';
import { getBufferString, type PromptValue } from '../../core/chain/format';
import { memoryVariables, memoryViewOf } from '../../core/chain/memoryClasses';
import { encodeTurn, writeStyle } from '../../core/history/messageDicts';
import { listStoreSessions, openHistory } from '../../core/history/openHistory';
import { refuseReadonly } from '../../core/history/stores/localStore';
import { sessionEntries } from '../../core/history/sessionEntries';
import { HistoryStoreError, type HistoryTarget } from '../../core/history/types';
import { UsageError, type ParsedArgs } from './args';
import { openFileConversation } from './conversation';
import { copyAttachmentOf, historyTargetOf, sessionName, withSharedConversation, type SharedAttachment } from './history';
import { json, plural, type Io } from './output';
import type { ShowOptions } from './memoryShow';

export async function showShared(attachment: SharedAttachment, config: ChainConfig, options: ShowOptions, args: ParsedArgs, io: Io): Promise<void> {
  const memory = config.memory!;
  await withSharedConversation(attachment, args, io, async ({ conversation }) => {
    const messages = await conversation.messages(io.signal);
    const entries = await conversation.load();
    const state = await conversation.loadState();
    const view = memoryViewOf(entries, state, memory, config);
    const sees = memoryVariables(entries, memory, config, state)[memory.key] ?? '';
    if (options.asJson) {
      const all = options.all && { messages: messages.map(({ type, content, dialect, raw }) => ({ type, content, dialect, raw })) };
      io.out(json({ memoryKey: memory.key, type: view.type, history: { store: attachment.target.display, session: attachment.sessionId }, view, sees, ...all }));
      return;
    }
    if (entries.length === 0) io.out('no stored messages\n');
    else io.out(`${options.all ? getBufferString(entryMessages(entries), memory.humanPrefix, memory.aiPrefix) : seenText(sees, memory)}\n`);
    io.err(`${plural(messages.length, 'message')} in ${sessionName(attachment)}: ${plural(view.storedTurns, 'turn')}${view.loneMessages ? `, ${plural(view.loneMessages, 'lone message')}` : ''}\n`);
  });
}

function seenText(sees: PromptValue, memory: MemoryConfig): string {
  return typeof sees === 'string' ? sees : getBufferString(sees, memory.humanPrefix, memory.aiPrefix);
}

export async function clearShared(attachment: SharedAttachment, yes: boolean, args: ParsedArgs, io: Io): Promise<void> {
  if (!yes) throw new UsageError(`memory clear deletes ${sessionName(attachment)} for every application that reads it: add --yes to go ahead`);
  await withSharedConversation(attachment, args, io, async ({ conversation }) => {
    const count = (await conversation.messages(io.signal)).length;
    await conversation.clear();
    io.out(count === 0 ? `no stored messages to clear in ${sessionName(attachment)}\n` : `cleared ${plural(count, 'message')} from ${sessionName(attachment)}\n`);
  });
}

export async function listSessions(args: ParsedArgs, asJson: boolean, io: Io): Promise<void> {
  const target: HistoryTarget = historyTargetOf(args, io, 'memory sessions');
  const sessions = await listStoreSessions(target);
  if (asJson) io.out(json({ store: target.display, sessions }));
  else if (sessions.length === 0) io.err(`no sessions in ${target.display}\n`);
  else io.out(`${sessions.join('\n')}\n`);
}

/** The local conversation's turns appended to the session, all in one append (all or nothing). */
export async function exportToStore(file: string, memory: MemoryConfig, args: ParsedArgs, io: Io): Promise<void> {
  const attachment = copyAttachmentOf(args, io, 'to');
  const local = await openFileConversation(file, memory, args, io);
  const turns = await local.load();
  if (turns.length === 0) {
    io.err(`no stored turns to export from ${file}\n`);
    return;
  }
  const store = await openHistory(attachment.target);
  try {
    refuseReadonly(attachment.target, 'export the turns');
    const style = writeStyle(await store.messages(attachment.sessionId, io.signal), attachment.target.options.dialect);
    const dicts = turns.flatMap((turn) => encodeTurn(turn, style));
    await store.append(attachment.sessionId, dicts, io.signal);
  } finally {
    await store.close().catch(() => undefined);
  }
  io.out(`exported ${plural(turns.length, 'turn')} (${plural(turns.length * 2, 'message')}) from ${file} to ${sessionName(attachment)}\n`);
}

/** The session's exchanges into the local conversation, which must be empty (nothing is merged or lost), all or none. */
export async function importFromStore(file: string, memory: MemoryConfig, args: ParsedArgs, io: Io): Promise<void> {
  const attachment = copyAttachmentOf(args, io, 'from');
  const local = await openFileConversation(file, memory, args, io);
  const store = await openHistory(attachment.target);
  let turns: Turn[];
  try {
    const { entries } = sessionEntries(await store.messages(attachment.sessionId, io.signal), undefined, sessionName(attachment));
    turns = exchangesOnly(entries, attachment);
  } finally {
    await store.close().catch(() => undefined);
  }
  await local.withLock(async () => {
    const stored = (await local.load()).length;
    if (stored > 0) throw new UsageError(`${file} already has ${plural(stored, 'stored turn')}: import goes into an empty conversation (run "prompt-chain memory clear ${file}" first)`);
    // One write: a failure part way (a full disk) leaves the conversation empty, never half imported.
    await local.appendAll(turns);
  });
  io.out(`imported ${plural(turns.length, 'turn')} from ${sessionName(attachment)} into ${file}'s conversation\n`);
}

function exchangesOnly(entries: readonly HistoryEntry[], attachment: SharedAttachment): Turn[] {
  const turns: Turn[] = [];
  let message = 0;
  for (const entry of entries) {
    if (isLone(entry)) {
      throw new HistoryStoreError(
        'unsupported',
        `message ${message + 1} of ${sessionName(attachment)} is a ${entry.lone.type} message without its pair: the local conversation keeps exchanges only. Nothing was imported; attach the session instead (--history, --session).`,
      );
    }
    turns.push(entry);
    message += 2;
  }
  return turns;
}
