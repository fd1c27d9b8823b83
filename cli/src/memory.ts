// `prompt-chain memory show|clear|repair FILE`: the file's stored conversation, printed as the model sees
// it (ConversationBufferMemory's buffer string with the file's prefixes), deleted, or rid of damaged
// records (moved to a side file, never deleted).

import { getBufferString } from '../../core/chain/format';
import { turnMessages } from '../../core/chain/memory';
import type { MovedRecord, StoredConversation } from '../../core/memory/store';
import { has, parseArgs, UsageError } from './args';
import { memoryLocationFlags, memoryLocationOf, openFileConversation } from './conversation';
import { ExitCode, plural, type Io } from './output';
import { loadPrompt } from './prompt';
import { commandUsage } from './usage';

const actions = ['show', 'clear', 'repair'] as const;
type Action = (typeof actions)[number];

export async function memoryCommand(argv: string[], io: Io): Promise<number> {
  const args = parseArgs(argv, [...memoryLocationFlags, { name: 'help', short: 'h' }]);
  if (has(args, 'help')) {
    io.out(`${commandUsage.memory}\n`);
    return ExitCode.ok;
  }
  const [action, file, ...extra] = args.positionals;
  if (!isAction(action)) {
    throw new UsageError(action === undefined ? 'memory needs show, clear or repair' : `unknown memory action "${action}" (show, clear or repair)`);
  }
  if (file === undefined) throw new UsageError(`memory ${action} needs a FILE`);
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  memoryLocationOf(args); // checked now, even for a prompt without memory
  const { config } = await loadPrompt(file);
  if (!config.memory) {
    io.out(`no stored turns (${file} has memory: false)\n`);
    return ExitCode.ok;
  }
  const conversation = await openFileConversation(file, config.memory, args, io);
  if (action === 'show') await show(conversation, config.memory, io);
  else if (action === 'clear') await clear(conversation, io);
  else await repair(conversation, io);
  return ExitCode.ok;
}

function isAction(action: string | undefined): action is Action {
  return (actions as readonly (string | undefined)[]).includes(action);
}

async function show(conversation: StoredConversation, prefixes: { humanPrefix: string; aiPrefix: string }, io: Io): Promise<void> {
  const { turns, damagedLines, movedAside } = await conversation.inspect();
  if (turns.length === 0) io.out('no stored turns\n');
  else {
    io.out(`${getBufferString(turnMessages(turns), prefixes.humanPrefix, prefixes.aiPrefix)}\n`);
    io.err(`${plural(turns.length, 'turn')} stored in ${conversation.recordsPath}\n`);
  }
  if (damagedLines.length > 0) {
    io.err(
      `${plural(damagedLines.length, 'damaged record')} skipped (${lineList(damagedLines)} of ${conversation.recordsPath}); ` +
        `run "${conversation.repairCommand}" to move them to ${conversation.damagedPath}\n`,
    );
  }
  if (movedAside.length > 0) {
    io.err(`${plural(movedAside.length, 'damaged record')} moved aside earlier, in ${conversation.damagedPath}:\n`);
    for (const record of movedAside) io.err(`  ${movedLine(record)}\n`);
  }
}

async function clear(conversation: StoredConversation, io: Io): Promise<void> {
  const cleared = await conversation.withLock(async () => {
    const count = (await conversation.load()).length;
    await conversation.clear();
    return count;
  });
  io.out(cleared === 0 ? 'no stored turns to clear\n' : `cleared ${plural(cleared, 'stored turn')}\n`);
}

async function repair(conversation: StoredConversation, io: Io): Promise<void> {
  const moved = await conversation.repairDamaged();
  if (moved.length === 0) {
    io.out(`no damaged records in ${conversation.recordsPath}\n`);
    return;
  }
  io.out(`moved ${plural(moved.length, 'damaged record')} (${lineList(moved)}) from ${conversation.recordsPath} to ${conversation.damagedPath}\n`);
}

function lineList(lines: readonly number[]): string {
  return `line${lines.length === 1 ? '' : 's'} ${lines.join(', ')}`;
}

/** "line 3 (moved 2026-…): not json"; the text is the record's, or its bytes when they were not UTF-8. */
function movedLine(record: MovedRecord): string {
  const content = record.text ?? `(not UTF-8, base64) ${record.base64 ?? ''}`;
  return `line ${record.line} (moved ${record.movedAt}): ${content}`;
}
