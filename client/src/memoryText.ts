// The stored conversation as text for Show Conversation Memory: LangChain's buffer string with its default
// prefixes, under a line saying which memory key it fills. Pure.

import type { ShowMemoryResult } from '../../server/src/protocol';
import { getBufferString } from '../../core/chain/format';
import { entryMessage, isLone } from '../../core/chain/entries';

export function memoryText(fileName: string, memory: ShowMemoryResult): string {
  const lone = memory.turns.filter(isLone).length;
  const count = memory.turns.length - lone;
  const where = memory.history ? `in ${memory.history.store}, session ${memory.history.sessionId} (${memory.history.display})` : 'in this workspace';
  const alone = lone > 0 ? ` and ${lone} lone ${lone === 1 ? 'message' : 'messages'}` : '';
  const heading = `${fileName}: ${count} ${count === 1 ? 'turn' : 'turns'}${alone} stored ${where}, filling {${memory.memoryKey}}`;
  // A lone message (a shared history's system message, a question without its reply) is a line of its own.
  const messages = memory.turns.flatMap((entry) => (isLone(entry) ? [entry.lone] : [entryMessage(entry, 0), entryMessage(entry, 1)]));
  const lines = messages.length > 0 ? getBufferString(messages).split('\n') : [];
  const damaged = memory.damaged ? [`${memory.damaged.count} damaged ${memory.damaged.count === 1 ? 'record' : 'records'} skipped: run \`${memory.damaged.repairCommand}\``, ''] : [];
  return [heading, '', ...damaged, ...lines].join('\n') + '\n';
}
