// What a comparison shows, from what the server answers: the entry a Compare models or a Replay starts with
// (every reply pending), each cell once its result comes, and the cost line of a reply. Pure, like session.ts.

import type { ModelReply } from '../../../core/testing/compareModels';
import type { ReplayedTurn } from '../../../core/testing/replayConversation';
import type { Turn, Usage } from '../../../core/chain/types';
import type { ComparisonCell, ComparisonEntry } from './messages';
import { seconds, totalOf } from './session';

const pending: ComparisonCell = { status: 'pending' };

export function modelsComparison(id: string, input: string, models: readonly string[]): ComparisonEntry {
  const title = `Compare models · ${models.length} ${models.length === 1 ? 'model' : 'models'} · memory untouched`;
  return { kind: 'comparison', id, mode: 'models', title, columns: [...models], rows: [{ input, cells: models.map(() => pending) }], status: 'running' };
}

/** `edited`: the replay runs the file's own model, so what differs is the prompt as edited. */
export function replayComparison(id: string, turns: readonly Turn[], model: string, edited: boolean): ComparisonEntry {
  const on = edited ? `${model}, the prompt as it is now` : model;
  const count = `${turns.length} stored ${turns.length === 1 ? 'turn' : 'turns'}`;
  return {
    kind: 'comparison',
    id,
    mode: 'replay',
    title: `Replay on ${on} · ${count} · memory untouched`,
    columns: ['Stored reply', `Replay · ${model}`],
    rows: turns.map((turn) => ({ input: turn.input, cells: [{ status: 'done', text: turn.output }, pending] })),
    status: 'running',
  };
}

export function modelCell(reply: ModelReply): ComparisonCell {
  if (reply.failure) return { status: 'failed', error: reply.failure.message };
  return { status: 'done', text: reply.reply ?? '', detail: costLine(reply.usage, reply.latencyMs) };
}

export function replayCell(turn: ReplayedTurn): ComparisonCell {
  if (turn.failure) return { status: 'failed', error: turn.failure.message };
  const changed = changedLines(turn);
  const verdict = turn.same ? 'same as stored' : `changed · ${changed} ${changed === 1 ? 'line' : 'lines'}`;
  return { status: 'done', text: turn.reply ?? '', detail: [verdict, costLine(turn.usage, turn.latencyMs)].filter(Boolean).join(' · '), changed: !turn.same };
}

/** Lines removed or added, counted once per changed line (a replaced line is one). */
function changedLines(turn: ReplayedTurn): number {
  const removed = turn.diff.filter((line) => line.op === 'removed').length;
  const added = turn.diff.filter((line) => line.op === 'added').length;
  return Math.max(removed, added, turn.same ? 0 : 1);
}

/** e.g. `21 tokens · 840 ms`. */
export function costLine(usage: Usage | undefined, latencyMs: number): string {
  const total = totalOf(usage);
  return total === undefined ? seconds(latencyMs) : `${total} tokens · ${seconds(latencyMs)}`;
}
