// `prompt-chain memory show|clear FILE`: the file's stored conversation, printed as the model sees it
// (ConversationBufferMemory's buffer string with the file's prefixes), or deleted.

import { getBufferString } from '../../core/chain/format';
import { turnMessages } from '../../core/chain/memory';
import type { StoredConversation } from '../../core/memory/store';
import { has, parseArgs, UsageError } from './args';
import { memoryLocationFlags, openFileConversation } from './conversation';
import { ExitCode, plural, type Io } from './output';
import { loadPrompt } from './prompt';
import { commandUsage } from './usage';

export async function memoryCommand(argv: string[], io: Io): Promise<number> {
  const args = parseArgs(argv, [...memoryLocationFlags, { name: 'help', short: 'h' }]);
  if (has(args, 'help')) {
    io.out(`${commandUsage.memory}\n`);
    return ExitCode.ok;
  }
  const [action, file, ...extra] = args.positionals;
  if (action !== 'show' && action !== 'clear') {
    throw new UsageError(action === undefined ? 'memory needs show or clear' : `unknown memory action "${action}" (show or clear)`);
  }
  if (file === undefined) throw new UsageError(`memory ${action} needs a FILE`);
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  const { config } = await loadPrompt(file);
  if (!config.memory) {
    io.out(`no stored turns (${file} has memory: false)\n`);
    return ExitCode.ok;
  }
  const conversation = await openFileConversation(file, config.memory, args, io);
  if (action === 'show') await show(conversation, config.memory, io);
  else await clear(conversation, io);
  return ExitCode.ok;
}

async function show(conversation: StoredConversation, prefixes: { humanPrefix: string; aiPrefix: string }, io: Io): Promise<void> {
  const turns = await conversation.load();
  if (turns.length === 0) {
    io.out('no stored turns\n');
    return;
  }
  io.out(`${getBufferString(turnMessages(turns), prefixes.humanPrefix, prefixes.aiPrefix)}\n`);
  io.err(`${plural(turns.length, 'turn')} stored in ${conversation.recordsPath}\n`);
}

async function clear(conversation: StoredConversation, io: Io): Promise<void> {
  const cleared = await conversation.withLock(async () => {
    const count = (await conversation.load()).length;
    await conversation.clear();
    return count;
  });
  io.out(cleared === 0 ? 'no stored turns to clear\n' : `cleared ${plural(cleared, 'stored turn')}\n`);
}
