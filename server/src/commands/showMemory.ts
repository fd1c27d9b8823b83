// promptChain.showMemory { uri } -> ShowMemoryResult: the turns stored for the file in this workspace.

import type { ShowMemoryResult } from '../protocol';
import type { PromptServer } from '../server';
import { argumentObject, requiredString } from './arguments';
import { conversationOf, loadPromptSource } from './promptSource';

export async function showMemory(server: PromptServer, command: string, args: unknown[] | undefined): Promise<ShowMemoryResult> {
  const uri = requiredString(command, argumentObject(command, args), 'uri');
  const { conversation, memory } = conversationOf(server, await loadPromptSource(server, uri));
  return { memoryKey: memory.key, turns: [...(await conversation.load())] };
}
