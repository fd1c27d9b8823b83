// What the client needs to know about a `.prompt` file to show or change its model: the model and where
// `model:` is written. What a turn needs (the input key, the other variables, the errors that stop it) is
// not decided here: the server answers promptChain/turnInputs with the engine's own rules (turnInputs.ts).

import { TextDocument } from 'vscode-languageserver-textdocument';
import { resolveConfig } from '../../core/chain/config';
import type { ChainConfig } from '../../core/chain/types';
import type { Span } from '../../core/format/model';
import { parsePrompt } from '../../core/format/parse';
import { chainDefaults, createContext, defaultServiceSettings, type ServiceSettings } from '../../service/context';

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
}

export function promptFacts(uri: string, text: string, defaults: PromptDefaults): PromptFacts {
  const document = TextDocument.create(uri, 'prompt', 0, text);
  const ctx = createContext(document, serviceSettings(defaults));
  const modelField = ctx.prompt.frontMatter?.model;
  const modelSetting = ctx.config.api === 'completion' ? 'defaultCompletionModel' : 'defaultModel';
  return { model: modelOf(ctx.config, defaults), modelSpan: modelField?.span, modelSetting };
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
