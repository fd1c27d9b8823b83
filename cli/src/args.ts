// A small command-line parser: `--flag value`, `--flag=value`, boolean `--flag`, repeatable flags and
// positionals, with `--` ending the flags. Anything it does not know is a UsageError (exit code 2).

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface FlagSpec {
  name: string;
  /** Takes a value (`--model gpt-4o`); otherwise a switch (`--json`). */
  value?: boolean;
  /** May be given more than once (`--var a=1 --var b=2`). */
  repeatable?: boolean;
  /** A one-letter alias, e.g. `h` for `--help`. */
  short?: string;
}

export interface ParsedArgs {
  positionals: string[];
  /** Switches map to `[]`, value flags to their values in order. */
  flags: Map<string, string[]>;
}

export function parseArgs(argv: readonly string[], specs: readonly FlagSpec[]): ParsedArgs {
  const parsed: ParsedArgs = { positionals: [], flags: new Map() };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      parsed.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      parsed.positionals.push(arg);
      continue;
    }
    const { spec, inlineValue } = findSpec(arg, specs);
    const value = spec.value ? (inlineValue ?? takeValue(argv, ++i, arg)) : noValue(spec, inlineValue);
    addFlag(parsed, spec, value);
  }
  return parsed;
}

export function has(args: ParsedArgs, name: string): boolean {
  return args.flags.has(name);
}

/** The value of a single-valued flag, if given. */
export function valueOf(args: ParsedArgs, name: string): string | undefined {
  return args.flags.get(name)?.[0];
}

export function valuesOf(args: ParsedArgs, name: string): string[] {
  return args.flags.get(name) ?? [];
}

/** The value of a flag that names something: `--model ""` is a slip of the shell, not a choice. */
export function nonEmptyValueOf(args: ParsedArgs, name: string, what: string): string | undefined {
  const value = valueOf(args, name);
  if (value !== undefined && value.trim() === '') throw new UsageError(`--${name} needs ${what}, got an empty value`);
  return value;
}

export interface NumberRange {
  /** What the number counts, for the message: "a number of seconds". */
  what: string;
  min: number;
  max: number;
  /** Decimals such as 0.5 are allowed; otherwise digits only. */
  fractions?: boolean;
}

/** The value of a numeric flag, plain decimal digits within `range`, else a UsageError saying which are allowed. */
export function numberOf(args: ParsedArgs, name: string, range: NumberRange): number | undefined {
  const text = valueOf(args, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  const written = range.fractions ? /^\d+(\.\d+)?$/ : /^\d+$/;
  if (!written.test(text) || value < range.min || value > range.max) {
    throw new UsageError(`--${name} needs ${range.what} from ${range.min} to ${range.max}, got "${text}"`);
  }
  return value;
}

function findSpec(arg: string, specs: readonly FlagSpec[]): { spec: FlagSpec; inlineValue?: string } {
  const equals = arg.indexOf('=');
  const flag = equals > 0 ? arg.slice(0, equals) : arg;
  const inlineValue = equals > 0 ? arg.slice(equals + 1) : undefined;
  const spec = flag.startsWith('--')
    ? specs.find((s) => `--${s.name}` === flag)
    : specs.find((s) => s.short !== undefined && `-${s.short}` === flag);
  if (!spec) throw new UsageError(`unknown option ${flag}`);
  return { spec, inlineValue };
}

function takeValue(argv: readonly string[], index: number, flag: string): string {
  const value = argv[index];
  if (value === undefined) throw new UsageError(`${flag} needs a value`);
  return value;
}

function noValue(spec: FlagSpec, inlineValue: string | undefined): undefined {
  if (inlineValue !== undefined) throw new UsageError(`--${spec.name} takes no value`);
  return undefined;
}

function addFlag(parsed: ParsedArgs, spec: FlagSpec, value: string | undefined): void {
  const values = parsed.flags.get(spec.name);
  if (values && !spec.repeatable) throw new UsageError(`--${spec.name} given more than once`);
  parsed.flags.set(spec.name, value === undefined ? (values ?? []) : [...(values ?? []), value]);
}
