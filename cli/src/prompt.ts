// A .prompt file as every command sees it: read safely, parsed once, its configuration resolved, and
// its problems in the CLI's 1-based form.

import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { createContext, defaultServiceSettings, type PromptContext } from '../../service/context';
import { validate } from '../../service/diagnostics';
import { readPromptFile } from './files';
import type { FileDiagnostic, SeverityName } from './output';

export async function loadPrompt(file: string, defaultModel = defaultServiceSettings.defaultModel): Promise<PromptContext> {
  const text = await readPromptFile(file);
  const document = TextDocument.create(pathToFileURL(resolve(file)).href, 'prompt', 1, text);
  return createContext(document, { ...defaultServiceSettings, defaultModel, host: 'cli' });
}

export function problemsOf(file: string, ctx: PromptContext): FileDiagnostic[] {
  // The service reports parse problems before rule findings; people read a file top to bottom.
  return validate(ctx)
    .map((diagnostic) => toFileDiagnostic(file, diagnostic))
    .sort(byPosition);
}

/** Top to bottom, as a file is read. */
export function byPosition(a: FileDiagnostic, b: FileDiagnostic): number {
  return a.range.start.line - b.range.start.line || a.range.start.column - b.range.start.column;
}

export function toFileDiagnostic(file: string, d: Diagnostic): FileDiagnostic {
  return {
    file,
    range: {
      start: { line: d.range.start.line + 1, column: d.range.start.character + 1 },
      end: { line: d.range.end.line + 1, column: d.range.end.character + 1 },
    },
    severity: severityName(d.severity),
    code: d.code === undefined ? '' : String(d.code),
    message: typeof d.message === 'string' ? d.message : d.message.value,
  };
}

function severityName(severity: DiagnosticSeverity | undefined): SeverityName {
  switch (severity) {
    case DiagnosticSeverity.Warning:
      return 'warning';
    case DiagnosticSeverity.Information:
      return 'information';
    case DiagnosticSeverity.Hint:
      return 'hint';
    default:
      return 'error';
  }
}
