// `prompt-chain import FILE [-o OUT.prompt] [--force] [--from FORMAT]`: another tool's prompt as a
// `.prompt` file (core/interop/importFile.ts recognizes and converts it). Without -o it is written beside
// FILE under the name core decides (`chat.prompty` -> `chat.prompt`, a Dotprompt `chat.prompt` ->
// `chat.langchain.prompt`); `-o -` prints it instead. An existing file is replaced only with --force. On
// stderr: what was written, what could not be carried over, then the new file checked as `check` does;
// exit 1 when it has errors (it is written all the same, so they can be fixed in it).

import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { importedFileName } from '../../core/interop/formats';
import { importFile, importFormats, isImportFormat } from '../../core/interop/importFile';
import type { Imported, ImportFormat } from '../../core/interop/types';
import { createContext, defaultServiceSettings } from '../../service/context';
import { has, nonEmptyValueOf, parseArgs, UsageError, type ParsedArgs } from './args';
import { onlyFile } from './export';
import { readPromptFile } from './files';
import { checkSummary, diagnosticLine, ExitCode, type Io } from './output';
import { notCarriedLines, writeOutputFile } from './outputFile';
import { problemsOf } from './prompt';
import { commandUsage } from './usage';

const importFlags = [
  { name: 'output', short: 'o', value: true },
  { name: 'force' },
  { name: 'from', value: true },
  { name: 'help', short: 'h' },
];

export async function importCommand(argv: string[], io: Io): Promise<number> {
  const args = parseArgs(argv, importFlags);
  if (has(args, 'help')) {
    io.out(`${commandUsage.import}\n`);
    return ExitCode.ok;
  }
  const file = onlyFile(args, 'import');
  const format = fromFormat(args);
  const output = nonEmptyValueOf(args, 'output', 'a file name (or - for stdout)') ?? join(dirname(file), importedFileName(basename(file)));
  const imported = importFile(await readPromptFile(file), basename(file), format === undefined ? {} : { format });
  const toStdout = output === '-';
  if (toStdout) io.out(imported.text);
  else await writeOutputFile({ path: output, source: file, overwrite: has(args, 'force') }, imported.text);
  if (!toStdout) io.err(`${file}: imported as ${imported.format} to ${output}\n`);
  io.err(notCarriedLines(imported.notCarried));
  return reportChecked(toStdout ? '-' : output, imported, io);
}

function fromFormat(args: ParsedArgs): ImportFormat | undefined {
  const format = nonEmptyValueOf(args, 'from', 'a format');
  if (format !== undefined && !isImportFormat(format)) throw new UsageError(`--from needs one of ${importFormats.join(', ')}, got "${format}"`);
  return format;
}

/** The new file checked by the language service, as `prompt-chain check` would print it (exit 1 on errors). */
function reportChecked(output: string, imported: Imported, io: Io): number {
  const uri = pathToFileURL(resolve(output === '-' ? 'imported.prompt' : output)).href;
  const ctx = createContext(TextDocument.create(uri, 'prompt', 1, imported.text), { ...defaultServiceSettings, host: 'cli' });
  const problems = problemsOf(output, ctx);
  for (const problem of problems) io.err(`${diagnosticLine(problem)}\n`);
  io.err(`${checkSummary(1, problems)}\n`);
  return problems.some((problem) => problem.severity === 'error') ? ExitCode.failure : ExitCode.ok;
}
