// `prompt-chain export FILE --to FORMAT [-o OUT] [--style classic|modern]`: the file as another tool's
// (core/interop/exportPrompt.ts decides everything), printed to stdout (terminal-safe) or written to OUT
// byte for byte. What the format cannot hold goes to stderr, one line each; a file with errors is refused
// as `run` refuses it, with the problems listed first.

import { exportPrompt, exportStyle } from '../../core/interop/exportPrompt';
import { exportFormats, isCodeStyle, isExportFormat } from '../../core/interop/formats';
import { InteropError, type ExportFormat, type ExportOptions } from '../../core/interop/types';
import { fileHasErrorsError } from '../../core/chain/errors';
import { chainDefaults, type PromptContext } from '../../service/context';
import { has, nonEmptyValueOf, parseArgs, UsageError, type ParsedArgs } from './args';
import { diagnosticLine, ExitCode, type Io } from './output';
import { notCarriedLines, writeOutputFile } from './outputFile';
import { loadPrompt, problemsOf } from './prompt';
import { commandUsage } from './usage';

const exportFlags = [
  { name: 'to', value: true },
  { name: 'output', short: 'o', value: true },
  { name: 'style', value: true },
  { name: 'help', short: 'h' },
];

export async function exportCommand(argv: string[], io: Io): Promise<number> {
  const args = parseArgs(argv, exportFlags);
  if (has(args, 'help')) {
    io.out(`${commandUsage.export}\n`);
    return ExitCode.ok;
  }
  const file = onlyFile(args, 'export');
  const format = formatOf(args);
  const options = optionsOf(args, format);
  const output = nonEmptyValueOf(args, 'output', 'a file name (or - for stdout)');
  const ctx = await loadPrompt(file);
  refuseErrors(file, ctx, io);
  const exported = exportPrompt(ctx.prompt.text, file, format, options, chainDefaults(ctx.settings));
  if (output === undefined || output === '-') io.out(exported.text);
  else await writeOutputFile({ path: output, source: file, overwrite: true }, exported.text);
  io.err(notCarriedLines(exported.notCarried));
  return ExitCode.ok;
}

export function onlyFile(args: ParsedArgs, command: string): string {
  const [file, ...extra] = args.positionals;
  if (file === undefined) throw new UsageError(`${command} needs a FILE`);
  if (extra.length > 0) throw new UsageError(`${command} takes one FILE; unexpected "${extra[0]}"`);
  return file;
}

function formatOf(args: ParsedArgs): ExportFormat {
  const known = exportFormats.map((info) => info.format).join(', ');
  const format = nonEmptyValueOf(args, 'to', 'a format');
  if (format === undefined) throw new UsageError(`export needs --to FORMAT (${known})`);
  if (!isExportFormat(format)) throw new UsageError(`--to needs one of ${known}, got "${format}"`);
  return format;
}

/** Checked before the file is read: a wrong command line is said as such, whatever the file holds. */
function optionsOf(args: ParsedArgs, format: ExportFormat): ExportOptions {
  const style = nonEmptyValueOf(args, 'style', 'classic or modern');
  if (style !== undefined && !isCodeStyle(style)) throw new UsageError(`--style needs classic or modern, got "${style}"`);
  const options: ExportOptions = style === undefined ? {} : { style };
  try {
    exportStyle(format, options);
  } catch (error) {
    throw error instanceof InteropError ? new UsageError(`--style: ${error.message}`) : error;
  }
  return options;
}

/** A file with errors would not export what the author means: list them all, as `check` would, then refuse. */
function refuseErrors(file: string, ctx: PromptContext, io: Io): void {
  const errors = problemsOf(file, ctx).filter((d) => d.severity === 'error');
  if (errors.length === 0) return;
  for (const error of errors) io.err(`${diagnosticLine(error)}\n`);
  throw fileHasErrorsError(file, errors.length, 'exporting');
}
