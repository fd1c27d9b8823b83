// `prompt-chain check [--json] PATH...`: the language server's diagnostics of `.prompt` and
// `.prompt-test.yaml` files, from a terminal or CI. Problems go to stdout (lines or one JSON array),
// unreadable paths and the summary to stderr.

import { resolve } from 'node:path';
import { has, parseArgs, UsageError } from './args';
import { isTestFilePath } from '../../core/testing/testPaths';
import { TEST_FILE_SUFFIX } from '../../core/testing/types';
import { filesAt } from './files';
import { checkSummary, CliError, diagnosticLine, ExitCode, json, plural, type FileDiagnostic, type Io } from './output';
import { loadPrompt, problemsOf } from './prompt';
import { loadTestFile } from './testFile';
import { commandUsage } from './usage';

interface CheckOutcome {
  diagnostics: FileDiagnostic[];
  filesChecked: number;
  /** Paths or files that could not be checked at all (each already reported on stderr). */
  unreadable: number;
}

export async function checkCommand(argv: string[], io: Io): Promise<number> {
  const args = parseArgs(argv, [{ name: 'json' }, { name: 'help', short: 'h' }]);
  if (has(args, 'help')) {
    io.out(`${commandUsage.check}\n`);
    return ExitCode.ok;
  }
  if (args.positionals.length === 0) throw new UsageError('check needs at least one file or folder');
  const asJson = has(args, 'json');
  const printLine = (d: FileDiagnostic) => io.out(`${diagnosticLine(d)}\n`);
  const outcome = await checkPaths(args.positionals, io, asJson ? () => undefined : printLine);
  if (asJson) io.out(json(outcome.diagnostics));
  if (outcome.filesChecked > 0) io.err(`${summary(outcome)}\n`);
  const failed = outcome.unreadable > 0 || outcome.diagnostics.some((d) => d.severity === 'error');
  return failed ? ExitCode.failure : ExitCode.ok;
}

async function checkPaths(paths: string[], io: Io, report: (d: FileDiagnostic) => void): Promise<CheckOutcome> {
  const outcome: CheckOutcome = { diagnostics: [], filesChecked: 0, unreadable: 0 };
  const seen = new Set<string>();
  for (const path of paths) {
    const files = await orReport(io, outcome, () => filesAt(path, ['.prompt', TEST_FILE_SUFFIX]));
    for (const file of files ?? []) {
      if (seen.has(resolve(file))) continue;
      seen.add(resolve(file));
      const problems = await orReport(io, outcome, () => problemsAt(file));
      if (!problems) continue;
      outcome.filesChecked++;
      outcome.diagnostics.push(...problems);
      problems.forEach(report);
    }
  }
  return outcome;
}

/** A test file is checked as the language server checks it, against its prompt; any other file as a prompt. */
async function problemsAt(file: string): Promise<readonly FileDiagnostic[]> {
  if (isTestFilePath(file)) return (await loadTestFile(file)).diagnostics;
  return problemsOf(file, await loadPrompt(file));
}

/** Runs one step; a CliError (missing, binary, huge file...) is one line on stderr and the check goes on. */
async function orReport<T>(io: Io, outcome: CheckOutcome, step: () => Promise<T>): Promise<T | undefined> {
  try {
    return await step();
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    io.err(`${error.message}\n`);
    outcome.unreadable++;
    return undefined;
  }
}

function summary(outcome: CheckOutcome): string {
  const unreadable = outcome.unreadable > 0 ? `; ${plural(outcome.unreadable, 'path')} could not be read` : '';
  return `${checkSummary(outcome.filesChecked, outcome.diagnostics)}${unreadable}`;
}
