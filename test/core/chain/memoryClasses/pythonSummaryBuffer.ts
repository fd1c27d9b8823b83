// A line-by-line transliteration of Python's ConversationSummaryBufferMemory
// (langchain_classic/memory/summary_buffer.py, with SummarizerMixin.predict_new_summary from summary.py),
// over an in-memory chat history as Python keeps it (`chat_memory.messages` is the list itself, so
// `buffer.pop(0)` prunes it). It is deliberately naive — it recounts the whole buffer after every pop,
// exactly as Python does — so that our incremental, persisted implementation can be checked against it.
// Formatting goes through LangChain.js's PromptTemplate and getBufferString, which agree with Python's.

import { PromptTemplate } from '@langchain/core/prompts';
import { AIMessage, HumanMessage, SystemMessage, getBufferString, type BaseMessage } from '@langchain/core/messages';
import type { ChatMessage } from '../../../../core/chain/types';
import { toChatMessage } from './scripted';

export interface PythonSummaryBufferOptions {
  /** llm.predict through LLMChain: gets the formatted summary prompt, answers the new summary. */
  predict(prompt: string): Promise<string>;
  /** llm.get_num_tokens_from_messages */
  countTokens(messages: readonly ChatMessage[]): number;
  maxTokenLimit: number;
  humanPrefix: string;
  aiPrefix: string;
  returnMessages: boolean;
  /** The summarizer template (SUMMARY_PROMPT's text by default). */
  prompt: string;
}

export class PythonSummaryBufferMemory {
  /** self.chat_memory.messages */
  readonly messages: BaseMessage[] = [];
  movingSummaryBuffer = '';

  constructor(private readonly options: PythonSummaryBufferOptions) {}

  /** load_memory_variables(...)[memory_key] */
  loadMemoryVariables(): string | BaseMessage[] {
    let buffer = this.messages;
    if (this.movingSummaryBuffer !== '') buffer = [new SystemMessage(this.movingSummaryBuffer), ...buffer];
    if (this.options.returnMessages) return buffer;
    return getBufferString(buffer, this.options.humanPrefix, this.options.aiPrefix);
  }

  async saveContext(input: string, output: string): Promise<void> {
    this.messages.push(new HumanMessage(input), new AIMessage(output));
    await this.prune();
  }

  private async prune(): Promise<void> {
    const buffer = this.messages;
    let currBufferLength = this.count(buffer);
    if (currBufferLength > this.options.maxTokenLimit) {
      const prunedMemory: BaseMessage[] = [];
      while (currBufferLength > this.options.maxTokenLimit) {
        const popped = buffer.shift();
        if (!popped) throw new Error('IndexError: pop from empty list');
        prunedMemory.push(popped);
        currBufferLength = this.count(buffer);
      }
      this.movingSummaryBuffer = await this.predictNewSummary(prunedMemory, this.movingSummaryBuffer);
    }
  }

  private async predictNewSummary(messages: BaseMessage[], existingSummary: string): Promise<string> {
    const newLines = getBufferString(messages, this.options.humanPrefix, this.options.aiPrefix);
    const prompt = await PromptTemplate.fromTemplate(this.options.prompt).format({ summary: existingSummary, new_lines: newLines });
    return this.options.predict(prompt);
  }

  private count(buffer: BaseMessage[]): number {
    return this.options.countTokens(buffer.map(toChatMessage));
  }
}
