// Prompt documents for chain tests: parsed and resolved exactly as the hosts do it.

import { parsePrompt } from '../../../core/format/parse';
import { resolveConfig } from '../../../core/chain/config';
import type { ChainConfig, ChainDefaults } from '../../../core/chain/types';
import type { PromptDocument } from '../../../core/format/model';

export interface LoadedPrompt {
  prompt: PromptDocument;
  config: ChainConfig;
}

/** `lines` joined with `\n`, plus the final newline a saved file has. */
export function promptFile(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

export function loadPrompt(text: string, defaults: ChainDefaults = { model: 'gpt-4o-mini' }): LoadedPrompt {
  const prompt = parsePrompt(text);
  return { prompt, config: resolveConfig(prompt, defaults) };
}
