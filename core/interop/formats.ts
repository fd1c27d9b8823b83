// The export formats as every host offers them: the CLI's `--to` values and help, the VS Code quick pick,
// the name of the file a result is saved to. Pure data, so the client can show the list without loading
// the exporters; and the name an import is saved under.

import type { CodeStyle, ExportFormat } from './types';

export interface ExportFormatInfo {
  readonly format: ExportFormat;
  /** What the format is, in the user's words (the quick pick's detail, the help text). */
  readonly description: string;
  /** The exported file's extension, without the dot. */
  readonly extension: string;
  /** python and typescript: generated code, which takes a `--style`. */
  readonly takesStyle: boolean;
}

export const exportFormats: readonly ExportFormatInfo[] = [
  { format: 'langchain-json', description: "LangChain's serialization (toJSON() / dumpd), loadable with load() / loads()", extension: 'json', takesStyle: false },
  { format: 'langchain-yaml', description: 'prompt.save() / load_prompt YAML (completion prompts only)', extension: 'yaml', takesStyle: false },
  { format: 'python', description: 'a runnable Python program for the chain (langchain, langchain_openai)', extension: 'py', takesStyle: true },
  { format: 'typescript', description: 'a runnable TypeScript program for the chain (LangChain.js)', extension: 'ts', takesStyle: true },
];

export const codeStyles: readonly { readonly style: CodeStyle; readonly description: string }[] = [
  { style: 'classic', description: "the notebook's shape: LLMChain with the memory class" },
  { style: 'modern', description: 'RunnableWithMessageHistory (and trim_messages where the memory prunes)' },
];

export function isExportFormat(value: string): value is ExportFormat {
  return exportFormats.some((info) => info.format === value);
}

export function isCodeStyle(value: string): value is CodeStyle {
  return codeStyles.some((info) => info.style === value);
}

export function exportFormatInfo(format: ExportFormat): ExportFormatInfo {
  const info = exportFormats.find((candidate) => candidate.format === format);
  if (!info) throw new Error(`no export format ${format}`);
  return info;
}

/**
 * The file an import is written to when the user names none, beside the source: `chat.prompty` ->
 * `chat.prompt`, and for another tool's `.prompt` (Dotprompt, Continue) `chat.langchain.prompt`, so the
 * source is never the target. `attempt` 2, 3... give `chat-2.prompt`... for a host that looks for a free name.
 */
export function importedFileName(sourceFileName: string, attempt = 1): string {
  const dot = sourceFileName.lastIndexOf('.');
  const hasExtension = dot > 0;
  const stem = hasExtension ? sourceFileName.slice(0, dot) : sourceFileName;
  const extension = hasExtension ? sourceFileName.slice(dot) : '';
  const base = extension === '.prompt' ? `${stem}.langchain` : stem;
  return `${base}${attempt > 1 ? `-${attempt}` : ''}.prompt`;
}
