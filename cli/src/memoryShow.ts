// `prompt-chain memory show FILE [--all] [--json]`: what the prompt sees of the stored conversation (the
// memory variable as the file's memory class loads it: the buffer, the window, the summary, the summary
// and the kept messages), and on stderr the full stored history's account: how many turns are stored,
// how many messages the prompt sees and how many were pruned (into the summary, or dropped), the token
// count against `max_token_limit`, a pending summary, damaged records and a memory state not used.
// `--all` prints the whole stored exchange instead; `--json` both, as one object.

import { getBufferString } from '../../core/chain/format';
import { turnMessages } from '../../core/chain/memory';
import type { PromptValue } from '../../core/chain/format';
import type { MemoryConfig, MemoryView } from '../../core/chain/types';
import type { ConversationReport, MovedRecord, StoredConversation } from '../../core/memory/store';
import { json, plural, type Io } from './output';

export interface ShowOptions {
  all: boolean;
  asJson: boolean;
}

export interface ShownConversation {
  conversation: StoredConversation;
  report: ConversationReport;
  view: MemoryView;
  /** The memory variable as the file's memory class loads it now (load_memory_variables). */
  sees: PromptValue;
  memory: MemoryConfig;
}

export function printMemory(shown: ShownConversation, options: ShowOptions, io: Io): void {
  if (options.asJson) {
    io.out(json(memoryJson(shown, options.all)));
    return;
  }
  const { report, memory } = shown;
  if (report.turns.length === 0) io.out('no stored turns\n');
  else if (options.all) io.out(`${getBufferString(turnMessages(report.turns), memory.humanPrefix, memory.aiPrefix)}\n`);
  else io.out(`${seenText(shown)}\n`);
  for (const line of accountLines(shown)) io.err(`${line}\n`);
}

/** The memory variable as text: a string as it is (the buffer string, the summary), messages as their buffer string. */
function seenText({ sees, memory }: ShownConversation): string {
  return typeof sees === 'string' ? sees : getBufferString(sees, memory.humanPrefix, memory.aiPrefix);
}

function accountLines({ conversation, report, view }: ShownConversation): string[] {
  const lines: string[] = [];
  if (report.turns.length > 0) lines.push(`${plural(report.turns.length, 'turn')} stored in ${conversation.recordsPath}`);
  const sees = seesLine(view);
  if (sees && report.turns.length > 0) lines.push(sees);
  if (view.pendingSummary) lines.push('summary pending: the turns it does not cover yet are summarized before the next turn is formatted');
  if (report.memoryState.problem) lines.push(report.memoryState.problem);
  lines.push(...damageLines(conversation, report));
  return lines;
}

/** "summary_buffer memory: the prompt sees the summary and the last 4 messages; 20 messages pruned into the summary; 180 of 2000 tokens" */
function seesLine(view: MemoryView): string | undefined {
  if (view.type === 'buffer') return undefined;
  const parts = [`${view.type} memory: the prompt sees ${seenPhrase(view)}`];
  if (view.prunedMessages > 0) parts.push(`${plural(view.prunedMessages, 'message')} ${view.type === 'token_buffer' || view.type === 'buffer_window' ? 'left out' : 'summarized'}`);
  if (view.tokens !== undefined) {
    const limit = view.maxTokenLimit === undefined ? '' : ` of ${view.maxTokenLimit}`;
    parts.push(`${view.tokens}${limit} tokens${view.approximate ? ' (approximate)' : ''}`);
  }
  return parts.join('; ');
}

function seenPhrase(view: MemoryView): string {
  const kept = `the last ${plural(view.keptMessages, 'message')}`;
  if (view.type === 'summary') return view.summary ? 'the summary' : 'an empty summary';
  if (view.type === 'summary_buffer' && view.summary) return `the summary and ${kept}`;
  return kept;
}

function damageLines(conversation: StoredConversation, report: ConversationReport): string[] {
  const lines: string[] = [];
  const { damagedLines, movedAside } = report;
  if (damagedLines.length > 0) {
    lines.push(
      `${plural(damagedLines.length, 'damaged record')} skipped (${lineList(damagedLines)} of ${conversation.recordsPath}); ` +
        `run "${conversation.repairCommand}" to move them to ${conversation.damagedPath}`,
    );
  }
  if (movedAside.length > 0) {
    lines.push(`${plural(movedAside.length, 'damaged record')} moved aside earlier, in ${conversation.damagedPath}:`);
    for (const record of movedAside) lines.push(`  ${movedLine(record)}`);
  }
  return lines;
}

export function lineList(lines: readonly number[]): string {
  return `line${lines.length === 1 ? '' : 's'} ${lines.join(', ')}`;
}

/** "line 3 (moved 2026-…): not json"; the text is the record's, or its bytes when they were not UTF-8. */
function movedLine(record: MovedRecord): string {
  const content = record.text ?? `(not UTF-8, base64) ${record.base64 ?? ''}`;
  return `line ${record.line} (moved ${record.movedAt}): ${content}`;
}

/**
 * `{memoryKey, type, view, sees, turns?, recordsPath, damaged?, movedAside, stateProblem?}`: `sees` is the
 * memory variable (a string, or with return_messages the messages); `turns` (with --all) every stored turn.
 */
function memoryJson({ conversation, report, view, sees, memory }: ShownConversation, all: boolean): object {
  return {
    memoryKey: memory.key,
    type: view.type,
    recordsPath: conversation.recordsPath,
    view,
    sees,
    ...(all && { turns: report.turns }),
    ...(report.damagedLines.length > 0 && { damaged: { count: report.damagedLines.length, lines: report.damagedLines, repairCommand: conversation.repairCommand } }),
    movedAside: report.movedAside,
    ...(report.memoryState.problem && { stateProblem: report.memoryState.problem }),
  };
}
