// What a `.prompt` file is in LangChain's own terms: the prompt class and its messages, the memory class and
// its arguments, the model class. The one decider for every way the file leaves Prompt Chain (the
// `langchain-json` and `langchain-yaml` exports, the generated Python and TypeScript, the LangChain.js loader):
// each of them spells this description, none of them decides again.

import type { ModelParameters, PromptBody, PromptDocument, TemplateFormat } from '../format/model';
import type { ChainConfig, MemoryConfig } from '../chain/types';
import { resolveInputKey, templateVariableNames } from '../chain/inputKey';

/** A chat message template, or the MessagesPlaceholder a `placeholder: {name}` header declares. */
export type LangChainMessage =
  | { readonly kind: 'message'; readonly role: 'system' | 'human' | 'ai'; readonly template: string }
  | { readonly kind: 'placeholder'; readonly variableName: string };

/** PromptTemplate (completion body) or ChatPromptTemplate (chat body). */
export type LangChainPromptClass =
  | { readonly kind: 'prompt'; readonly template: string }
  | { readonly kind: 'chat'; readonly messages: readonly LangChainMessage[] };

export interface LangChainPrompt {
  readonly prompt: LangChainPromptClass;
  readonly templateFormat: TemplateFormat;
  /**
   * LangChain's `input_variables`: every template variable (placeholders included) that is not a partial,
   * sorted, as Python's `from_template` / `from_messages` compute them (the memory key is one of them).
   */
  readonly inputVariables: readonly string[];
  readonly partialVariables: Readonly<Record<string, string>>;
  /** The variable that takes the chat input (LLMChain's, and the memory's `input_key`). */
  readonly inputKey: string;
  /** undefined for `memory: false`. */
  readonly memory?: LangChainMemory;
  /** OpenAI (completions API) or ChatOpenAI (chat API), with the file's model and parameters. */
  readonly model: LangChainModel;
}

/** The memory class for `memory.type`, and every argument the file sets or LangChain would default. */
export interface LangChainMemory {
  readonly type: MemoryConfig['type'];
  /** Python `langchain.memory` class name. */
  readonly pythonClass: string;
  /** LangChain.js `@langchain/classic/memory` class name. */
  readonly jsClass: string;
  readonly memoryKey: string;
  readonly inputKey: string;
  readonly humanPrefix: string;
  readonly aiPrefix: string;
  readonly returnMessages: boolean;
  /** buffer_window */
  readonly k?: number;
  /** summary_buffer, token_buffer */
  readonly maxTokenLimit?: number;
  /** summary, summary_buffer: the summarizer's template (variables {summary} and {new_lines}). */
  readonly summaryPrompt?: string;
  /** summary, summary_buffer, token_buffer: the memory's own `llm` (summarizer, or token counter). */
  readonly llm?: LangChainModel;
}

export interface LangChainModel {
  readonly api: ChainConfig['api'];
  /** Python `langchain_openai` / LangChain.js `@langchain/openai` class name. */
  readonly className: 'OpenAI' | 'ChatOpenAI';
  /** undefined when neither the file nor the host names one (LangChain's own default applies). */
  readonly model?: string;
  readonly parameters: ModelParameters;
}

const memoryClasses: Readonly<Record<MemoryConfig['type'], { python: string; js: string }>> = {
  buffer: { python: 'ConversationBufferMemory', js: 'BufferMemory' },
  buffer_window: { python: 'ConversationBufferWindowMemory', js: 'BufferWindowMemory' },
  summary: { python: 'ConversationSummaryMemory', js: 'ConversationSummaryMemory' },
  summary_buffer: { python: 'ConversationSummaryBufferMemory', js: 'ConversationSummaryBufferMemory' },
  token_buffer: { python: 'ConversationTokenBufferMemory', js: 'ConversationTokenBufferMemory' },
};

/** The prompt class a body is: a PromptTemplate, or a ChatPromptTemplate's messages and placeholders. */
export function promptClassOf(body: PromptBody): LangChainPromptClass {
  if (body.kind === 'completion') return { kind: 'prompt', template: body.template.source };
  return {
    kind: 'chat',
    messages: body.messages.map((message): LangChainMessage =>
      message.role === 'placeholder'
        ? { kind: 'placeholder', variableName: message.placeholder?.name ?? '' }
        : { kind: 'message', role: message.role, template: message.template.source },
    ),
  };
}

/**
 * The LangChain description of a runnable document (the caller refuses one with errors first, as a turn
 * does: `assertRunnable`). Throws the engine's `input-key` ChainError when no variable takes the input.
 */
export function langChainPromptOf(doc: PromptDocument, config: ChainConfig): LangChainPrompt {
  const inputKey = resolveInputKey(doc.body, config);
  const prompt = promptClassOf(doc.body);
  const inputVariables = templateVariableNames(doc.body)
    .filter((name) => !Object.hasOwn(config.partialVariables, name))
    .sort(pythonOrder);
  const model = modelOf(config, config.model, config.parameters);
  const description: LangChainPrompt = {
    prompt,
    templateFormat: config.templateFormat,
    inputVariables,
    partialVariables: { ...config.partialVariables },
    inputKey,
    model,
  };
  return config.memory ? { ...description, memory: memoryOf(config.memory, inputKey, config) } : description;
}

function memoryOf(memory: MemoryConfig, inputKey: string, config: ChainConfig): LangChainMemory {
  const classes = memoryClasses[memory.type];
  const described: { -readonly [K in keyof LangChainMemory]: LangChainMemory[K] } = {
    type: memory.type,
    pythonClass: classes.python,
    jsClass: classes.js,
    memoryKey: memory.key,
    inputKey,
    humanPrefix: memory.humanPrefix,
    aiPrefix: memory.aiPrefix,
    returnMessages: memory.returnMessages,
  };
  if (memory.k !== undefined) described.k = memory.k;
  if (memory.maxTokenLimit !== undefined) described.maxTokenLimit = memory.maxTokenLimit;
  if (memory.summaryPrompt !== undefined) described.summaryPrompt = memory.summaryPrompt;
  if (memory.type !== 'buffer' && memory.type !== 'buffer_window') {
    // The summarizer (or the token counter) is a model of its own; Prompt Chain always calls it as a chat model
    // when the chain is one, and with the chain's settings unless summary_model / summary_parameters say otherwise.
    described.llm = modelOf(config, memory.summaryModel ?? config.model, memory.summaryParameters ?? config.parameters);
  }
  return described;
}

function modelOf(config: ChainConfig, model: string | undefined, parameters: ModelParameters): LangChainModel {
  const described = { api: config.api, className: config.api === 'chat' ? 'ChatOpenAI' : 'OpenAI', parameters: { ...parameters } } as const;
  return model === undefined ? described : { ...described, model };
}

/** Python's `sorted()` on str: by code point (not UTF-16 unit, not locale). */
export function pythonOrder(a: string, b: string): number {
  const left = [...a];
  const right = [...b];
  for (let index = 0; index < Math.min(left.length, right.length); index += 1) {
    const difference = (left[index]?.codePointAt(0) ?? 0) - (right[index]?.codePointAt(0) ?? 0);
    if (difference !== 0) return difference;
  }
  return left.length - right.length;
}
