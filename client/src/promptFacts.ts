// What the client needs to know about a `.prompt` file before running it or showing its model: the model,
// where `model:` is written, the input key and the other variables a turn must be given. Worked out by the
// same pure language service the server uses, so the client asks for exactly what LLMChain will need.

import { TextDocument } from 'vscode-languageserver-textdocument';
import { createContext, defaultServiceSettings } from '../../service/context';
import { freeVariables, inputKeyOf } from '../../service/features/variables';
import type { Span } from '../../core/format/model';

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
  const ctx = createContext(document, { ...defaultServiceSettings, ...defaults });
  const inputKey = inputKeyOf(ctx);
  // Without an input key the run fails with LangChain's "One input key expected"; asking for every other
  // variable first would only delay that message.
  const otherVariables = inputKey === undefined ? [] : freeVariables(ctx).filter((name) => name !== inputKey);
  const modelField = ctx.prompt.frontMatter?.model;
  const modelSetting = ctx.config.api === 'completion' ? 'defaultCompletionModel' : 'defaultModel';
  return { model: ctx.config.model ?? defaults.defaultModel, modelSpan: modelField?.span, modelSetting, inputKey, otherVariables };
}
