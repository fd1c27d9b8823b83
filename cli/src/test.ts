// `prompt-chain test [PATH...] [--model M]... [--reporter R] [--output FILE] [--update] [--filter TEXT]`: runs
// the `.prompt-test.yaml` files under the paths with core's runner, a progress line per conversation on
// stderr as it finishes, then the report (stdout, or --output) and the summary. Each conversation runs in a
// memory of its own: the user's stored conversations are never read or written. Exit 1 when any assertion
// fails or a test file cannot run, 2 on usage errors, 130 when cancelled.

import { resolve } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { access } from 'node:fs/promises';
import { parseTestFile } from '../../core/testing/testFile';
import { runTests, type TestFileRun } from '../../core/testing/runTests';
import { TEST_FILE_SUFFIX, type FileFailure, type TestFileProblem, type TestRunReport } from '../../core/testing/types';
import { prettyReport, progressLine } from '../../core/testing/reporters/pretty';
import { jsonReport } from '../../core/testing/reporters/json';
import { junitReport } from '../../core/testing/reporters/junit';
import { htmlReport } from '../../core/testing/reporters/html';
import { summaryLine } from '../../core/testing/reporters/reportFacts';
import { checkTestFile } from '../../service/testing/checkTestFile';
import { testFileRunOf } from '../../service/testing/testFileRun';
import { defaultServiceSettings } from '../../service/context';
import { has, nonEmptyValueOf, numberOf, parseArgs, valueOf, valuesOf, UsageError, type ParsedArgs } from './args';
import { filesAt, readPromptFile } from './files';
import { CliError, diagnosticLine, ExitCode, type Io } from './output';
import { writeOutputFile } from './outputFile';
import { DEFAULT_TIMEOUT_SECONDS, endpointOf, openAIModel, type ModelFlags } from './run';
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
  const prepared = await prepare(files, io);
  const report = await runTests({
    files: prepared.runs,
    fileFailures: prepared.failures,
    model: openAIModel(endpoint, flags),
    models,
    update: has(args, 'update'),
    ...(valueOf(args, 'filter') !== undefined && { filter: valueOf(args, 'filter') }),
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

/** Every test file under the paths, each once; a path that is not there, or holds none, is a usage error. */
async function testFilesOf(paths: readonly string[]): Promise<string[]> {
  const found = new Map<string, string>();
  for (const path of paths) {
    const files = await filesAt(path, TEST_FILE_SUFFIX).catch((error: unknown) => {
      throw error instanceof CliError ? new CliError(error.message, ExitCode.usage) : error;
    });
    for (const file of files) if (!found.has(resolve(file))) found.set(resolve(file), file);
  }
  return [...found.values()];
}

/** Parses and checks each file with the language server's checks; one with errors cannot run and says why on stderr. */
async function prepare(files: readonly string[], io: Io): Promise<Prepared> {
  const prepared: Prepared = { runs: [], failures: [] };
  for (const file of files) {
    const text = await readPromptFile(file).catch((error: unknown) => (error instanceof CliError ? error : Promise.reject(error)));
    if (text instanceof CliError) {
      prepared.failures.push({ file, problems: [{ code: 'test-file-unreadable', message: text.message, span: { start: 0, end: 0 }, severity: 'error' }] });
      io.err(`${text.message}\n`);
      continue;
    }
    const run = await prepareFile(file, text, io);
    if ('problems' in run) prepared.failures.push(run);
    else prepared.runs.push(run);
  }
  return prepared;
}

async function prepareFile(file: string, text: string, io: Io): Promise<TestFileRun | FileFailure> {
  const path = resolve(file);
  const test = parseTestFile(text);
  const host = { readText: readPromptFile, exists: exists, settings: { ...defaultServiceSettings, host: 'cli' as const } };
  const check = await checkTestFile(test, path, host);
  const problems = [...test.problems, ...check.problems];
  for (const problem of problems) io.err(`${problemLine(file, text, problem)}\n`);
  return testFileRunOf(file, path, test, check);
}

function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** `file:line:col severity code message`, as `check` prints a prompt's problems. */
function problemLine(file: string, text: string, problem: TestFileProblem): string {
  const document = TextDocument.create('file:///test', 'yaml', 0, text);
  const start = document.positionAt(problem.span.start);
  const end = document.positionAt(problem.span.end);
  const range = { start: { line: start.line + 1, column: start.character + 1 }, end: { line: end.line + 1, column: end.character + 1 } };
  return diagnosticLine({ file, range, severity: problem.severity, code: problem.code, message: problem.message });
}

async function writeReport(report: TestRunReport, reporter: ReporterName, output: string | undefined, files: readonly string[], io: Io): Promise<void> {
  const text = reporters[reporter](report);
  if (output === undefined || output === '-') {
    io.out(text);
    if (reporter !== 'pretty') io.err(`${summaryLine(report)}\n`);
    return;
  }
  // Never over a test file; any other file is replaced, as a compiler's -o does.
  for (const source of files) if (resolve(source) === resolve(output)) throw new CliError(`${output}: is a test file being run; write the report to another file`, ExitCode.usage);
  await writeOutputFile({ path: output, source: files[0] ?? output, overwrite: true }, text);
  io.err(`${summaryLine(report)}\nreport written to ${output}\n`);
}

function exitCodeOf(report: TestRunReport): number {
  if (report.cancelled) return 130;
  return report.summary.failed > 0 || report.fileFailures.length > 0 ? ExitCode.failure : ExitCode.ok;
}
