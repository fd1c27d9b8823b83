// `import { loadPrompt } from 'prompt-chain/langchain'`: a `.prompt` file as real LangChain.js objects — the
// PromptTemplate or ChatPromptTemplate, the @langchain/classic memory for its `memory` block, an LLMChain with
// both, or RunnableWithMessageHistory around a runnable of the user's. Every fact is spelled from
// langChainPromptOf (core/interop/langchainPrompt.ts), the description every export shares; nothing is
// decided here. @langchain/core and @langchain/classic are optional peers, loaded on the first loadPrompt.

import type { BaseMemory } from '@langchain/core/memory';
import type { BaseMessagePromptTemplate, ChatPromptTemplate, PromptTemplate } from '@langchain/core/prompts';
import type { Runnable, RunnableWithMessageHistory, RunnableWithMessageHistoryInputs } from '@langchain/core/runnables';
import type { BaseLanguageModelInterface } from '@langchain/core/language_models/base';
import type { LLMChain } from '@langchain/classic/chains';
import { langChainPromptOf, type LangChainMemory, type LangChainMessage, type LangChainPrompt } from '../core/interop/langchainPrompt';
import { langChainModules, type LangChainModules } from './peers';
import { LoaderError } from './loaderError';
import { pythonPruningMemories } from './pythonPruning';
import { messageCounter } from '../core/tokens/messageTokens';
import { loadRunnableSource, type EngineOptions, type PromptSource } from './source';

export type { LangChainMemory, LangChainMessage, LangChainModel, LangChainPrompt, LangChainPromptClass } from '../core/interop/langchainPrompt';
export type { EngineOptions, PromptSource } from './source';
export type { FileDiagnostic } from '../cli/src/output';
export { LoaderError, type LoaderErrorKind } from './loaderError';
export { PromptHasErrorsError } from './source';

/** The model an LLMChain runs (a chat model, an LLM, or a runnable returning text or a message). */
export type ChainModel = ConstructorParameters<typeof LLMChain>[0]['llm'];

/** RunnableWithMessageHistory's getMessageHistory: the chat history of a session (e.g. an InMemoryChatMessageHistory per id). */
export type GetSessionHistory = RunnableWithMessageHistoryInputs<unknown, unknown>['getMessageHistory'];

export interface LoadPromptOptions extends EngineOptions {
  /**
   * The memory class's own model, for the types that need one: the summarizer of `summary` and
   * `summary_buffer`, the token counter of `token_buffer` (`description.memory.llm` says which model the file
   * means). Without it their `memory` is built by `createChain(llm)` with the chain's model.
   */
  llm?: BaseLanguageModelInterface;
}

export interface LoadedPrompt {
  /** A real `@langchain/core` PromptTemplate (completion body) or ChatPromptTemplate (chat body). */
  prompt: PromptTemplate | ChatPromptTemplate;
  /**
   * The `@langchain/classic` memory for the file's `memory` block; undefined for `memory: false`, and for a
   * type that needs a model when no `llm` option was given (createChain builds it then).
   */
  memory: BaseMemory | undefined;
  /** The variable that takes the chat input (LLMChain's, and the memory's `inputKey`). */
  inputKey: string;
  /** The memory key (the variable the history fills); undefined for `memory: false`. */
  memoryKey: string | undefined;
  /** What the file is in LangChain's terms: prompt class, messages, variables, memory and model classes. */
  description: LangChainPrompt;
  /** A new memory object for the file's memory block; `llm` is needed (and used) by summary and token types. */
  createMemory(llm?: BaseLanguageModelInterface): BaseMemory;
  /** `new LLMChain({ llm, prompt, memory })`: `memory`, or one built with `llm` when the type needs a model. */
  createChain(llm: ChainModel, options?: { verbose?: boolean }): LLMChain;
  /**
   * RunnableWithMessageHistory around `runnable` (e.g. `prompt.pipe(model)`), with inputMessagesKey = the
   * input key and historyMessagesKey = the memory key.
   */
  withMessageHistory<RunInput, RunOutput>(runnable: Runnable<RunInput, RunOutput>, getSessionHistory: GetSessionHistory): RunnableWithMessageHistory<RunInput, RunOutput>;
}

/**
 * Loads a `.prompt` file (a path, or `{ text }`) as LangChain.js objects. A file with error diagnostics is
 * refused (PromptHasErrorsError, with them), as `prompt-chain run` refuses it.
 */
export async function loadPrompt(source: PromptSource, options: LoadPromptOptions = {}): Promise<LoadedPrompt> {
  const loaded = await loadRunnableSource(source, options);
  const description = langChainPromptOf(loaded.context.prompt, loaded.context.config);
  const modules = await langChainModules();
  const prompt = promptOf(description, modules);
  const memoryDescription = description.memory;
  const createMemory = (llm?: BaseLanguageModelInterface): BaseMemory => {
    if (!memoryDescription) throw noMemory('has no memory object');
    return memoryOf(memoryDescription, modules, llm);
  };
  const memory = memoryDescription && (!needsModel(memoryDescription) || options.llm) ? createMemory(options.llm) : undefined;
  return {
    prompt,
    memory,
    inputKey: description.inputKey,
    memoryKey: memoryDescription?.memoryKey,
    description,
    createMemory,
    createChain(llm, chainOptions = {}) {
      const chainMemory = memory ?? (memoryDescription ? createMemory(modelOf(llm)) : undefined);
      return new modules.chains.LLMChain({ llm, prompt, ...(chainMemory && { memory: chainMemory }), ...(chainOptions.verbose !== undefined && { verbose: chainOptions.verbose }) });
    },
    withMessageHistory(runnable, getSessionHistory) {
      if (!memoryDescription) throw noMemory('has no history key for RunnableWithMessageHistory');
      return new modules.runnables.RunnableWithMessageHistory({
        runnable,
        getMessageHistory: getSessionHistory,
        inputMessagesKey: description.inputKey,
        historyMessagesKey: memoryDescription.memoryKey,
      });
    },
  };
}

function promptOf(description: LangChainPrompt, { prompts }: LangChainModules): PromptTemplate | ChatPromptTemplate {
  // Not validated again by LangChain.js: the language service has (where Python and LangChain.js differ, Python
  // wins: LangChain.js's ChatPromptTemplate would refuse partials no message uses, which Python keeps).
  const common = { inputVariables: [...description.inputVariables], partialVariables: { ...description.partialVariables }, templateFormat: description.templateFormat, validateTemplate: false };
  if (description.prompt.kind === 'prompt') return new prompts.PromptTemplate({ ...common, template: description.prompt.template });
  const promptMessages = description.prompt.messages.map((message) => messageOf(message, description, prompts));
  return new prompts.ChatPromptTemplate({ ...common, promptMessages });
}

function messageOf(message: LangChainMessage, description: LangChainPrompt, prompts: LangChainModules['prompts']): BaseMessagePromptTemplate {
  if (message.kind === 'placeholder') return new prompts.MessagesPlaceholder(message.variableName);
  const options = { templateFormat: description.templateFormat };
  switch (message.role) {
    case 'system':
      return prompts.SystemMessagePromptTemplate.fromTemplate(message.template, options);
    case 'human':
      return prompts.HumanMessagePromptTemplate.fromTemplate(message.template, options);
    case 'ai':
      return prompts.AIMessagePromptTemplate.fromTemplate(message.template, options);
  }
}

function needsModel(memory: LangChainMemory): boolean {
  return memory.llm !== undefined;
}

function memoryOf(memory: LangChainMemory, modules: LangChainModules, llm: BaseLanguageModelInterface | undefined): BaseMemory {
  const classes = modules.memory;
  const common = { memoryKey: memory.memoryKey, inputKey: memory.inputKey, humanPrefix: memory.humanPrefix, aiPrefix: memory.aiPrefix, returnMessages: memory.returnMessages };
  if (memory.type === 'buffer') return new classes.BufferMemory(common);
  if (memory.type === 'buffer_window') return new classes.BufferWindowMemory({ ...common, ...(memory.k !== undefined && { k: memory.k }) });
  if (!llm) {
    throw new LoaderError('needs-llm', `${memory.jsClass} needs a model of its own (${memory.type === 'token_buffer' ? 'it counts tokens with it' : 'it summarizes with it'}): pass the llm option to loadPrompt, or a model to createMemory`);
  }
  const limit = memory.maxTokenLimit !== undefined ? { maxTokenLimit: memory.maxTokenLimit } : {};
  // Counted by the memory's model as the file names it (the summarizer, or the chain's model), as the engine counts.
  const pruning = () => pythonPruningMemories(classes, messageCounter(memory.llm?.api ?? 'chat', memory.llm?.model));
  if (memory.type === 'token_buffer') return new (pruning().ConversationTokenBufferMemory)({ ...common, ...limit, llm });
  const prompt = memory.summaryPrompt === undefined ? {} : { prompt: new modules.prompts.PromptTemplate({ template: memory.summaryPrompt, inputVariables: ['summary', 'new_lines'] }) };
  if (memory.type === 'summary') return new classes.ConversationSummaryMemory({ ...common, ...prompt, llm });
  return new (pruning().ConversationSummaryBufferMemory)({ ...common, ...prompt, ...limit, llm });
}

/** The chain's model as a memory's model, when it is one (a runnable that is not a language model cannot summarize). */
function modelOf(llm: ChainModel): BaseLanguageModelInterface | undefined {
  return isLanguageModel(llm) ? llm : undefined;
}

function isLanguageModel(llm: ChainModel): llm is BaseLanguageModelInterface {
  return 'generatePrompt' in llm && typeof llm.generatePrompt === 'function' && 'getNumTokens' in llm && typeof llm.getNumTokens === 'function';
}

function noMemory(what: string): LoaderError {
  return new LoaderError('no-memory', `The file says \`memory: false\`: it ${what}`);
}
