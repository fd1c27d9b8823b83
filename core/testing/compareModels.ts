// Compare models: one input run on several models at once, each continuing the stored conversation as the
// next turn would (the same history, the same memory state), each in a scratch copy of it: the store is
// read, never written, whatever the replies. A model that fails has its failure in its column; the others
// still answer. A cancel ends the comparison without a result.

import type { ChainConfig, ChatMessage, Conversation, HistoryEntry, LanguageModel, MemoryState, Usage } from '../chain/types';
import type { PromptDocument } from '../format/model';
import { runTurn } from '../chain/run';
import { failureOf, type Failure, type FailureSources } from '../chain/failure';
import { inMemoryWithState } from '../memory/scratchCopy';

export interface CompareModelsRequest {
  readonly prompt: PromptDocument;
  readonly config: ChainConfig;
  readonly input: string;
  readonly variables?: Record<string, string>;
  /** The model names, in the order of the columns. */
  readonly models: readonly string[];
  /** The endpoint every model is asked through. */
  readonly model: LanguageModel;
  /** The stored conversation the replies continue; absent for a prompt without memory. */
  readonly conversation?: Conversation<HistoryEntry>;
  readonly signal?: AbortSignal;
  /** Where the settings a failure names came from. */
  readonly sources?: FailureSources;
  /** Each model's reply as soon as it is complete (column: its index in `models`). */
  onReply?(reply: ModelReply, column: number): void;
}

/** One column: a model's reply to the input, or why it has none. */
export interface ModelReply {
  readonly model: string;
  readonly reply?: string;
  /** The prompt as this model was sent it (token-pruning memories prune per model). */
  readonly prompt?: string;
  readonly messages?: ChatMessage[];
  readonly usage?: Usage;
  readonly latencyMs: number;
  readonly failure?: Failure;
}

export class ComparisonCancelled extends Error {
  override readonly name = 'ComparisonCancelled';
}

/** The stored conversation as every model starts from it: read once, copied for each. */
interface Start {
  readonly entries: readonly HistoryEntry[];
  readonly state: MemoryState | undefined;
}

export async function compareModels(request: CompareModelsRequest): Promise<ModelReply[]> {
  const start = request.conversation && startOf(request.conversation, request.signal);
  // Each column awaits it (a store that cannot be read is each column's failure); none may leave it unhandled.
  start?.catch(() => undefined);
  const replies = await Promise.all(
    request.models.map(async (name, column) => {
      const reply = await replyOf(request, name, start);
      if (!request.signal?.aborted) request.onReply?.(reply, column);
      return reply;
    }),
  );
  if (request.signal?.aborted) throw new ComparisonCancelled('The comparison was cancelled.');
  return replies;
}

async function startOf(conversation: Conversation<HistoryEntry>, signal: AbortSignal | undefined): Promise<Start> {
  return { entries: await conversation.load(signal), state: await conversation.loadState() };
}

async function replyOf(request: CompareModelsRequest, name: string, start: Promise<Start> | undefined): Promise<ModelReply> {
  const started = performance.now();
  try {
    const from = await start;
    const conversation = from && (await inMemoryWithState(from.entries, from.state));
    const result = await runTurn({
      prompt: request.prompt,
      config: { ...request.config, model: name },
      input: request.input,
      ...(request.variables && { variables: request.variables }),
      ...(conversation && { conversation }),
      model: request.model,
      ...(request.signal && { signal: request.signal }),
    });
    const { reply, prompt, messages, usage } = result;
    return { model: name, reply, prompt, ...(messages && { messages }), ...(usage && { usage }), latencyMs: performance.now() - started };
  } catch (error) {
    const failure = failureOf(error, request.sources);
    if (!failure) throw error;
    return { model: name, latencyMs: performance.now() - started, failure };
  }
}
