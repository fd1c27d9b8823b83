// The stored entries as the message list BaseChatMemory.save_context builds (human input, ai output, raw;
// a lone message as itself), addressed by message index: ../entries.ts keeps the layout.

export { messageCount, messageRange, messagesBefore } from '../entries';
