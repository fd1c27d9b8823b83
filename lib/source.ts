// A `.prompt` file as both library entries take it: a path, read by the reader every host shares, or its text;
// parsed and configured once by the language service with the CLI's defaults, so the library, `prompt-chain`
// and the editor see the same file the same way.

import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createContext, defaultServiceSettings, type PromptContext } from '../service/context';
import { readPromptFile } from '../core/files/readPromptFile';
import { ChainError, fileHasErrorsError } from '../core/chain/errors';
import { problemsOf } from '../cli/src/prompt';
import { diagnosticLine, type FileDiagnostic } from '../cli/src/output';
import { otherToolRefusal } from '../core/interop/otherTools';

/** A file's path, or its text (named by `path` in diagnostics and conversations when given). */
export type PromptSource = string | { readonly text: string; readonly path?: string };

/** What the file leaves out, as the CLI's defaults fill it in. */
export interface EngineOptions {
  /** Model of a chat prompt that names none. Default `gpt-4o-mini`. */
  defaultModel?: string;
  /** Model of a completion prompt that names none. Default `gpt-3.5-turbo-instruct`. */
  defaultCompletionModel?: string;
  /** Memory key of a memory block that names none. Default `history` (LangChain's). */
  defaultMemoryKey?: string;
}

export interface LoadedSource {
  /** How diagnostics and errors name it: the path as given, else `<text>`. */
  name: string;
  /** The file's path, when there is one. */
  path?: string;
  context: PromptContext;
}

export async function loadSource(source: PromptSource, options: EngineOptions = {}): Promise<LoadedSource> {
  const path = typeof source === 'string' ? source : source.path;
  const text = typeof source === 'string' ? await readPromptFile(source) : source.text;
  // An untitled URI for text without a path: nothing is read from or stored for it.
  const uri = path === undefined ? 'untitled:text.prompt' : pathToFileURL(resolve(path)).href;
  const settings = {
    ...defaultServiceSettings,
    defaultModel: options.defaultModel ?? defaultServiceSettings.defaultModel,
    defaultCompletionModel: options.defaultCompletionModel ?? defaultServiceSettings.defaultCompletionModel,
    defaultMemoryKey: options.defaultMemoryKey ?? defaultServiceSettings.defaultMemoryKey,
    host: 'cli' as const,
  };
  const context = createContext(TextDocument.create(uri, 'prompt', 1, text), settings);
  return path === undefined ? { name: '<text>', context } : { name: path, path, context };
}

/** A file with error diagnostics, refused before anything is sent (as `run` refuses it); they are in `diagnostics`. */
export class PromptHasErrorsError extends ChainError {
  constructor(
    message: string,
    readonly diagnostics: readonly FileDiagnostic[],
  ) {
    super('invalid-prompt', message);
  }
}

/** The diagnostics `prompt-chain check` reports for it: the CLI's own, 1-based and sorted. */
export function diagnosticsOf(loaded: LoadedSource): FileDiagnostic[] {
  return problemsOf(loaded.name, loaded.context);
}

/** The source, refused with its error diagnostics when it has any: a file `run` would not run. */
export async function loadRunnableSource(source: PromptSource, options: EngineOptions = {}): Promise<LoadedSource> {
  const loaded = await loadSource(source, options);
  const otherTool = otherToolRefusal(loaded.context.prompt.text, loaded.name, `\`prompt-chain import ${loaded.name}\``);
  if (otherTool !== undefined) throw new PromptHasErrorsError(otherTool, []);
  const errors = diagnosticsOf(loaded).filter((d) => d.severity === 'error');
  const [first] = errors;
  // The refusal in core's words, and the first problem as `check` prints it: a program's log says what to fix.
  if (first) throw new PromptHasErrorsError(`${fileHasErrorsError(loaded.name, errors.length).message}: ${diagnosticLine(first)}`, errors);
  return loaded;
}
