// The front-matter keys: what each accepts, its default and a one-line description. The parser validates
// against this table and the language service reads it for completion, hover and quick fixes, so a key is
// documented in exactly one place (docs/prompt-format.md mirrors it for readers).

import type { MemoryType } from './model';

export type ValueKind =
  | 'string'
  | 'enum'
  | 'boolean'
  | 'integer'
  | 'number'
  | 'string-list'
  | 'string-or-string-list'
  | 'string-map'
  | 'memory'
  | 'map';

export interface FieldSchema {
  readonly key: string;
  readonly kind: ValueKind;
  /** One line, shown in hover and completion. */
  readonly description: string;
  /** `enum`: the accepted values; `memory`: also accepts `false`. */
  readonly values?: readonly string[];
  /** Numbers: inclusive bounds. */
  readonly min?: number;
  readonly max?: number;
  /** What applies when the key is absent, as written in the docs. */
  readonly default?: string;
  /** `memory` and `map`: the nested keys. */
  readonly children?: readonly FieldSchema[];
  /** Names people write by habit (LangChain's Python names) that mean this key. */
  readonly aliases?: readonly string[];
  /** A typical value as written in YAML (for a map: one indented line), quoted in "what to write" advice. */
  readonly example?: string;
  /**
   * What LangChain (or the endpoint) would do with a value of the wrong type, not allowed or out of range;
   * completes "`temperature` must be a number from 0 to 2, not 3: …". Absent where nothing would notice.
   */
  readonly whenWrong?: string;
  /** Numbers: what happens out of range, when it differs from `whenWrong`. */
  readonly whenOutOfRange?: string;
}

/** Every parameter goes into the request body as written; the OpenAI API validates each one. */
const rejectedByApi = 'the OpenAI API would reject the request with a 400';
const rejectedBy = (langChainClass: string): string => `LangChain's ${langChainClass} would raise a validation error`;

/** `memory.type`: LangChain's memory classes (MemoryType in ./model.ts). */
export const memoryTypes: readonly MemoryType[] = ['buffer', 'buffer_window', 'summary', 'summary_buffer', 'token_buffer'];


export const parametersSchema: readonly FieldSchema[] = [
  { key: 'temperature', kind: 'number', min: 0, max: 2, description: 'Sampling temperature, 0 to 2.', example: '0.7', whenWrong: rejectedByApi },
  { key: 'max_tokens', kind: 'integer', min: 1, description: 'Maximum number of tokens in the reply.', example: '256', whenWrong: rejectedByApi },
  { key: 'top_p', kind: 'number', min: 0, max: 1, description: 'Nucleus sampling: probability mass considered, 0 to 1.', example: '1', whenWrong: rejectedByApi },
  { key: 'stop', kind: 'string-or-string-list', description: 'A stop sequence or a list of them.', example: '["Human:"]', whenWrong: rejectedByApi },
  { key: 'seed', kind: 'integer', description: 'Seed for deterministic sampling, where the endpoint supports it.', example: '42', whenWrong: rejectedByApi },
  { key: 'presence_penalty', kind: 'number', min: -2, max: 2, description: 'Penalty for tokens already present, -2 to 2.', example: '0', whenWrong: rejectedByApi },
  { key: 'frequency_penalty', kind: 'number', min: -2, max: 2, description: 'Penalty proportional to token frequency, -2 to 2.', example: '0', whenWrong: rejectedByApi },
];

export const memorySchema: readonly FieldSchema[] = [
  { key: 'type', kind: 'enum', values: memoryTypes, default: 'buffer', description: 'The LangChain memory class: ConversationBufferMemory (`buffer`, every turn), ConversationBufferWindowMemory (`buffer_window`, the last `k` turns), ConversationSummaryMemory (`summary`, a running summary), ConversationSummaryBufferMemory (`summary_buffer`, a summary plus the latest messages within `max_token_limit`) or ConversationTokenBufferMemory (`token_buffer`, the latest messages within `max_token_limit`).', example: 'summary_buffer', whenWrong: 'Prompt Chain builds only ConversationBufferMemory (`buffer`), ConversationBufferWindowMemory (`buffer_window`), ConversationSummaryMemory (`summary`), ConversationSummaryBufferMemory (`summary_buffer`) or ConversationTokenBufferMemory (`token_buffer`)' },
  { key: 'k', kind: 'integer', min: 1, default: '5', description: 'buffer_window only: how many exchanges (human + AI) the memory keeps.', example: '5', whenOutOfRange: 'ConversationBufferWindowMemory would pass the model no history at all' },
  { key: 'key', kind: 'string', default: 'history', description: "The template variable the conversation is written into (LangChain's `memory_key`).", aliases: ['memory_key'], example: 'chat_history', whenWrong: rejectedBy('ConversationBufferMemory') },
  { key: 'return_messages', kind: 'boolean', default: 'false', description: 'true: the memory is a list of messages (for a chat `placeholder:`); false: one "Human: …\\nAI: …" string.', example: 'true' },
  { key: 'human_prefix', kind: 'string', default: 'Human', description: 'Prefix of human turns in the memory string.', example: 'User', whenWrong: rejectedBy('ConversationBufferMemory') },
  { key: 'ai_prefix', kind: 'string', default: 'AI', description: 'Prefix of AI turns in the memory string.', example: 'Assistant', whenWrong: rejectedBy('ConversationBufferMemory') },
  { key: 'scope', kind: 'enum', values: ['file', 'workspace'], default: 'file', description: '`file`: one conversation per prompt file; `workspace`: one conversation per memory key, shared by the workspace.', example: 'workspace', whenWrong: 'Prompt Chain keeps one conversation per `file` or one per memory key in the `workspace`, nothing else' },
  { key: 'max_token_limit', kind: 'integer', min: 0, default: '2000', description: "summary_buffer and token_buffer only: the most tokens the kept messages may count (with the model's own counter); older messages are summarized (summary_buffer) or dropped (token_buffer).", example: '2000', whenWrong: rejectedBy('ConversationTokenBufferMemory'), whenOutOfRange: "LangChain's pruning would pop from an empty buffer and raise IndexError" },
  { key: 'summary_prompt', kind: 'string', default: "LangChain's SUMMARY_PROMPT", description: 'summary and summary_buffer only: the summarizer\'s f-string template (LangChain\'s `prompt`); it must use exactly `{summary}` and `{new_lines}`.', aliases: ['prompt'], example: '"Summarize:\\n{summary}\\n{new_lines}\\nSummary:"', whenWrong: rejectedBy('ConversationSummaryMemory') },
  { key: 'summary_model', kind: 'string', default: "the chain's model", description: "summary and summary_buffer only: the model of the summary call, on the chain's endpoint (summary_buffer counts tokens with it too).", example: 'gpt-4o-mini', whenWrong: rejectedByApi },
  { key: 'summary_parameters', kind: 'map', default: "the chain's parameters", description: "summary and summary_buffer only: the summary call's model parameters.", children: parametersSchema, example: 'temperature: 0', whenWrong: rejectedByApi },
  { key: 'history', kind: 'string', default: 'the local store', description: "The name of a shared chat history configured by the user (`promptChain.historyStores`, or `PROMPT_CHAIN_HISTORY_STORES` for the CLI): the conversation is that store's session, read and written in LangChain's own format. A name, never a URL: a store's URL can hold credentials.", example: 'team', whenWrong: 'Prompt Chain attaches a shared history only by the name of a store the user configured' },
];

export const frontMatterSchema: readonly FieldSchema[] = [
  { key: 'name', kind: 'string', description: 'A name for the prompt, shown in outlines and the chat panel.', example: 'Chatbot' },
  { key: 'description', kind: 'string', description: 'What the prompt is for.', example: 'A friendly chatbot' },
  { key: 'model', kind: 'string', default: 'the configured default model', description: 'Model name sent to the endpoint, e.g. gpt-4o-mini or llama3.2.', example: 'gpt-4o-mini', whenWrong: rejectedByApi },
  { key: 'api', kind: 'enum', values: ['chat', 'completion'], default: 'chat when the body has role headers, else completion', description: '`chat`: ChatPromptTemplate sent to chat completions; `completion`: PromptTemplate sent to completions.', example: 'chat', whenWrong: 'Prompt Chain would not know whether to call chat completions or completions' },
  { key: 'template_format', kind: 'enum', values: ['f-string', 'mustache'], default: 'f-string', description: '`f-string`: `{name}` variables as Python LangChain; `mustache`: `{{name}}` as LangChain.js.', example: 'f-string', whenWrong: 'Prompt Chain reads variables only as f-string `{name}` or mustache `{{name}}`' },
  { key: 'input_variables', kind: 'string-list', description: 'The variables the template declares; must match the template (memory key and partials aside).', example: '[question]', whenWrong: rejectedBy('PromptTemplate') },
  { key: 'input_key', kind: 'string', description: 'The variable that receives the user input, when the template has more than one candidate.', example: 'question', whenWrong: rejectedBy('ConversationBufferMemory') },
  { key: 'partial_variables', kind: 'string-map', description: 'Variables filled with fixed strings before formatting.', example: 'topic: cooking', whenWrong: rejectedBy('PromptTemplate') },
  { key: 'memory', kind: 'memory', values: ['false'], default: 'buffer memory with key `history`', description: 'LangChain memory settings (the class and its parameters), or `false` for a chain without memory.', children: memorySchema, example: 'key: chat_history' },
  { key: 'parameters', kind: 'map', description: 'Model call parameters.', children: parametersSchema, example: 'temperature: 0.7' },
];

/** The schema of the key at `path` (e.g. ['memory', 'key']), or undefined for an unknown key. */
export function fieldSchemaAt(path: readonly string[]): FieldSchema | undefined {
  let fields: readonly FieldSchema[] | undefined = frontMatterSchema;
  let found: FieldSchema | undefined;
  for (const key of path) {
    found = fields?.find((field) => field.key === key);
    if (!found) return undefined;
    fields = found.children;
  }
  return found;
}
