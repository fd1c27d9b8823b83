// promptChain.showMemory { uri } -> ShowMemoryResult: the turns stored for the file in this workspace,
// and the damaged records they skip (with the command that repairs them), as `prompt-chain memory show`.

import type { Conversation } from '../../../core/chain/types';
import type { StoredConversation } from '../../../core/memory/store';
import type { DamagedRecords, ShowMemoryResult } from '../protocol';
import type { PromptServer } from '../server';
import { argumentObject, requiredString } from './arguments';
import { conversationOf, loadPromptSource } from './promptSource';

export async function showMemory(server: PromptServer, command: string, args: unknown[] | undefined): Promise<ShowMemoryResult> {
  const uri = requiredString(command, argumentObject(command, args), 'uri');
  const { conversation, memory } = conversationOf(server, await loadPromptSource(server, uri));
  // A document without a file (untitled) keeps its turns in memory only: nothing there can be damaged.
  if (!isStored(conversation)) return { memoryKey: memory.key, turns: [...(await conversation.load())] };
  const { turns, damagedLines } = await conversation.inspect();
  return { memoryKey: memory.key, turns: [...turns], ...(damagedLines.length > 0 && { damaged: damagedRecords(conversation, damagedLines) }) };
}

function damagedRecords(conversation: StoredConversation, lines: number[]): DamagedRecords {
  return { count: lines.length, lines, repairCommand: conversation.repairCommand };
}

function isStored(conversation: Conversation): conversation is StoredConversation {
  return 'inspect' in conversation && 'repairCommand' in conversation;
}
