// A line-by-line transliteration of Python's ConversationSummaryBufferMemory
// (langchain_classic/memory/summary_buffer.py, with SummarizerMixin.predict_new_summary from summary.py),
// over an in-memory chat history as Python keeps it (`chat_memory.messages` is the list itself, so
// `buffer.pop(0)` prunes it). It is deliberately naive — it recounts the whole buffer after every pop,
// exactly as Python does — so that our incremental, persisted implementation can be checked against it.
// Formatting goes through LangChain.js's PromptTemplate and getBufferString, which agree with Python's.

import { ChatPromptTemplate, MessagesPlaceholder, PromptTemplate } from '@langchain/core/prompts';
import { AIMessage, HumanMessage, SystemMessage, getBufferString, type BaseMessage } from '@langchain/core/messages';
import type { ChatMessage } from '../../../../core/chain/types';
import { countMessages, messageCounter } from '../../../../core/tokens/messageTokens';
import { toChatMessage, TwoQueueModel, type Sent } from './scripted';

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

/** A summary-buffer case as both parity tests run it: the main prompt's api and shape, and the turns. */
export interface PythonChainCase {
  api: 'completion' | 'chat';
  returnMessages: boolean;
  humanPrefix: string;
  aiPrefix: string;
  limit: number;
  model: string;
  /** The summarizer template. */
  summaryPrompt: string;
  /** Messages the chat history holds before the first turn. */
  seeded?: readonly BaseMessage[];
  exchanges: readonly { input: string; reply: string }[];
}

/**
 * The Python class inside Python's LLMChain — load, format, call, save_context (prune, summarize) — with
 * the main prompts the parity tests' files hold: what it sends, in order (main prompts and summaries).
 */
export async function runPythonSummaryBuffer(c: PythonChainCase): Promise<Sent[]> {
  const answers = new TwoQueueModel(c.exchanges.map((e) => e.reply));
  const sent: Sent[] = [];
  const send = (text: string, messages?: Sent) => {
    sent.push(messages ?? (c.api === 'chat' ? { messages: [{ type: 'human', content: text }] } : { prompt: text }));
    return answers.answer(text);
  };
  const counter = messageCounter(c.api, c.model);
  const returnMessages = c.api === 'chat' && c.returnMessages;
  const memory = new PythonSummaryBufferMemory({ predict: async (text) => send(text), countTokens: (messages) => countMessages(counter, messages).tokens, maxTokenLimit: c.limit, humanPrefix: c.humanPrefix, aiPrefix: c.aiPrefix, returnMessages, prompt: c.summaryPrompt });
  memory.messages.push(...(c.seeded ?? []));
  for (const exchange of c.exchanges) {
    const history = memory.loadMemoryVariables();
    let reply: string;
    if (c.api === 'completion') {
      reply = send(await PromptTemplate.fromTemplate('The conversation so far: {history}\nHuman: {input}\nAI:').format({ history, input: exchange.input }));
    } else {
      const template = returnMessages
        ? ChatPromptTemplate.fromMessages([['system', 'You are kind.'], new MessagesPlaceholder('history'), ['human', '{input}']])
        : ChatPromptTemplate.fromMessages([['system', 'You are kind. So far: {history}'], ['human', '{input}']]);
      reply = send('', { messages: (await template.formatMessages({ history, input: exchange.input })).map(toChatMessage) });
    }
    await memory.saveContext(exchange.input, reply);
  }
  return sent;
}
