// Entry of the `prompt-chain` bin: dispatches to one command and turns every failure into one line on
// stderr and an exit code (0 ok, 1 failure, 2 usage). Stack traces are for bugs only, and even those
// are reported as one line asking to report them. Everything printed goes through terminalIo, shown
// terminal-safe.

import packageJson from '../../package.json';
import { ChainError } from '../../core/chain/errors';
import { MemoryStoreError } from '../../core/memory/store';
import { ModelError, isCancelled } from '../../core/model/errors';
import { InteropError } from '../../core/interop/types';
import { HistoryStoreError } from '../../core/history/types';
import { parseArgs, has, UsageError } from './args';
import { checkCommand } from './check';
import { exportCommand } from './export';
import { importCommand } from './import';
import { memoryCommand } from './memory';
import { modelsCommand } from './models';
import { CliError, ExitCode, terminalIo, type Io, type ProcessIo } from './output';
import { runCommand } from './run';
import { testCommand } from './test';
import { mainUsage } from './usage';

const commands: Record<string, (argv: string[], io: Io) => Promise<number>> = {
  check: checkCommand,
  run: runCommand,
  test: testCommand,
  memory: memoryCommand,
  models: modelsCommand,
  export: exportCommand,
  import: importCommand,
};

export async function main(argv: string[], streams: ProcessIo): Promise<number> {
  const io = terminalIo(streams);
  try {
    return await dispatch(argv, io);
  } catch (error) {
    return reportFailure(error, io);
  }
}

async function dispatch(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  const command = name === undefined ? undefined : commands[name];
  if (command) return command(rest, io);
  if (name !== undefined && !name.startsWith('-') && name !== 'help') throw new UsageError(`unknown command "${name}"`);
  const args = parseArgs(argv, [{ name: 'help', short: 'h' }, { name: 'version' }]);
  if (has(args, 'version')) {
    io.out(`${packageJson.version}\n`);
    return ExitCode.ok;
  }
  if (name === undefined) {
    io.err(`${mainUsage}\n`);
    return ExitCode.usage;
  }
  io.out(`${mainUsage}\n`);
  return ExitCode.ok;
}

function reportFailure(error: unknown, io: Io): number {
  if (error instanceof UsageError) {
    io.err(`prompt-chain: ${error.message} (see "prompt-chain --help")\n`);
    return ExitCode.usage;
  }
  if (isCancelled(error)) {
    io.err('cancelled; nothing was saved to memory\n');
    return 130;
  }
  if (error instanceof ChainError) {
    io.err(`${[error.message, error.hint].filter(Boolean).join(' ')}\n`);
    return ExitCode.failure;
  }
  if (error instanceof CliError || error instanceof ModelError || error instanceof MemoryStoreError || error instanceof InteropError || error instanceof HistoryStoreError) {
    io.err(`${error.message}\n`);
    return error instanceof CliError ? error.exitCode : ExitCode.failure;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.err(`internal error: ${message} (this is a bug in prompt-chain; please report it with the command you ran)\n`);
  return ExitCode.failure;
}

function processIo(signal: AbortSignal): ProcessIo {
  return {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
    stderrIsTTY: process.stderr.isTTY === true,
    signal,
  };
}

function start(): void {
  const abort = new AbortController();
  // The first Ctrl-C cancels the turn (memory untouched); a second one leaves at once.
  process.on('SIGINT', () => (abort.signal.aborted ? process.exit(130) : abort.abort()));
  // `prompt-chain run ... | head -1` closes stdout early; that is not an error worth a trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  main(process.argv.slice(2), processIo(abort.signal)).then(
    (code) => (process.exitCode = code),
    () => (process.exitCode = ExitCode.failure),
  );
}

if (require.main === module) start();
