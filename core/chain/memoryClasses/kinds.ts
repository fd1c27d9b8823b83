// Which memory classes do what: one place that says which types summarize, which count tokens, and which
// model does the counting, asked by the config resolver, the engine and the hosts' memory view.

import type { MemoryType } from '../../format/model';
import type { ChainConfig, MemoryConfig } from '../types';

/** ConversationSummaryMemory and ConversationSummaryBufferMemory call the model to summarize. */
export function summarizes(type: MemoryType): type is 'summary' | 'summary_buffer' {
  return type === 'summary' || type === 'summary_buffer';
}

/** ConversationSummaryBufferMemory and ConversationTokenBufferMemory prune by `max_token_limit`. */
export function countsTokens(type: MemoryType): type is 'summary_buffer' | 'token_buffer' {
  return type === 'summary_buffer' || type === 'token_buffer';
}

/** The memory classes this directory implements (the buffer ones live in ../memory.ts). */
export function keepsState(type: MemoryType): type is 'summary' | 'summary_buffer' | 'token_buffer' {
  return summarizes(type) || countsTokens(type);
}

/** The model the summary call goes to: `summary_model`, else the chain's. */
export function summaryModelOf(memory: MemoryConfig, chain: Pick<ChainConfig, 'model'>): string | undefined {
  return memory.summaryModel ?? chain.model;
}

/**
 * The model whose counter prunes: LangChain counts with the memory's own `llm`, which for a summary buffer
 * is the summarizer (`summary_model`, else the chain's model) and for a token buffer the chain's model.
 */
export function countingModelOf(memory: MemoryConfig, chain: Pick<ChainConfig, 'model'>): string | undefined {
  return memory.type === 'summary_buffer' ? summaryModelOf(memory, chain) : chain.model;
}
