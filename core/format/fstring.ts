// f-string templates as Python LangChain reads them (string.Formatter().parse): `{name}` is a variable,
// `{{` and `}}` are literal braces. Everything LangChain rejects, or accepts but means something else
// by (attribute access, conversions, format specs, positional fields), is a positioned problem.
//
// One left-to-right pass over the template source (line breaks already normalized, see template.ts);
// spans are mapped back to the file through `offsets`. A field never spans a line break: Python would
// swallow the text up to the next `}` as one variable name, which is never what the author meant, so we
// report the `{` instead.

import type { ParseProblem, Span, TemplatePart, VariableRef } from './model';
import { ProblemCode, problem } from './problems';
import { FileOffsets } from './text';
import { keepShape } from '../shapes';

export interface FStringScan {
  readonly parts: TemplatePart[];
  readonly variables: VariableRef[];
  readonly problems: ParseProblem[];
}

const LINE_FEED = 10; // the only line break in a normalized source
const OPEN = 123; // {
const CLOSE = 125; // }
const COLON = 58;
const BANG = 33;
const LEFT_BRACKET = 91;
const RIGHT_BRACKET = 93;

/** Where a field ends, or how it failed. */
type FieldScan =
  | { readonly ok: true; readonly nameEnd: number; readonly close: number; readonly terminator: number }
  | { readonly ok: false; readonly resumeAt: number };

/** `source` is the normalized template; `offsets` maps an offset in it to a file offset. */
export function scanFString(source: string, offsets: FileOffsets): FStringScan {
  const scanner = new FStringScanner(source, offsets);
  scanner.run();
  return { parts: scanner.parts, variables: scanner.variables, problems: scanner.problems };
}

class FStringScanner {
  readonly parts: TemplatePart[] = [];
  readonly variables: VariableRef[] = [];
  readonly problems: ParseProblem[] = [];
  /** One part per variable name, shared by its references (parts are read-only): a name used 40,000 times is one object. */
  private readonly variableParts = new Map<string, TemplatePart>();
  /** Literal text since the last variable (V8 concatenation is a rope: cheap). */
  private literal = '';
  private readonly end: number;
  /** Memo for `[` lookups so a line full of `{[` stays linear: the next `]` at or after `from`. */
  private bracketMemo = { from: -1, at: -1, lineEnd: -1 };
  /** Cached positions of the next `{` and `}` (-1: none left; -2: not looked up yet). */
  private nextOpen = -2;
  private nextClose = -2;

  constructor(
    private readonly text: string,
    private readonly offsets: FileOffsets,
  ) {
    this.end = text.length;
  }

  run(): void {
    let literalStart = 0;
    let i = 0;
    while (i < this.end) {
      i = this.nextBrace(i);
      if (i >= this.end) break;
      const code = this.text.charCodeAt(i);
      if (this.text.charCodeAt(i + 1) === code) {
        this.pushLiteral(literalStart, i + 1); // `{{` -> `{`, `}}` -> `}`
        i += 2;
        literalStart = i;
        continue;
      }
      if (code === CLOSE) {
        this.report(ProblemCode.fstringSingleCloseBrace, singleCloseMessage, { start: i, end: i + 1 });
        i++;
        continue;
      }
      this.pushLiteral(literalStart, i);
      literalStart = i;
      const next = this.field(i);
      if (next === undefined) {
        i++; // the `{` stays in the literal text
        continue;
      }
      i = next;
      literalStart = i;
    }
    this.pushLiteral(literalStart, this.end);
    this.flushLiteral();
  }

  /** Handles the field opened at `open`; returns where scanning resumes, undefined to treat `{` as text. */
  private field(open: number): number | undefined {
    const plainClose = this.plainFieldClose(open);
    if (plainClose >= 0) {
      this.addVariable(this.text.slice(open + 1, plainClose), open, plainClose + 1);
      return plainClose + 1;
    }
    const scan = this.scanField(open);
    if (!scan.ok) {
      this.report(ProblemCode.fstringUnclosedBrace, unclosedMessage, { start: open, end: open + 1 });
      return scan.resumeAt === open + 1 ? undefined : this.skipAsLiteral(open, scan.resumeAt);
    }
    const span = { start: open, end: scan.close + 1 };
    const name = this.text.slice(open + 1, scan.nameEnd);
    const nameProblem = checkFieldName(name, scan.terminator);
    if (nameProblem) {
      this.report(nameProblem.code, nameProblem.message, span, { name });
      this.pushLiteral(open, span.end);
      return span.end;
    }
    if (scan.terminator === BANG) this.report(ProblemCode.fstringConversion, conversionMessage(name), span, { name });
    if (scan.terminator === COLON) this.report(ProblemCode.fstringFormatSpec, formatSpecMessage(name), span, { name });
    this.addVariable(name, open, span.end, scan.nameEnd);
    return span.end;
  }

  /**
   * The `}` of a field that is an ASCII identifier and nothing else (`{human_input}`: nearly every field),
   * found without the general scan; -1 for any other field, which the general scan reads.
   */
  private plainFieldClose(open: number): number {
    let i = open + 1;
    if (i >= this.end || !isAsciiNameStart(this.text.charCodeAt(i))) return -1;
    for (i++; i < this.end; i++) {
      const code = this.text.charCodeAt(i);
      if (!isAsciiNameStart(code) && !isAsciiDigit(code)) break;
    }
    return i < this.end && this.text.charCodeAt(i) === CLOSE ? i : -1;
  }

  private skipAsLiteral(from: number, to: number): number {
    // The rest of a broken field is kept as text so `parts` still covers the whole source.
    this.pushLiteral(from, to);
    return to;
  }

  /** Python's field-name scan: up to `}`, `:` or `!`; `[` skips to `]`; a nested `{` is an error. */
  private scanField(open: number): FieldScan {
    let i = open + 1;
    let skippedBracket = false;
    while (i < this.end) {
      const code = this.text.charCodeAt(i);
      if (code === CLOSE || code === COLON || code === BANG) {
        return code === CLOSE ? { ok: true, nameEnd: i, close: i, terminator: CLOSE } : this.scanSpec(i, code);
      }
      if (code === OPEN) return { ok: false, resumeAt: skippedBracket ? this.lineEnd(i) : i };
      if (code === LINE_FEED) return { ok: false, resumeAt: skippedBracket ? i : open + 1 };
      if (code === LEFT_BRACKET) {
        const close = this.nextRightBracket(i + 1);
        if (close < 0) return { ok: false, resumeAt: this.lineEnd(i) };
        skippedBracket = true;
        i = close;
      }
      i++;
    }
    return { ok: false, resumeAt: skippedBracket ? this.end : open + 1 };
  }

  /** After `:` or `!`: Python counts nested braces up to the matching `}`. */
  private scanSpec(nameEnd: number, terminator: number): FieldScan {
    let depth = 1;
    for (let i = nameEnd + 1; i < this.end; i++) {
      const code = this.text.charCodeAt(i);
      if (code === LINE_FEED) return { ok: false, resumeAt: i };
      if (code === OPEN) depth++;
      else if (code === CLOSE && --depth === 0) return { ok: true, nameEnd, close: i, terminator };
    }
    return { ok: false, resumeAt: this.end };
  }

  private nextRightBracket(from: number): number {
    const memo = this.bracketMemo;
    if (memo.from >= 0 && from >= memo.from && from <= (memo.at < 0 ? memo.lineEnd : memo.at)) return memo.at;
    const lineEnd = this.lineEnd(from);
    let at = -1;
    for (let i = from; i < lineEnd; i++) {
      if (this.text.charCodeAt(i) === RIGHT_BRACKET) {
        at = i;
        break;
      }
    }
    this.bracketMemo = { from, at, lineEnd };
    return at;
  }

  /** The next `{` or `}` at or after `from` (or `end`); indexOf is far faster than a char loop. */
  private nextBrace(from: number): number {
    if (this.nextOpen !== -1 && this.nextOpen < from) this.nextOpen = this.text.indexOf('{', from);
    if (this.nextClose !== -1 && this.nextClose < from) this.nextClose = this.text.indexOf('}', from);
    const open = this.nextOpen < 0 ? this.end : this.nextOpen;
    const close = this.nextClose < 0 ? this.end : this.nextClose;
    return Math.min(open, close, this.end);
  }

  private lineEnd(offset: number): number {
    const lineFeed = this.text.indexOf('\n', offset);
    return lineFeed < 0 ? this.end : lineFeed;
  }

  /** The field [start, end) (braces included) names `name`, which ends at `nameEnd` (default: before the `}`). */
  private addVariable(name: string, start: number, end: number, nameEnd = end - 1): void {
    this.flushLiteral();
    let part = this.variableParts.get(name);
    if (!part) this.variableParts.set(name, (part = { kind: 'variable', name }));
    this.parts.push(part);
    const { offsets } = this;
    this.variables.push(new FieldRef(name, offsets.toFile(start), offsets.toFile(start + 1), offsets.toFile(nameEnd), offsets.toFile(end)));
  }

  private pushLiteral(from: number, to: number): void {
    if (to > from) this.literal += this.text.slice(from, to);
  }

  private flushLiteral(): void {
    if (this.literal === '') return;
    this.parts.push({ kind: 'text', text: this.literal });
    this.literal = '';
  }

  private report(code: ProblemCode, message: string, span: Span, data?: Record<string, unknown>): void {
    this.problems.push(problem(code, message, this.fileSpan(span), 'error', data));
  }

  private fileSpan(span: Span): Span {
    return { start: this.offsets.toFile(span.start), end: this.offsets.toFile(span.end) };
  }
}

/**
 * A reference kept as its four offsets, its spans made when asked for: a template of 40,000 fields holds
 * 40,000 of these rather than three objects each (the parse of a big template was mostly allocation, and
 * past the young generation's size it grew faster than the template).
 */
class FieldRef implements VariableRef {
  constructor(
    readonly name: string,
    private readonly start: number,
    private readonly nameStart: number,
    private readonly nameEnd: number,
    private readonly end: number,
  ) {}

  get nameSpan(): Span {
    return { start: this.nameStart, end: this.nameEnd };
  }

  get span(): Span {
    return { start: this.start, end: this.end };
  }

  /** Serialized as the plain reference it stands for. */
  toJSON(): VariableRef {
    return { name: this.name, nameSpan: this.nameSpan, span: this.span };
  }
}

// A template of thousands of fields is scanned in one call: its loop is optimized code that must survive
// the garbage collection between two keystrokes (../shapes.ts).
keepShape(new FStringScanner('', FileOffsets.from(0)));
keepShape(new FieldRef('', 0, 0, 0, 0));

function checkFieldName(name: string, terminator: number): { code: ProblemCode; message: string } | undefined {
  if (isPlainIdentifier(name)) return undefined; // the common case, without regular expressions
  if (name === '') {
    return {
      code: ProblemCode.fstringEmptyField,
      message: terminator === CLOSE
        ? "Empty field '{}': LangChain reads it as a positional argument and cannot fill it. Name the variable, e.g. '{input}', or write '{{}}' for literal braces."
        : "Field without a name: LangChain reads it as a positional argument and cannot fill it. Name the variable, e.g. '{input}'.",
    };
  }
  if (/^\p{Nd}+$/u.test(name)) {
    return {
      code: ProblemCode.fstringPositionalField,
      message: `'{${name}}' is a positional field: LangChain rejects variable names that are all digits. Use a name such as '{input${name}}'.`,
    };
  }
  if (/[.[\]]/.test(name)) {
    return {
      code: ProblemCode.fstringFieldAccess,
      message: `'{${name}}' uses attribute or index access, which LangChain rejects. Use a plain variable name, e.g. '{${name.split(/[.[\]]/)[0] || 'input'}}', or '{{' '}}' for literal braces.`,
    };
  }
  return undefined;
}

/** ASCII letters, digits and `_`, not all digits: always a valid variable name. */
function isPlainIdentifier(name: string): boolean {
  let sawNonDigit = false;
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    const isDigit = isAsciiDigit(code);
    if (!isDigit && !isAsciiNameStart(code)) return false;
    sawNonDigit ||= !isDigit;
  }
  return sawNonDigit;
}

const singleCloseMessage = "Single '}' in the template: LangChain rejects it. Write '}}' for a literal brace.";
const unclosedMessage = "'{' is not closed on its line: LangChain rejects it or reads the text up to the next '}' as one variable name. Close it with '}' or write '{{' for a literal brace.";

function conversionMessage(name: string): string {
  return `'!' conversions are not supported: LangChain.js cannot read them and Python applies repr/str to the value. Write '{${name}}'.`;
}

function formatSpecMessage(name: string): string {
  return `Format specs are not supported: LangChain.js cannot read them and Python applies them to the value. Write '{${name}}'.`;
}

/** A–Z, a–z or `_`. */
function isAsciiNameStart(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

/** 0–9. */
function isAsciiDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}
