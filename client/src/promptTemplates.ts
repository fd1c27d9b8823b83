// The templates of New Prompt File: the two prompts of LangChain's "Memory in LLMChain" notebook, as the
// repository's examples/ has them (packaged with the extension and read from there, so the text offered is
// exactly the examples'). Pure.

export interface PromptTemplate {
  label: string;
  detail: string;
  /** The file in examples/ whose text the new file gets; also the new file's suggested name. */
  file: string;
}

export const promptTemplates: readonly PromptTemplate[] = [
  {
    label: 'Chat prompt',
    detail: 'ChatPromptTemplate: a system message, the conversation as a MessagesPlaceholder, the human message (ChatOpenAI, return_messages: true)',
    file: 'chatbot-chat.prompt',
  },
  {
    label: 'Completion prompt',
    detail: 'PromptTemplate with the conversation as text, "Human: … Chatbot:" (OpenAI, the completions API)',
    file: 'chatbot-completion.prompt',
  },
];

/** `name` itself when no file of the folder has it, else `name-2.prompt`, `name-3.prompt`… */
export function freeFileName(name: string, taken: ReadonlySet<string>): string {
  if (!taken.has(name)) return name;
  const stem = name.replace(/\.prompt$/, '');
  for (let n = 2; ; n++) {
    const candidate = `${stem}-${n}.prompt`;
    if (!taken.has(candidate)) return candidate;
  }
}
