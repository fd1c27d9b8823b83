// The front-matter keys: what each accepts, its default and a one-line description. The parser validates
// against this table and the language service reads it for completion, hover and quick fixes, so a key is
// documented in exactly one place (docs/prompt-format.md mirrors it for readers).

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
}

export const memorySchema: readonly FieldSchema[] = [
  { key: 'type', kind: 'enum', values: ['buffer', 'buffer_window'], default: 'buffer', description: 'ConversationBufferMemory (`buffer`, every turn) or ConversationBufferWindowMemory (`buffer_window`, the last `k` turns).' },
  { key: 'k', kind: 'integer', min: 1, default: '5', description: 'buffer_window only: how many exchanges (human + AI) the memory keeps.' },
  { key: 'key', kind: 'string', default: 'history', description: "The template variable the conversation is written into (LangChain's `memory_key`).", aliases: ['memory_key'] },
  { key: 'return_messages', kind: 'boolean', default: 'false', description: 'true: the memory is a list of messages (for a chat `placeholder:`); false: one "Human: …\\nAI: …" string.' },
  { key: 'human_prefix', kind: 'string', default: 'Human', description: 'Prefix of human turns in the memory string.' },
  { key: 'ai_prefix', kind: 'string', default: 'AI', description: 'Prefix of AI turns in the memory string.' },
  { key: 'scope', kind: 'enum', values: ['file', 'workspace'], default: 'file', description: '`file`: one conversation per prompt file; `workspace`: one conversation per memory key, shared by the workspace.' },
];

export const parametersSchema: readonly FieldSchema[] = [
  { key: 'temperature', kind: 'number', min: 0, max: 2, description: 'Sampling temperature, 0 to 2.' },
  { key: 'max_tokens', kind: 'integer', min: 1, description: 'Maximum number of tokens in the reply.' },
  { key: 'top_p', kind: 'number', min: 0, max: 1, description: 'Nucleus sampling: probability mass considered, 0 to 1.' },
  { key: 'stop', kind: 'string-or-string-list', description: 'A stop sequence or a list of them.' },
  { key: 'seed', kind: 'integer', description: 'Seed for deterministic sampling, where the endpoint supports it.' },
  { key: 'presence_penalty', kind: 'number', min: -2, max: 2, description: 'Penalty for tokens already present, -2 to 2.' },
  { key: 'frequency_penalty', kind: 'number', min: -2, max: 2, description: 'Penalty proportional to token frequency, -2 to 2.' },
];

export const frontMatterSchema: readonly FieldSchema[] = [
  { key: 'name', kind: 'string', description: 'A name for the prompt, shown in outlines and the chat panel.' },
  { key: 'description', kind: 'string', description: 'What the prompt is for.' },
  { key: 'model', kind: 'string', default: 'the configured default model', description: 'Model name sent to the endpoint, e.g. gpt-4o-mini or llama3.2.' },
  { key: 'api', kind: 'enum', values: ['chat', 'completion'], default: 'chat when the body has role headers, else completion', description: '`chat`: ChatPromptTemplate sent to chat completions; `completion`: PromptTemplate sent to completions.' },
  { key: 'template_format', kind: 'enum', values: ['f-string', 'mustache'], default: 'f-string', description: '`f-string`: `{name}` variables as Python LangChain; `mustache`: `{{name}}` as LangChain.js.' },
  { key: 'input_variables', kind: 'string-list', description: 'The variables the template declares; must match the template (memory key and partials aside).' },
  { key: 'input_key', kind: 'string', description: 'The variable that receives the user input, when the template has more than one candidate.' },
  { key: 'partial_variables', kind: 'string-map', description: 'Variables filled with fixed strings before formatting.' },
  { key: 'memory', kind: 'memory', values: ['false'], default: 'buffer memory with key `history`', description: 'ConversationBufferMemory settings, or `false` for a chain without memory.', children: memorySchema },
  { key: 'parameters', kind: 'map', description: 'Model call parameters.', children: parametersSchema },
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
