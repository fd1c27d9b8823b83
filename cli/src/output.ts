// What the CLI prints and how it ends: the terminal streams, the errors that end a command with one
// line and an exit code, and the text/JSON shapes of diagnostics.

/** The process edges a command may touch; main wires them to the real process. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** stderr is a terminal (the verbose trace may use colour). */
  stderrIsTTY: boolean;
  /** Aborted on Ctrl-C, so a running turn is cancelled and memory left as it was. */
  signal: AbortSignal;
}

export const ExitCode = { ok: 0, failure: 1, usage: 2 } as const;

/** A failure the user can act on: printed as its message alone, exit code 1. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number = ExitCode.failure,
  ) {
    super(message);
  }
}

export type SeverityName = 'error' | 'warning' | 'information' | 'hint';

/** One problem in one file, positions 1-based as editors and compilers print them. */
export interface FileDiagnostic {
  file: string;
  range: { start: { line: number; column: number }; end: { line: number; column: number } };
  severity: SeverityName;
  code: string;
  message: string;
}

/** `file:line:col severity code message`, one line whatever the message holds. */
export function diagnosticLine(d: FileDiagnostic): string {
  const message = d.message.replace(/\s*\n\s*/g, ' ');
  return `${d.file}:${d.range.start.line}:${d.range.start.column} ${d.severity} ${d.code} ${message}`;
}

/** "2 files checked: 1 error, 0 warnings" */
export function checkSummary(fileCount: number, diagnostics: readonly FileDiagnostic[]): string {
  const count = (severity: SeverityName) => diagnostics.filter((d) => d.severity === severity).length;
  return `${plural(fileCount, 'file')} checked: ${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}`;
}

export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
