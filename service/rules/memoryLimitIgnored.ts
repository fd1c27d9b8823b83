// `max_token_limit` under a memory type that never counts tokens (buffer, buffer_window, summary): the
// class ignores the keyword, and the prompt grows (or is summarized) whatever the limit says.

import { ignoredSettingRule } from './memorySettings';

export const memoryLimitIgnored = ignoredSettingRule({
  code: 'memory-limit-ignored',
  settings: [{ key: 'max_token_limit', of: (memory) => memory.maxTokenLimit }],
  typesThatUse: ['summary_buffer', 'token_buffer'],
  appliesTo: '`type: summary_buffer` and `token_buffer`',
});
