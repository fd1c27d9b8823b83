// promptChain.clearMemory { uri } -> { cleared }: forgets the file's stored conversation in this workspace.
// A file without memory has nothing to clear, which is not an error.

import type { PromptServer } from '../server';
import { argumentObject, requiredString } from './arguments';
import { loadPromptSource } from './promptSource';

export async function clearMemory(server: PromptServer, command: string, args: unknown[] | undefined): Promise<{ cleared: number }> {
  const uri = requiredString(command, argumentObject(command, args), 'uri');
  const { config } = await loadPromptSource(server, uri);
  if (!config.memory) return { cleared: 0 };
  const { conversation } = await server.conversations.open(uri, config.memory);
  // Counted and cleared under the lock, so a turn finishing meanwhile is either counted or kept.
  const cleared = await conversation.withLock(async () => {
    const turns = await conversation.load();
    await conversation.clear();
    return turns.length;
  });
  server.storedTurnsChanged();
  return { cleared };
}
