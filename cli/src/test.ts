// `prompt-chain test [PATH...] [--model M]... [--reporter R] [--output FILE] [--update] [--filter TEXT]`: runs
// the `.prompt-test.yaml` files under the paths with core's runner, a progress line per conversation on
// stderr as it finishes, then the report (stdout, or --output) and the summary. Each conversation runs in a
// memory of its own: the user's stored conversations are never read or written. Exit 1 when any assertion
// fails or a test file cannot run, 2 on usage errors, 130 when cancelled.

import { matchesFilter, runTests, type TestFileRun } from '../../core/testing/runTests';
import type { FileFailure, TestRunReport } from '../../core/testing/types';
import { prettyReport, progressLine } from '../../core/testing/reporters/pretty';
import { jsonReport } from '../../core/testing/reporters/json';
import { junitReport } from '../../core/testing/reporters/junit';
import { htmlReport } from '../../core/testing/reporters/html';
import { summaryLine } from '../../core/testing/reporters/reportFacts';
import { testFileRunOf } from '../../service/testing/testFileRun';
import { has, nonEmptyValueOf, numberOf, parseArgs, valueOf, valuesOf, UsageError, type ParsedArgs } from './args';
import { CliError, diagnosticLine, ExitCode, type Io } from './output';
import { writeOutputFile } from './outputFile';
import { refuseReportOverInputs, runInputsOf, testFileInput } from './reportOutput';
import { DEFAULT_TIMEOUT_SECONDS, endpointOf, turnModel, type ModelFlags } from './run';
import { testFilesOf } from './testDiscovery';
import { loadTestFile, type CheckedTestFile } from './testFile';
import { commandUsage } from './usage';
import { defaultMaxReplyChars } from '../../core/model/limits';

const testFlags = [
  { name: 'model', value: true, repeatable: true },
  { name: 'reporter', value: true },
  { name: 'output', short: 'o', value: true },
  { name: 'update' },
  { name: 'filter', value: true },
  { name: 'base-url', value: true },
  { name: 'timeout', value: true },
  { name: 'concurrency', value: true },
  { name: 'help', short: 'h' },
];

const reporters = { pretty: prettyReport, json: jsonReport, junit: junitReport, html: htmlReport } as const;
type ReporterName = keyof typeof reporters;

interface Prepared {
  readonly runs: TestFileRun[];
  readonly failures: FileFailure[];
}

export async function testCommand(argv: string[], io: Io): Promise<number> {
  const args = parseArgs(argv, testFlags);
  if (has(args, 'help')) {
    io.out(`${commandUsage.test}\n`);
    return ExitCode.ok;
  }
  const reporter = reporterOf(args);
  const output = nonEmptyValueOf(args, 'output', 'a file name');
  const models = modelsOf(args);
  const flags = modelFlagsOf(args);
  const concurrency = numberOf(args, 'concurrency', { what: 'a number of conversations', min: 1, max: 64 });
  const endpoint = endpointOf(flags, io);
  if (endpoint.problem?.kind === 'bad-url') throw new UsageError(endpoint.problem.message);
  const files = await testFilesOf(args.positionals.length > 0 ? args.positionals : ['.']);
  const filter = valueOf(args, 'filter');
  const prepared = prepare(await loadRunnable(files, filter, output), io);
  const report = await runTests({
    files: prepared.runs,
    fileFailures: prepared.failures,
    model: turnModel(endpoint, flags, io, flags.model),
    models,
    update: has(args, 'update'),
    ...(filter !== undefined && { filter }),
    ...(concurrency !== undefined && { concurrency }),
    signal: io.signal,
    onEvent: (event) => {
      if (event.type === 'conversation-finished') io.err(`${progressLine(event.outcome)}\n`);
    },
  });
  await writeReport(report, reporter, output, files, io);
  return exitCodeOf(report);
}

function reporterOf(args: ParsedArgs): ReporterName {
  const name = valueOf(args, 'reporter') ?? 'pretty';
  if (!Object.hasOwn(reporters, name)) throw new UsageError(`--reporter needs one of ${Object.keys(reporters).join(', ')}, got "${name}"`);
  return name as ReporterName;
}

function modelsOf(args: ParsedArgs): string[] {
  const models = valuesOf(args, 'model');
  if (models.some((model) => model.trim() === '')) throw new UsageError('--model needs a model name, got an empty value');
  return [...new Set(models)];
}

function modelFlagsOf(args: ParsedArgs): ModelFlags {
  const timeoutSeconds = numberOf(args, 'timeout', { what: 'a number of seconds', min: 0.001, max: 86_400, fractions: true });
  return { baseUrl: nonEmptyValueOf(args, 'base-url', 'a URL'), timeoutSeconds: timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS, maxReplyChars: defaultMaxReplyChars };
}

/** Each file read, parsed and checked; one that cannot be read is a failure that says why. */
async function loadAll(files: readonly string[]): Promise<(CheckedTestFile | FileFailure)[]> {
  const loaded: (CheckedTestFile | FileFailure)[] = [];
  for (const file of files) {
    loaded.push(
      await loadTestFile(file).catch((error: unknown) => {
        if (!(error instanceof CliError)) throw error;
        return { file, problems: [{ code: 'test-file-unreadable' as const, message: error.message, span: { start: 0, end: 0 }, severity: 'error' as const }] };
      }),
    );
  }
  return loaded;
}

/** The files loaded and checked, and every usage error they make found: all before any model is asked. */
async function loadRunnable(files: readonly string[], filter: string | undefined, output: string | undefined): Promise<(CheckedTestFile | FileFailure)[]> {
  const loaded = await loadAll(files);
  if (filter !== undefined) requireFilterMatch(filter, loaded);
  const inputs = loaded.flatMap((file) => (isLoaded(file) ? runInputsOf(file) : [testFileInput(file.file)]));
  if (output !== undefined && output !== '-') await refuseReportOverInputs(output, inputs);
  return loaded;
}

function isLoaded(loaded: CheckedTestFile | FileFailure): loaded is CheckedTestFile {
  return 'test' in loaded;
}

/** A filter that selects nothing is a mistyped name: said before any model is asked, with the names there are. */
function requireFilterMatch(filter: string, loaded: readonly (CheckedTestFile | FileFailure)[]): void {
  const conversations = loaded.filter(isLoaded).flatMap((file) => file.test.conversations);
  if (conversations.some((conversation) => matchesFilter(conversation, filter))) return;
  const names = [...new Set(conversations.map((conversation) => JSON.stringify(conversation.name)))];
  const shown = names.slice(0, FILTER_NAMES_SHOWN).join(', ');
  const more = names.length > FILTER_NAMES_SHOWN ? ` and ${names.length - FILTER_NAMES_SHOWN} more` : '';
  throw new UsageError(`--filter ${JSON.stringify(filter)} matches no conversation; ${names.length === 0 ? 'the test files hold none' : `the conversations are ${shown}${more}`}`);
}

const FILTER_NAMES_SHOWN = 5;

/** Prints each file's problems (as `check` does) and each unreadable file's line on stderr; a file with errors cannot run. */
function prepare(loaded: readonly (CheckedTestFile | FileFailure)[], io: Io): Prepared {
  const prepared: Prepared = { runs: [], failures: [] };
  for (const file of loaded) {
    if (!isLoaded(file)) {
      for (const problem of file.problems) io.err(`${problem.message}\n`);
      prepared.failures.push(file);
      continue;
    }
    for (const diagnostic of file.diagnostics) io.err(`${diagnosticLine(diagnostic)}\n`);
    const run = testFileRunOf(file.file, file.path, file.test, file.check);
    if ('problems' in run) prepared.failures.push(run);
    else prepared.runs.push(run);
  }
  return prepared;
}

async function writeReport(report: TestRunReport, reporter: ReporterName, output: string | undefined, files: readonly string[], io: Io): Promise<void> {
  const text = reporters[reporter](report);
  if (output === undefined || output === '-') {
    io.out(text);
    if (reporter !== 'pretty') io.err(`${summaryLine(report)}\n`);
    return;
  }
  // The run's own files were refused before it started; any other file is replaced, as a compiler's -o does.
  await writeOutputFile({ path: output, source: files[0] ?? output, overwrite: true }, text);
  io.err(`${summaryLine(report)}\nreport written to ${output}\n`);
}

function exitCodeOf(report: TestRunReport): number {
  if (report.cancelled) return 130;
  return report.summary.failed > 0 || report.fileFailures.length > 0 ? ExitCode.failure : ExitCode.ok;
}
