// Contracts of the interop layer: the formats a `.prompt` file is exported to and imported from, what an
// importer hands to the one `.prompt` writer, and the one error kind both directions raise.

import type { MemoryType, ModelParameters, TemplateFormat } from '../format/model';
import type { LangChainPromptClass } from './langchainPrompt';
import { oneLine } from '../text/excerpt';

export type ExportFormat = 'langchain-json' | 'langchain-yaml' | 'python' | 'typescript';
/** `classic`: the notebook's LLMChain + memory class; `modern`: RunnableWithMessageHistory (+ trim_messages). */
export type CodeStyle = 'classic' | 'modern';
export type ImportFormat = 'langchain-json' | 'langchain-yaml' | 'prompty' | 'dotprompt' | 'continue';

export interface ExportOptions {
  /** python and typescript only; default `classic`. */
  style?: CodeStyle;
}

export interface Exported {
  /** The exported file's text. */
  text: string;
  /** One line each: what the target format cannot carry (e.g. the memory block in `langchain-json`). */
  notCarried: readonly string[];
}

/** What an importer read from another tool's file: the writer (promptFile.ts) turns it into `.prompt` text. */
export interface ImportedPrompt {
  prompt: LangChainPromptClass;
  templateFormat: TemplateFormat;
  partialVariables?: Readonly<Record<string, string>>;
  /** Written as `input_key` when the source names the input variable and the file alone would not choose it. */
  inputKey?: string;
  name?: string;
  description?: string;
  model?: string;
  parameters?: ModelParameters;
  /** undefined: no memory block is written (the defaults apply); false: `memory: false`. */
  memory?: false | ImportedMemory;
}

export interface ImportedMemory {
  key?: string;
  type?: MemoryType;
  returnMessages?: boolean;
  humanPrefix?: string;
  aiPrefix?: string;
  k?: number;
  maxTokenLimit?: number;
}

export interface Imported {
  format: ImportFormat;
  /** The `.prompt` file's text. */
  text: string;
  /** One line each: what could not be carried over (tools, output schemas, jinja2, unsupported roles...). */
  notCarried: readonly string[];
}

/**
 * A file that cannot be exported or imported, with the one line to show (made one line here, whatever
 * piece of the source it quotes); `kind` is stable (the CLI prints it, the server sends it as `data.kind`).
 */
export class InteropError extends Error {
  override readonly name = 'InteropError';
  constructor(
    readonly kind: 'unsupported-format' | 'not-exportable' | 'unrecognized-file' | 'invalid-source',
    message: string,
  ) {
    super(oneLine(message));
  }
}

/** What an importer read, before the one writer turns it into `.prompt` text. */
export interface ImportReading {
  prompt: ImportedPrompt;
  /** One line each: what the source holds that a `.prompt` file cannot carry. */
  notCarried: string[];
}

/** One source format: whether a file is one (cheap, by its content and name), and reading it. */
export interface Importer {
  readonly format: ImportFormat;
  recognizes(text: string, fileName: string): boolean;
  /** Throws InteropError('invalid-source') with a one-line reason when the file is damaged. */
  read(text: string, fileName: string): ImportReading;
}

/** The VS Code command the "Import…" quick fix of a Dotprompt/Continue file runs; argument: the file's URI string. */
export const importCommand = 'promptChain.importPrompt';
/** The VS Code command "Prompt Chain: Export…"; argument: the file's URI string (default: the active editor). */
export const exportCommand = 'promptChain.exportPrompt';
