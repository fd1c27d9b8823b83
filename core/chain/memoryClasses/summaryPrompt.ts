// LangChain's default summarizer prompt (Python `langchain_classic.memory.prompt.SUMMARY_PROMPT`, the same
// text in LangChain.js), byte for byte: ConversationSummaryMemory and ConversationSummaryBufferMemory use it
// unless `summary_prompt` says otherwise. A golden test keeps it from drifting
// (test/core/chain/memoryClasses/golden/summary-prompt.txt).

export const SUMMARY_PROMPT = `Progressively summarize the lines of conversation provided, adding onto the previous summary returning a new summary.

EXAMPLE
Current summary:
The human asks what the AI thinks of artificial intelligence. The AI thinks artificial intelligence is a force for good.

New lines of conversation:
Human: Why do you think artificial intelligence is a force for good?
AI: Because artificial intelligence will help humans reach their full potential.

New summary:
The human asks what the AI thinks of artificial intelligence. The AI thinks artificial intelligence is a force for good because it will help humans reach their full potential.
END OF EXAMPLE

Current summary:
{summary}

New lines of conversation:
{new_lines}

New summary:`;

/** The variables a summary prompt must use, exactly (LangChain's validate_prompt_input_variables). */
export const SUMMARY_PROMPT_VARIABLES = ['summary', 'new_lines'] as const;

/** ConversationSummaryBufferMemory's and ConversationTokenBufferMemory's default `max_token_limit`. */
export const DEFAULT_MAX_TOKEN_LIMIT = 2000;
