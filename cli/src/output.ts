// What the CLI prints and how it ends: the terminal streams, the errors that end a command with one
// line and an exit code, and the text/JSON shapes of diagnostics.

import { displaySafe, displaySafeJson } from '../../core/text/displaySafe';

/** The process edges main is given: main wires them to the real process, tests to strings. Written as is. */
export interface ProcessIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** stderr is a terminal (the verbose trace may use colour). */
  stderrIsTTY: boolean;
  /** Aborted on Ctrl-C, so a running turn is cancelled and memory left as it was. */
  signal: AbortSignal;
}

declare const styledBrand: unique symbol;
/** Text made by `styled`: its content is escaped, its colour codes are this program's own. */
export type StyledText = string & { readonly [styledBrand]: true };

/**
 * What a command writes through. Whatever it prints, a reply, a stored turn, a file's text, a server's
 * error, is shown terminal-safe (core/text/displaySafe): no command can forget, since this is the only way
 * out. Our own colour codes take the one explicit raw path, `errStyled`.
 */
export interface Io extends ProcessIo {
  /** Human text to stdout, control characters escaped. */
  out(text: string): void;
  /** Human text to stderr, control characters escaped. */
  err(text: string): void;
  /** Styled text to stderr as is. */
  errStyled(text: StyledText): void;
}

export function terminalIo(streams: ProcessIo): Io {
  return {
    ...streams,
    out: (text) => streams.out(displaySafe(text)),
    err: (text) => streams.err(displaySafe(text)),
    errStyled: (text) => streams.err(text),
  };
}

/** The one way to colour output: `render` gets the escaper and must pass every piece of content through it. */
export function styled(render: (safe: (content: string) => string) => string): StyledText {
  return render(displaySafe) as StyledText;
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

/** Pretty JSON that parses back to exactly `value` and shows as plain text on a terminal (U+0080–U+009F escaped too). */
export function json(value: unknown): string {
  return `${displaySafeJson(value)}\n`;
}
