// `summary_prompt`, `summary_model` or `summary_parameters` under a memory type without a summarizer
// (buffer, buffer_window, token_buffer): no summary call is ever made, so the setting does nothing.

import { ignoredSettingRule } from './memorySettings';

export const memorySummaryIgnored = ignoredSettingRule({
  code: 'memory-summary-ignored',
  settings: [
    { key: 'summary_prompt', of: (memory) => memory.summaryPrompt },
    { key: 'summary_model', of: (memory) => memory.summaryModel },
    { key: 'summary_parameters', of: (memory) => memory.summaryParameters },
  ],
  typesThatUse: ['summary', 'summary_buffer'],
  appliesTo: '`type: summary` and `summary_buffer` (the types that make a summary call)',
});
