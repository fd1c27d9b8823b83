// The stored conversation as text for Show Conversation Memory: LangChain's buffer string with its default
// prefixes, under a line saying which memory key it fills. Pure.

import type { ShowMemoryResult } from '../../server/src/protocol';

export function memoryText(fileName: string, memory: ShowMemoryResult): string {
  const count = memory.turns.length;
  const heading = `${fileName}: ${count} ${count === 1 ? 'turn' : 'turns'} stored in this workspace, filling {${memory.memoryKey}}`;
  const lines = memory.turns.flatMap((turn) => [`Human: ${turn.input}`, `AI: ${turn.output}`]);
  const damaged = memory.damaged ? [`${memory.damaged.count} damaged ${memory.damaged.count === 1 ? 'record' : 'records'} skipped: run \`${memory.damaged.repairCommand}\``, ''] : [];
  return [heading, '', ...damaged, ...lines].join('\n') + '\n';
}
