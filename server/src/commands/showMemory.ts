// promptChain.showMemory { uri } -> ShowMemoryResult: the turns stored for the file in this workspace (the
// full history), what the memory class holds of them now (the view: summary, kept and pruned, tokens,
// a pending summary), a saved memory state that is not used, and the damaged records the turns skip
// (with the command that repairs them), as `prompt-chain memory show --all --json`.

import type { ChainConfig, Conversation, HistoryEntry, MemoryConfig, MemoryState } from '../../../core/chain/types';
import { memoryViewOf } from '../../../core/chain/memoryClasses';
import type { StoredConversation } from '../../../core/memory/store';
import type { DamagedRecords, ShowMemoryResult } from '../protocol';
import type { PromptServer } from '../server';
import { argumentObject, requiredString } from './arguments';
import { conversationOf, loadPromptSource } from './promptSource';

export async function showMemory(server: PromptServer, command: string, args: unknown[] | undefined): Promise<ShowMemoryResult> {
  const uri = requiredString(command, argumentObject(command, args), 'uri');
  const source = await loadPromptSource(server, uri);
  const { conversation, memory, history } = await conversationOf(server, source);
  // A shared history, or a document without a file (untitled, whose turns are kept in memory only): nothing
  // there is a damaged local record.
  if (!isStored(conversation)) {
    const turns = await conversation.load();
    return { ...shown(memory, source.config, turns, await conversation.loadState()), ...(history && { history }) };
  }
  const { turns, damagedLines, memoryState } = await conversation.inspect();
  return {
    ...shown(memory, source.config, turns, memoryState.state),
    ...(damagedLines.length > 0 && { damaged: damagedRecords(conversation, damagedLines) }),
    ...(memoryState.problem && { stateProblem: memoryState.problem }),
  };
}

function shown(memory: MemoryConfig, config: ChainConfig, turns: readonly HistoryEntry[], state: MemoryState | undefined): ShowMemoryResult {
  return { memoryKey: memory.key, turns: [...turns], view: memoryViewOf(turns, state, memory, config) };
}

function damagedRecords(conversation: StoredConversation, lines: number[]): DamagedRecords {
  return { count: lines.length, lines, repairCommand: conversation.repairCommand };
}

function isStored(conversation: Conversation<HistoryEntry>): conversation is StoredConversation {
  return 'inspect' in conversation && 'repairCommand' in conversation;
}
