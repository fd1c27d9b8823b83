// `.prompt` text -> another tool's file: the one dispatcher every host calls (the CLI's `export`, the
// server's exportFile command). It refuses a broken file exactly as a turn does, resolves the
// configuration with the host's defaults, asks langChainPromptOf for the LangChain description (the one
// decider), and hands it to the format's exporter, which only spells it.

import { resolveConfig } from '../chain/config';
import { assertMemoryRunnable } from '../chain/memoryClasses';
import { assertRunnable } from '../chain/prepare';
import type { ChainDefaults } from '../chain/types';
import { parsePrompt } from '../format/parse';
import { exportLangChainJson } from './export/langchainJson';
import { exportLangChainYaml } from './export/langchainYaml';
import { exportPython } from './export/python';
import { exportTypeScript } from './export/typescript';
import { exportFormatInfo, exportFormats, isExportFormat } from './formats';
import { langChainPromptOf, type LangChainPrompt } from './langchainPrompt';
import { otherToolNames, otherToolOf } from './otherTools';
import { InteropError, type CodeStyle, type ExportFormat, type ExportOptions, type Exported } from './types';

type Exporter = (description: LangChainPrompt, style: CodeStyle) => Exported;

const exporters: Readonly<Record<ExportFormat, Exporter>> = {
  'langchain-json': (description) => exportLangChainJson(description),
  'langchain-yaml': (description) => exportLangChainYaml(description),
  python: (description, style) => exportPython(description, style),
  typescript: (description, style) => exportTypeScript(description, style),
};

/**
 * The file `path` (named in messages) exported to `format`. Throws InteropError('unsupported-format') for a
 * format or style there is not, the engine's ChainError for a file a turn would refuse, and the exporter's
 * InteropError('not-exportable') for what the format cannot hold (a chat prompt as `langchain-yaml`).
 */
export function exportPrompt(text: string, path: string, format: ExportFormat, options: ExportOptions, defaults: ChainDefaults): Exported {
  // Checked before the file: a wrong command line is said as such whatever the file holds.
  const style = exportStyle(format, options);
  refuseOtherToolFile(text, path);
  const doc = parsePrompt(text);
  assertRunnable(doc);
  const config = resolveConfig(doc, defaults);
  assertMemoryRunnable(config.memory);
  try {
    return exporters[format](langChainPromptOf(doc, config), style);
  } catch (error) {
    throw error instanceof InteropError ? new InteropError(error.kind, `${path}: ${error.message}`) : error;
  }
}

/** Another tool's `.prompt` shows no errors (Prompt Chain leaves it alone), yet its template is not ours to export. */
function refuseOtherToolFile(text: string, path: string): void {
  const tool = otherToolOf(text);
  if (tool === undefined) return;
  const next = tool === 'dotprompt' ? 'import it first (prompt-chain import, or Prompt Chain: Import…), then export the new file' : 'Prompt Chain does not export it';
  throw new InteropError('not-exportable', `${path} is a ${otherToolNames[tool]} file, not a Prompt Chain prompt: ${next}`);
}

/**
 * The code style an export uses, or InteropError('unsupported-format') for a format or style there is not
 * (hosts check their command line with it before reading the file).
 */
export function exportStyle(format: ExportFormat, options: ExportOptions): CodeStyle {
  // The format may come from JSON (the server's argument) or a script: checked, not trusted to the type.
  if (!isExportFormat(format)) {
    const known = exportFormats.map((info) => info.format).join(', ');
    throw new InteropError('unsupported-format', `cannot export to "${String(format)}": the formats are ${known}`);
  }
  if (options.style !== undefined && !exportFormatInfo(format).takesStyle) {
    throw new InteropError('unsupported-format', `a style (${options.style}) is for generated code (python, typescript), not for ${format}`);
  }
  if (options.style !== undefined && options.style !== 'classic' && options.style !== 'modern') {
    throw new InteropError('unsupported-format', `no code style "${String(options.style)}": the styles are classic and modern`);
  }
  return options.style ?? 'classic';
}
