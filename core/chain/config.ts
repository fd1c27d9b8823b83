// The effective chain configuration of a `.prompt` file: its front matter with LangChain's defaults (and
// the host's) filled in. A `.prompt` is a chain WITH memory unless it says `memory: false`.

import type { FrontMatter, MemoryDecl, PromptDocument } from '../format/model';
import type { ChainConfig, ChainDefaults, MemoryConfig } from './types';
import { DEFAULT_MAX_TOKEN_LIMIT, SUMMARY_PROMPT } from './memoryClasses/summaryPrompt';
import { countsTokens, summarizes } from './memoryClasses/kinds';

/** ConversationBufferWindowMemory's default window. */
export const DEFAULT_WINDOW_K = 5;
/**
 * LangChain's model defaults: `OpenAI()` (completions API) is gpt-3.5-turbo-instruct, which a chat-only
 * model cannot stand in for; chat prompts get the host's default chat model.
 */
export const DEFAULT_CHAT_MODEL = 'gpt-4o-mini';
export const DEFAULT_COMPLETION_MODEL = 'gpt-3.5-turbo-instruct';
/** ConversationBufferMemory's default memory_key. */
export const DEFAULT_MEMORY_KEY = 'history';

export function resolveConfig(doc: PromptDocument, defaults: ChainDefaults): ChainConfig {
  const frontMatter = doc.frontMatter;
  const config: ChainConfig = {
    api: doc.body.kind,
    templateFormat: frontMatter?.templateFormat?.value ?? 'f-string',
    partialVariables: partialVariables(frontMatter),
    parameters: { ...frontMatter?.parameters?.value },
  };
  const model = frontMatter?.model?.value ?? (config.api === 'completion' ? defaults.completionModel ?? defaults.model : defaults.model);
  if (model !== undefined) config.model = model;
  if (frontMatter?.inputVariables) config.inputVariables = frontMatter.inputVariables.value.map((item) => item.value);
  if (frontMatter?.inputKey) config.inputKey = frontMatter.inputKey.value;
  const memory = resolveMemory(frontMatter?.memory, defaults);
  if (memory) config.memory = memory;
  return config;
}

function partialVariables(frontMatter: FrontMatter | undefined): Record<string, string> {
  // fromEntries defines own properties: a partial named `__proto__` is kept like any other name.
  return Object.fromEntries((frontMatter?.partialVariables?.value ?? []).map((partial) => [partial.name, partial.value]));
}

function resolveMemory(declared: FrontMatter['memory'], defaults: ChainDefaults): MemoryConfig | undefined {
  if (declared && 'value' in declared) return undefined; // `memory: false`
  const memory: MemoryDecl | undefined = declared;
  const type = memory?.type?.value ?? 'buffer';
  const config: MemoryConfig = {
    type,
    key: memory?.key?.value ?? defaults.memoryKey ?? DEFAULT_MEMORY_KEY,
    returnMessages: memory?.returnMessages?.value ?? false,
    humanPrefix: memory?.humanPrefix?.value ?? 'Human',
    aiPrefix: memory?.aiPrefix?.value ?? 'AI',
    scope: memory?.scope?.value ?? 'file',
  };
  if (type === 'buffer_window') config.k = memory?.k?.value ?? DEFAULT_WINDOW_K;
  if (countsTokens(type)) config.maxTokenLimit = memory?.maxTokenLimit?.value ?? DEFAULT_MAX_TOKEN_LIMIT;
  if (summarizes(type)) Object.assign(config, summarizer(memory));
  if (memory?.history) config.history = memory.history.value;
  return config;
}

/** The summary call's settings; the model and parameters are left out when the chain's apply. */
function summarizer(memory: MemoryDecl | undefined): Pick<MemoryConfig, 'summaryPrompt' | 'summaryModel' | 'summaryParameters'> {
  const settings: Pick<MemoryConfig, 'summaryPrompt' | 'summaryModel' | 'summaryParameters'> = {
    summaryPrompt: memory?.summaryPrompt?.value ?? SUMMARY_PROMPT,
  };
  if (memory?.summaryModel) settings.summaryModel = memory.summaryModel.value;
  if (memory?.summaryParameters) settings.summaryParameters = { ...memory.summaryParameters.value };
  return settings;
}
