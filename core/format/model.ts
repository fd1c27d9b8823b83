// The document model of a `.prompt` file: what `parsePrompt` returns and every other module reads.
// Pure data. Every span is a pair of UTF-16 offsets into the full file text (end exclusive), so the
// language server can turn it into an LSP range with `TextDocument.positionAt` and the CLI with a LineIndex.

export interface Span {
  readonly start: number;
  readonly end: number;
}

/** A value together with where it is written. `keySpan` is set for front-matter fields. */
export interface Located<T> {
  readonly value: T;
  readonly span: Span;
  readonly keySpan?: Span;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/**
 * A problem found while parsing: YAML syntax, front-matter schema, template syntax.
 * `code` is stable (documented in docs/diagnostics.md); `data` carries what a quick fix needs.
 */
export interface ParseProblem {
  readonly code: string;
  readonly message: string;
  readonly span: Span;
  readonly severity: Severity;
  readonly data?: Record<string, unknown>;
}

export type TemplateFormat = 'f-string' | 'mustache';
export type Api = 'chat' | 'completion';

/** A `{name}` (f-string) or `{{name}}` (mustache) reference in a template. */
export interface VariableRef {
  readonly name: string;
  /** The name itself, without braces: what rename replaces. */
  readonly nameSpan: Span;
  /** The whole reference including braces. */
  readonly span: Span;
}

/** A piece of a parsed template, in source order. Formatting concatenates them. */
export type TemplatePart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'variable'; readonly name: string }
  /** Mustache only: the template is rendered as a whole by the mustache renderer. */
  | { readonly kind: 'mustache'; readonly source: string };

export interface Template {
  readonly format: TemplateFormat;
  /** The template source exactly as LangChain receives it. */
  readonly source: string;
  /** Where `source` sits in the file (a chat message's template is a contiguous slice of lines). */
  readonly span: Span;
  readonly parts: readonly TemplatePart[];
  /** Every variable reference in source order (a name may repeat). */
  readonly variables: readonly VariableRef[];
  /** Template syntax errors; when non-empty, `parts` is best-effort and the template must not be run. */
  readonly problems: readonly ParseProblem[];
}

/** `human:`/`user:` parse to 'human'; `ai:`/`assistant:` to 'ai'. */
export type Role = 'system' | 'human' | 'ai' | 'placeholder';

export interface MessageDecl {
  readonly role: Role;
  /** The header line's text without the line break, e.g. `user:`, and its span. */
  readonly header: Located<string>;
  /** From the header's start to the end of the message's last line. */
  readonly span: Span;
  readonly template: Template;
  /** For `placeholder:` messages holding exactly one `{name}`: that variable. */
  readonly placeholder?: VariableRef;
}

export type PromptBody =
  | { readonly kind: 'completion'; readonly span: Span; readonly template: Template }
  | { readonly kind: 'chat'; readonly span: Span; readonly messages: readonly MessageDecl[] };

/** One key/value pair anywhere in the front matter, for hover, completion and symbols. */
export interface FrontMatterField {
  /** e.g. ['memory', 'key'] */
  readonly path: readonly string[];
  readonly keySpan: Span;
  readonly valueSpan: Span;
  /** The value as YAML parsed it (JS value). */
  readonly value: unknown;
}

/**
 * LangChain's memory classes: ConversationBufferMemory, ConversationBufferWindowMemory,
 * ConversationSummaryMemory, ConversationSummaryBufferMemory, ConversationTokenBufferMemory.
 */
export type MemoryType = 'buffer' | 'buffer_window' | 'summary' | 'summary_buffer' | 'token_buffer';
export type MemoryScope = 'file' | 'workspace';

/** The memory block as written; absent keys are absent here and get defaults in `resolveConfig`. */
export interface MemoryDecl {
  readonly span: Span;
  readonly type?: Located<MemoryType>;
  readonly k?: Located<number>;
  readonly key?: Located<string>;
  readonly returnMessages?: Located<boolean>;
  readonly humanPrefix?: Located<string>;
  readonly aiPrefix?: Located<string>;
  readonly scope?: Located<MemoryScope>;
  /** summary_buffer, token_buffer: LangChain's `max_token_limit`. */
  readonly maxTokenLimit?: Located<number>;
  /** summary, summary_buffer: the summarizer's template (LangChain's `prompt`, SUMMARY_PROMPT by default). */
  readonly summaryPrompt?: Located<string>;
  /** summary, summary_buffer: the model of the summary call (default: the chain's model). */
  readonly summaryModel?: Located<string>;
  /** summary, summary_buffer: the summary call's parameters (default: the chain's parameters). */
  readonly summaryParameters?: Located<ModelParameters>;
  /** The name of a shared chat history the user configured (never a URL: see core/history/attachment.ts). */
  readonly history?: Located<string>;
}

export interface ModelParameters {
  temperature?: number;
  max_tokens?: number;
  top_p?: number;
  stop?: string[];
  seed?: number;
  presence_penalty?: number;
  frequency_penalty?: number;
}

/** The typed front matter. A key whose value had the wrong type is absent here and reported in problems. */
export interface FrontMatter {
  /** From the opening `---` to the end of the closing `---` line (including its line break). */
  readonly span: Span;
  /** The YAML text between the fences. */
  readonly yamlSpan: Span;
  readonly fields: readonly FrontMatterField[];
  readonly name?: Located<string>;
  readonly description?: Located<string>;
  readonly model?: Located<string>;
  readonly api?: Located<Api>;
  readonly templateFormat?: Located<TemplateFormat>;
  readonly inputVariables?: Located<readonly Located<string>[]>;
  readonly inputKey?: Located<string>;
  /** Map of partial name -> value; each entry's keySpan is the name. */
  readonly partialVariables?: Located<readonly (Located<string> & { readonly name: string })[]>;
  /** `false` when the file says `memory: false`. */
  readonly memory?: Located<false> | MemoryDecl;
  readonly parameters?: Located<ModelParameters> & { readonly fields: readonly FrontMatterField[] };
}

export interface PromptDocument {
  readonly text: string;
  readonly frontMatter?: FrontMatter;
  readonly body: PromptBody;
  /** Every parse problem: YAML, front matter schema, body structure, template syntax (templates' too). */
  readonly problems: readonly ParseProblem[];
}
