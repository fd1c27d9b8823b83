// What the client needs to know about a `.prompt` file before running it or showing its model: the model,
// where `model:` is written, the input key and the other variables a turn must be given. Worked out by the
// same pure language service the server uses, so the client asks for exactly what LLMChain will need.

import { TextDocument } from 'vscode-languageserver-textdocument';
import { resolveConfig } from '../../core/chain/config';
import type { ChainConfig } from '../../core/chain/types';
import type { Span } from '../../core/format/model';
import { parsePrompt } from '../../core/format/parse';
import { chainDefaults, createContext, defaultServiceSettings, type ServiceSettings } from '../../service/context';
import { freeVariables, inputKeyOf } from '../../service/features/variables';

export interface PromptDefaults {
  defaultModel: string;
  defaultCompletionModel?: string;
  defaultMemoryKey: string;
}

export interface PromptFacts {
  /** The file's `model:`, else the default model. */
  model: string;
  /** Where the value of `model:` is written, when the file names one. */
  modelSpan?: Span;
  /** The setting that supplies the model when the file names none: chat and completion prompts differ. */
  modelSetting: 'defaultModel' | 'defaultCompletionModel';
  /** The variable the human input fills; undefined when LangChain could not choose one (the server says why). */
  inputKey?: string;
  /** Free variables besides the input key, in template order: each needs a value for the turn. */
  otherVariables: string[];
}

export function promptFacts(uri: string, text: string, defaults: PromptDefaults): PromptFacts {
  const document = TextDocument.create(uri, 'prompt', 0, text);
  const ctx = createContext(document, serviceSettings(defaults));
  const inputKey = inputKeyOf(ctx);
  // Without an input key the run fails with LangChain's "One input key expected"; asking for every other
  // variable first would only delay that message.
  const otherVariables = inputKey === undefined ? [] : freeVariables(ctx).filter((name) => name !== inputKey);
  const modelField = ctx.prompt.frontMatter?.model;
  const modelSetting = ctx.config.api === 'completion' ? 'defaultCompletionModel' : 'defaultModel';
  return { model: modelOf(ctx.config, defaults), modelSpan: modelField?.span, modelSetting, inputKey, otherVariables };
}

/**
 * The model a turn of the file uses, as promptFacts says, from the parse and the chain configuration alone:
 * the status bar asks on every tab switch and keystroke and needs no variables or input key.
 */
export function promptModel(text: string, defaults: PromptDefaults): string {
  return modelOf(resolveConfig(parsePrompt(text), chainDefaults(serviceSettings(defaults))), defaults);
}

function modelOf(config: ChainConfig, defaults: PromptDefaults): string {
  return config.model ?? defaults.defaultModel;
}

function serviceSettings(defaults: PromptDefaults): ServiceSettings {
  return { ...defaultServiceSettings, ...defaults };
}
