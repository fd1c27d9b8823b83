// What every language-service feature receives: the text document, its parsed model and resolved
// configuration, the settings for its resource, and facts the host knows about the workspace (the
// stored conversation). Built once per (uri, version, settings) by the host and handed to every feature.

import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { PromptDocument } from '../core/format/model';
import type { ChainConfig, ChainDefaults, MemoryView, Turn } from '../core/chain/types';
import { parsePrompt } from '../core/format/parse';
import type { ServiceHost } from './hosts';
import type { LocalWindow } from '../core/tokens/contextWindows';
import { DEFAULT_CHAT_MODEL, DEFAULT_COMPLETION_MODEL, DEFAULT_MEMORY_KEY, resolveConfig } from '../core/chain/config';

export interface ServiceSettings {
  /** Model when a chat prompt names none. */
  defaultModel: string;
  /** Model when a completion prompt names none. */
  defaultCompletionModel: string;
  /** Memory key when the file's memory block names none (LangChain: `history`). */
  defaultMemoryKey: string;
  /** Model names offered by completion of `model:`. */
  models: string[];
  /** Context window in tokens for models the service has no table entry for. */
  contextWindow: number;
  /** The in-process model, when the host can run one: its window answers for the turns that run on it. */
  local?: LocalWindow;
  /**
   * Who shows the messages, so advice names what that user can do (the chat panel's form or `--var`, a
   * user setting or a flag): ./hosts.ts. Absent: the editor, whose server passes its settings as they are.
   */
  host?: ServiceHost;
}

export const defaultServiceSettings: ServiceSettings = {
  defaultModel: DEFAULT_CHAT_MODEL,
  defaultCompletionModel: DEFAULT_COMPLETION_MODEL,
  defaultMemoryKey: DEFAULT_MEMORY_KEY,
  models: ['gpt-4o-mini', 'gpt-4o', 'gpt-4.1', 'gpt-4.1-mini', 'gpt-3.5-turbo-instruct', 'llama3.2', 'qwen2.5'],
  contextWindow: 8192,
};

export interface WorkspaceFacts {
  /** Turns stored for this file's conversation in this workspace (empty when unknown). */
  storedTurns: readonly Turn[];
  /** What the memory class holds now (summary, kept and pruned), when the host has read the store. */
  memoryView?: MemoryView;
}

export interface PromptContext {
  readonly textDocument: TextDocument;
  readonly prompt: PromptDocument;
  readonly config: ChainConfig;
  readonly settings: ServiceSettings;
  readonly facts: WorkspaceFacts;
}

export function createContext(
  textDocument: TextDocument,
  settings: ServiceSettings = defaultServiceSettings,
  facts: WorkspaceFacts = { storedTurns: [] },
  prompt: PromptDocument = parsePrompt(textDocument.getText()),
): PromptContext {
  const config = resolveConfig(prompt, chainDefaults(settings));
  return { textDocument, prompt, config, settings, facts };
}

/** What the settings say about what a file leaves out. */
export function chainDefaults(settings: ServiceSettings): ChainDefaults {
  return { model: settings.defaultModel, completionModel: settings.defaultCompletionModel, memoryKey: settings.defaultMemoryKey };
}
