// `prompt-chain memory show|clear|repair FILE`: the file's stored conversation, printed as the prompt sees
// it and with the account of the whole stored history (memoryShow.ts), deleted with the memory's state
// (its summary), or rid of damaged records and a damaged state (moved to side files, never deleted).

import type { ChainConfig, MemoryConfig } from '../../core/chain/types';
import { memoryVariables, memoryViewOf } from '../../core/chain/memoryClasses';
import type { StoredConversation } from '../../core/memory/store';
import { damagedStatePathOf } from '../../core/memory/state';
import { has, parseArgs, UsageError, type ParsedArgs } from './args';
import { historyAttachmentOf, historyFlags, sessionName } from './history';
import { clearShared, exportToStore, importFromStore, listSessions, showShared } from './memoryHistory';
import { memoryLocationFlags, memoryLocationOf, openFileConversation } from './conversation';
import { ExitCode, json, plural, type Io } from './output';
import { loadPrompt } from './prompt';
import { commandUsage } from './usage';
import { lineList, printMemory, type ShowOptions } from './memoryShow';

const actions = ['show', 'clear', 'repair', 'sessions', 'export', 'import'] as const;
type Action = (typeof actions)[number];

export async function memoryCommand(argv: string[], io: Io): Promise<number> {
  const args = parseArgs(argv, [...memoryLocationFlags, ...historyFlags, { name: 'to', value: true }, { name: 'from', value: true }, { name: 'yes' }, { name: 'all' }, { name: 'json' }, { name: 'help', short: 'h' }]);
  if (has(args, 'help')) {
    io.out(`${commandUsage.memory}\n`);
    return ExitCode.ok;
  }
  const [action, file, ...extra] = args.positionals;
  if (!isAction(action)) {
    throw new UsageError(action === undefined ? 'memory needs show, clear, repair, sessions, export or import' : `unknown memory action "${action}" (show, clear, repair, sessions, export or import)`);
  }
  if (action === 'sessions') {
    if (file !== undefined) throw new UsageError(`memory sessions takes no FILE; unexpected "${file}"`);
    await listSessions(args, has(args, 'json'), io);
    return ExitCode.ok;
  }
  if (file === undefined) throw new UsageError(`memory ${action} needs a FILE`);
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  const options: ShowOptions = { all: has(args, 'all'), asJson: has(args, 'json') };
  if (action !== 'show' && (options.all || options.asJson)) throw new UsageError(`--${options.all ? 'all' : 'json'} goes with memory show only`);
  memoryLocationOf(args); // checked now, even for a prompt without memory
  const { config } = await loadPrompt(file);
  if (!config.memory) {
    if (options.asJson) io.out(json({ memoryKey: null, type: null, sees: null, turns: [] }));
    else io.out(`no stored turns (${file} has memory: false)\n`);
    return ExitCode.ok;
  }
  if (action === 'export') await exportToStore(file, config.memory, args, io);
  else if (action === 'import') await importFromStore(file, config.memory, args, io);
  else await onConversation(action, file, config, options, args, io);
  return ExitCode.ok;
}

/** show, clear and repair: on the attached session when one is (not repair: a store repairs itself), else the local one. */
async function onConversation(action: 'show' | 'clear' | 'repair', file: string, config: ChainConfig, options: ShowOptions, args: ParsedArgs, io: Io): Promise<void> {
  const attachment = historyAttachmentOf(args, io, config.memory!.history);
  if (attachment.kind === 'shared') {
    if (action === 'repair') throw new UsageError(`memory repair works on the local conversation; ${sessionName(attachment)} is the store's to repair`);
    return action === 'show' ? showShared(attachment, config, options, args, io) : clearShared(attachment, has(args, 'yes'), args, io);
  }
  const conversation = await openFileConversation(file, config.memory!, args, io);
  if (action === 'show') await show(conversation, config, options, io);
  else if (action === 'clear') await clear(conversation, config.memory!, io);
  else await repair(conversation, io);
}

function isAction(action: string | undefined): action is Action {
  return (actions as readonly (string | undefined)[]).includes(action);
}

async function show(conversation: StoredConversation, config: ChainConfig, options: ShowOptions, io: Io): Promise<void> {
  const memory = config.memory!;
  const report = await conversation.inspect();
  const { state } = report.memoryState;
  const view = memoryViewOf(report.turns, state, memory, config);
  const sees = memoryVariables(report.turns, memory, config, state)[memory.key] ?? '';
  printMemory({ conversation, report, view, sees, memory }, options, io);
}

async function clear(conversation: StoredConversation, memory: MemoryConfig, io: Io): Promise<void> {
  const cleared = await conversation.withLock(async () => {
    const count = (await conversation.load()).length;
    await conversation.clear();
    return count;
  });
  // The state went with the turns (the store's clear): say so for the classes that keep one.
  const reset = memory.type === 'summary' || memory.type === 'summary_buffer' ? '; the summary starts empty' : '';
  io.out(cleared === 0 ? `no stored turns to clear${reset}\n` : `cleared ${plural(cleared, 'stored turn')}${reset}\n`);
}

async function repair(conversation: StoredConversation, io: Io): Promise<void> {
  const moved = await conversation.repairDamaged();
  if (moved.length === 0) io.out(`no damaged records in ${conversation.recordsPath}\n`);
  else io.out(`moved ${plural(moved.length, 'damaged record')} (${lineList(moved)}) from ${conversation.recordsPath} to ${conversation.damagedPath}\n`);
  if (await conversation.repairState()) {
    io.out(`moved the damaged memory state ${conversation.statePath} to ${damagedStatePathOf(conversation.statePath)}; what the prompt sees is derived again from the stored turns on the next turn\n`);
  }
}
