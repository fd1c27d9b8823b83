// Replay conversation with…: the stored conversation's inputs run again, turn by turn and in order, on
// another model or the edited prompt, from an empty memory of the file's memory class, so each new reply
// sees the new replies before it (as the conversation would have gone). Each row holds the stored reply
// beside the new one and their line diff. The store is read once, never written. A turn that fails ends
// the replay there (what followed would answer a conversation that never happened); a cancel ends it
// without a result. A shared history's lone messages (a system message, …) are kept in their places.

import type { ChainConfig, HistoryEntry, LanguageModel, Turn, Usage } from '../chain/types';
import type { PromptDocument } from '../format/model';
import { runTurn } from '../chain/run';
import { failureOf, type Failure, type FailureSources } from '../chain/failure';
import { createInMemoryConversation, type InMemoryConversation } from '../memory/inMemory';
import { inMemoryWithState } from '../memory/scratchCopy';
import { lineDiff } from './lineDiff';
import type { DiffLine } from './types';
import { ComparisonCancelled } from './compareModels';

export interface ReplayRequest {
  readonly prompt: PromptDocument;
  readonly config: ChainConfig;
  /** The stored conversation, oldest first. */
  readonly entries: readonly HistoryEntry[];
  /** The other variables, the same for every turn (the stored turns keep only input and reply). */
  readonly variables?: Record<string, string>;
  readonly model: LanguageModel;
  readonly signal?: AbortSignal;
  readonly sources?: FailureSources;
  onTurn?(turn: ReplayedTurn): void;
}

/** One stored turn and its replay. */
export interface ReplayedTurn {
  /** 0-based among the stored turns (lone messages are not counted). */
  readonly index: number;
  readonly input: string;
  readonly stored: string;
  readonly reply?: string;
  readonly usage?: Usage;
  readonly latencyMs: number;
  readonly failure?: Failure;
  /** The stored reply against the new one, line by line; empty when the turn failed. */
  readonly diff: DiffLine[];
  readonly same: boolean;
}

export interface ReplayResult {
  readonly turns: ReplayedTurn[];
  /** How many stored turns did not run because an earlier one failed. */
  readonly notRun: number;
}

export async function replayConversation(request: ReplayRequest): Promise<ReplayResult> {
  const stored = request.entries.filter(isTurn);
  const turns: ReplayedTurn[] = [];
  let memory = createInMemoryConversation<HistoryEntry>();
  for (const entry of request.entries) {
    if (!isTurn(entry)) {
      memory = await withLoneMessage(memory, entry);
      continue;
    }
    const replayed = await replayTurn(request, memory, entry, turns.length);
    turns.push(replayed);
    request.onTurn?.(replayed);
    if (replayed.failure) break;
  }
  return { turns, notRun: stored.length - turns.length };
}

async function replayTurn(request: ReplayRequest, memory: InMemoryConversation<HistoryEntry>, turn: Turn, index: number): Promise<ReplayedTurn> {
  const started = performance.now();
  try {
    const result = await runTurn({
      prompt: request.prompt,
      config: request.config,
      input: turn.input,
      ...(request.variables && { variables: request.variables }),
      conversation: memory,
      model: request.model,
      ...(request.signal && { signal: request.signal }),
    });
    const diff = lineDiff(turn.output, result.reply);
    const latencyMs = performance.now() - started;
    return { index, input: turn.input, stored: turn.output, reply: result.reply, ...(result.usage && { usage: result.usage }), latencyMs, diff, same: result.reply === turn.output };
  } catch (error) {
    const failure = failureOf(error, request.sources);
    if (failure?.kind === 'cancelled' || request.signal?.aborted) throw new ComparisonCancelled('The replay was cancelled.');
    if (!failure) throw error;
    return { index, input: turn.input, stored: turn.output, latencyMs: performance.now() - started, failure, diff: [], same: false };
  }
}

/** The memory with a lone message after what it holds, its memory state carried over (still its last turn's). */
async function withLoneMessage(memory: InMemoryConversation<HistoryEntry>, lone: HistoryEntry): Promise<InMemoryConversation<HistoryEntry>> {
  return inMemoryWithState([...memory.turns, lone], await memory.loadState());
}

function isTurn(entry: HistoryEntry): entry is Turn {
  return !('lone' in entry);
}
