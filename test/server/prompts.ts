// `.prompt` texts the server tests open. The headline case: LangChain's "Memory in LLMChain" example
// with the template's `{history}` not matching `memory.key: chat_history`.

import { completionExample, mismatchedExample } from '../support/examples';

/** The mismatch: the history never reaches the model, and `{history}` is a variable nothing provides. */
export const mismatchedPrompt = mismatchedExample;

/** Example 1 of the core issue, byte for byte. */
export { completionExample };

/** Relies on the default memory key (a setting) for its `{chat_history}`. */
export const defaultKeyPrompt = `You are a chatbot.

{chat_history}
Human: {human_input}
Chatbot:
`;
