// `k` under a memory type other than buffer_window: only ConversationBufferWindowMemory has a window;
// every other class takes the keyword and ignores it, so the prompt holds more (or less) than the file says.

import { ignoredSettingRule } from './memorySettings';

export const memoryKIgnored = ignoredSettingRule({
  code: 'memory-k-ignored',
  settings: [{ key: 'k', of: (memory) => memory.k }],
  typesThatUse: ['buffer_window'],
  appliesTo: '`type: buffer_window`',
});
