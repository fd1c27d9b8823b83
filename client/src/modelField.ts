// Where Select Model writes a choice: the file's own `model:` value when it names one, else the default-model
// setting of the file's kind (chat and completion prompts have different defaults). Which model a turn uses
// is the server's to say (turnInputs); this is only about where the text of a choice goes. Pure.

import type { Span } from '../../core/format/model';
import { parsePrompt } from '../../core/format/parse';

export interface ModelField {
  /** The value of `model:` in the front matter, when the file names one. */
  span?: Span;
  /** The setting that supplies the model when the file names none. */
  setting: 'defaultModel' | 'defaultCompletionModel';
}

export function modelField(text: string): ModelField {
  const prompt = parsePrompt(text);
  const setting = prompt.body.kind === 'completion' ? 'defaultCompletionModel' : 'defaultModel';
  const span = prompt.frontMatter?.model?.span;
  return span ? { span, setting } : { setting };
}

/** Model names are plain YAML scalars; anything else is quoted. */
export function yamlScalar(value: string): string {
  return /^[A-Za-z0-9][\w.\-/:@]*$/.test(value) && !value.includes(': ') ? value : JSON.stringify(value);
}
