// String, number and collection literals for the generated Python and TypeScript. A template travels into
// the program as a literal whose value is the template exactly, whatever it holds: any Unicode (lone
// surrogates included), control characters, quotes, backslashes, `${`, `{`/`}` (they are the template's own
// syntax and stay as they are). Both languages get double-quoted literals, never Python f-strings, raw or
// triple-quoted strings, nor JS template literals: in a plain quoted literal only `\`, the quote and the
// escaped characters are special, so `${` and `{name}` need nothing.

/**
 * What is written as an escape rather than as itself: `\`, the quote, and what Python's `str.isprintable()`
 * calls unprintable (categories Cc, Cf, Cs, Co, Cn, Zl, Zp, and Zs other than the space), as `repr()` does.
 * Invisible or direction-changing characters stay visible in the program, and a lone surrogate (which UTF-8 cannot
 * encode) survives as its escape. `Cn` follows this Node's Unicode tables, which may be newer than a given
 * Python's: either way the value is the same, only its spelling differs.
 */
const special = /[\\"\n\r\t]|(?! )[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/gu;

/** The characters `special` finds that have a short escape (the first alternative); the rest get a code point escape. */
const shortEscapes: Readonly<Record<string, string>> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

type Language = 'python' | 'typescript';

function codePointEscape(codePoint: number, language: Language): string {
  const hex = codePoint.toString(16);
  if (codePoint < 0x100) return `\\x${hex.padStart(2, '0')}`;
  if (codePoint < 0x10000) return `\\u${hex.padStart(4, '0')}`;
  return language === 'python' ? `\\U${hex.padStart(8, '0')}` : `\\u{${hex}}`;
}

function quoted(text: string, language: Language): string {
  // One native scan: a match is one code point (a surrogate pair stays whole, a lone surrogate is its own).
  const body = text.replace(special, (character) => shortEscapes[character] ?? codePointEscape(character.codePointAt(0) ?? 0, language));
  return `"${body}"`;
}

/** A Python str literal whose value is `text` exactly. */
export function pythonString(text: string): string {
  return quoted(text, 'python');
}

/** A TypeScript string literal whose value is `text` exactly. */
export function typescriptString(text: string): string {
  return quoted(text, 'typescript');
}

/**
 * The lines of `text`, each keeping its line break: a long template is written one source line per line
 * of it, so the program reads like the file.
 */
function linePieces(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [''];
}

/**
 * `text` as a Python expression: one literal, or for several lines adjacent literals in parentheses (Python
 * joins them at compile time). `indent` is the indentation of the line the expression starts on.
 */
export function pythonText(text: string, indent = ''): string {
  const pieces = linePieces(text);
  if (pieces.length === 1) return pythonString(text);
  return `(\n${pieces.map((piece) => `${indent}    ${pythonString(piece)}`).join('\n')}\n${indent})`;
}

/** `text` as a TypeScript expression: one literal, or for several lines one literal a line joined by `+`. */
export function typescriptText(text: string, indent = ''): string {
  const pieces = linePieces(text);
  if (pieces.length === 1) return typescriptString(text);
  return pieces.map((piece, index) => (index === 0 ? typescriptString(piece) : `${indent}  ${typescriptString(piece)}`)).join(' +\n');
}

/** The values the front matter gives a parameter or a memory argument. */
export type LiteralValue = string | number | boolean | readonly string[] | Readonly<Record<string, string>>;

export function pythonValue(value: LiteralValue): string {
  if (typeof value === 'string') return pythonString(value);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return numberLiteral(value);
  if (isList(value)) return `[${value.map(pythonString).join(', ')}]`;
  return `{${Object.entries(value).map(([key, item]) => `${pythonString(key)}: ${pythonString(item)}`).join(', ')}}`;
}

export function typescriptValue(value: LiteralValue): string {
  if (typeof value === 'string') return typescriptString(value);
  if (typeof value === 'boolean' || typeof value === 'number') return typeof value === 'number' ? numberLiteral(value) : String(value);
  if (isList(value)) return `[${value.map(typescriptString).join(', ')}]`;
  const entries = Object.entries(value).map(([key, item]) => `${typescriptPropertyKey(key)}: ${typescriptString(item)}`);
  return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
}

function isList(value: LiteralValue): value is readonly string[] {
  return Array.isArray(value);
}

/**
 * JS's shortest round-trip spelling (`0.7`, `1e-7`, `256`) is a valid literal of the same value in both
 * languages; a non-finite number cannot come from YAML numbers the schema accepts.
 */
function numberLiteral(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  return Object.is(value, -0) ? '-0' : String(value);
}

/** A property name as written in an object literal: bare when it is an identifier, else quoted. */
export function typescriptPropertyKey(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : typescriptString(name);
}

const pythonKeywords = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif',
  'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or',
  'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
]);

/** Whether `name` can be a Python keyword argument as written (ASCII identifiers only: no NFKC surprises). */
export function isPythonIdentifier(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !pythonKeywords.has(name);
}
