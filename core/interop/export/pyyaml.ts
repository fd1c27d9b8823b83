// PyYAML's `yaml.dump(data, default_flow_style=False)` for the documents `prompt.save()` writes: a mapping
// of null, booleans, strings, lists of strings and maps of strings, keys sorted by the caller. Byte for byte
// what PyYAML's Emitter writes (pyyaml lib/yaml/emitter.py, with its defaults: width 80, indent 2,
// allow_unicode False): each string in the style `choose_scalar_style` picks (plain when the YAML 1.1
// resolvers would read it back as the same string, else single-quoted, else double-quoted with escapes),
// folded where the emitter folds, sequences unindented under their key, empty collections in flow style.

import { pythonOrder } from '../langchainPrompt';

export type PyYamlValue = null | boolean | string | readonly string[] | Readonly<Record<string, string>>;

const BEST_WIDTH = 80;
const BEST_INDENT = 2;
const LINE_BREAKS = '\n\u0085\u2028\u2029';
const WHITESPACE = '\0 \t\r\n\u0085\u2028\u2029';

interface Analysis {
  empty: boolean;
  multiline: boolean;
  allowBlockPlain: boolean;
  allowSingleQuoted: boolean;
}

/** Thrown for a key PyYAML would write as a complex `? key` (empty, multi-line, 128 characters or more). */
export class NotSimpleKeyError extends Error {}

/** The text PyYAML writes for the mapping, in the order given. */
export function pyyamlDump(mapping: ReadonlyArray<readonly [string, PyYamlValue]>): string {
  const emitter = new Emitter();
  for (const [key, value] of mapping) {
    emitter.writeIndent(0);
    emitter.writeKey(key, 0);
    emitter.writeValue(value, 0);
  }
  emitter.writeIndent(0);
  return emitter.output;
}

class Emitter {
  output = '';
  private column = 0;
  private whitespace = true;
  private indention = true;
  /** The indent of the node being written (PyYAML's `self.indent`). */
  private indent = 0;

  writeKey(key: string, mappingIndent: number): void {
    const analysis = analyzeScalar(key);
    if (analysis.empty || analysis.multiline || [...key].length >= 128) throw new NotSimpleKeyError(key);
    this.writeScalar(key, analysis, mappingIndent + BEST_INDENT, true);
    this.writeIndicator(':', false);
  }

  writeValue(value: PyYamlValue, mappingIndent: number): void {
    if (value === null) return this.writePlainWord('null', mappingIndent);
    if (typeof value === 'boolean') return this.writePlainWord(value ? 'true' : 'false', mappingIndent);
    if (typeof value === 'string') return this.writeScalar(value, analyzeScalar(value), mappingIndent + BEST_INDENT, false);
    if (isList(value)) return this.writeList(value, mappingIndent);
    return this.writeMap(value, mappingIndent);
  }

  /** A sequence under a mapping key is indentless: its `- ` items sit at the key's own indent. */
  private writeList(items: readonly string[], mappingIndent: number): void {
    if (items.length === 0) return this.writeEmptyFlow('[', ']');
    for (const item of items) {
      this.writeIndent(mappingIndent);
      this.writeIndicator('-', true, false, true);
      this.writeScalar(item, analyzeScalar(item), mappingIndent + BEST_INDENT, false);
    }
  }

  private writeMap(map: Readonly<Record<string, string>>, mappingIndent: number): void {
    // sort_keys=True: by code point, as Python sorts str.
    const keys = Object.keys(map).sort(pythonOrder);
    if (keys.length === 0) return this.writeEmptyFlow('{', '}');
    const indent = mappingIndent + BEST_INDENT;
    for (const key of keys) {
      this.writeIndent(indent);
      this.writeKey(key, indent);
      this.writeScalar(map[key] ?? '', analyzeScalar(map[key] ?? ''), indent + BEST_INDENT, false);
    }
  }

  private writeEmptyFlow(open: string, close: string): void {
    this.writeIndicator(open, true, true);
    this.writeIndicator(close, false);
  }

  private writePlainWord(word: string, mappingIndent: number): void {
    this.indent = mappingIndent + BEST_INDENT;
    this.writePlain([...word], true);
  }

  private writeScalar(text: string, analysis: Analysis, indent: number, simpleKey: boolean): void {
    this.indent = indent;
    const characters = [...text];
    const split = !simpleKey;
    const plain = !(simpleKey && (analysis.empty || analysis.multiline)) && analysis.allowBlockPlain && resolvesToString(text);
    if (plain) this.writePlain(characters, split);
    else if (analysis.allowSingleQuoted && !(simpleKey && analysis.multiline)) this.writeSingleQuoted(characters, split);
    else this.writeDoubleQuoted(characters, split);
  }

  writeIndent(indent: number): void {
    this.indent = indent;
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.writeLineBreak();
    if (this.column < indent) {
      this.whitespace = true;
      this.write(' '.repeat(indent - this.column));
    }
  }

  private writeLineBreak(): void {
    this.whitespace = true;
    this.indention = true;
    this.output += '\n';
    this.column = 0;
  }

  private writeIndicator(indicator: string, needWhitespace: boolean, whitespace = false, indention = false): void {
    const data = this.whitespace || !needWhitespace ? indicator : ` ${indicator}`;
    this.whitespace = whitespace;
    this.indention = this.indention && indention;
    this.write(data);
  }

  private write(data: string): void {
    this.output += data;
    this.column += [...data].length;
  }

  private writePlain(text: readonly string[], split: boolean): void {
    if (text.length === 0) return;
    if (!this.whitespace) this.write(' ');
    this.whitespace = false;
    this.indention = false;
    let spaces = false;
    let start = 0;
    for (let end = 0; end <= text.length; end++) {
      const ch = text[end];
      if (spaces) {
        if (ch !== ' ') {
          if (start + 1 === end && this.column > BEST_WIDTH && split) {
            this.writeIndent(this.indent);
            this.whitespace = false;
            this.indention = false;
          } else {
            this.write(text.slice(start, end).join(''));
          }
          start = end;
        }
      } else if (ch === undefined || ch === ' ') {
        this.write(text.slice(start, end).join(''));
        start = end;
      }
      if (ch !== undefined) spaces = ch === ' ';
    }
  }

  private writeSingleQuoted(text: readonly string[], split: boolean): void {
    this.writeIndicator("'", true);
    let spaces = false;
    let breaks = false;
    let start = 0;
    for (let end = 0; end <= text.length; end++) {
      const ch = text[end];
      if (spaces) {
        if (ch !== ' ') {
          if (start + 1 === end && this.column > BEST_WIDTH && split && start !== 0 && end !== text.length) this.writeIndent(this.indent);
          else this.write(text.slice(start, end).join(''));
          start = end;
        }
      } else if (breaks) {
        if (ch === undefined || !LINE_BREAKS.includes(ch)) {
          if (text[start] === '\n') this.writeLineBreak();
          // Only `\n` can reach here: any other break is a special character, written double-quoted.
          for (let index = start; index < end; index++) this.writeLineBreak();
          this.writeIndent(this.indent);
          start = end;
        }
      } else if (ch === undefined || ch === ' ' || LINE_BREAKS.includes(ch) || ch === "'") {
        if (start < end) {
          this.write(text.slice(start, end).join(''));
          start = end;
        }
      }
      if (ch === "'") {
        this.write("''");
        start = end + 1;
      }
      if (ch !== undefined) {
        spaces = ch === ' ';
        breaks = LINE_BREAKS.includes(ch);
      }
    }
    this.writeIndicator("'", false);
  }

  private writeDoubleQuoted(text: readonly string[], split: boolean): void {
    this.writeIndicator('"', true);
    let start = 0;
    for (let end = 0; end <= text.length; end++) {
      const ch = text[end];
      if (ch === undefined || '"\\\u0085\u2028\u2029\ufeff'.includes(ch) || !isPrintableAscii(ch)) {
        if (start < end) {
          this.write(text.slice(start, end).join(''));
          start = end;
        }
        if (ch !== undefined) {
          this.write(escapeOf(ch));
          start = end + 1;
        }
      }
      if (end > 0 && end < text.length - 1 && (ch === ' ' || start >= end) && this.column + (end - start) > BEST_WIDTH && split) {
        const data = `${text.slice(start, end).join('')}\\`;
        if (start < end) start = end;
        this.write(data);
        this.writeIndent(this.indent);
        this.whitespace = false;
        this.indention = false;
        if (text[start] === ' ') this.write('\\');
      }
    }
    this.writeIndicator('"', false);
  }
}

const escapes: Readonly<Record<string, string>> = {
  '\0': '0',
  '\u0007': 'a',
  '\b': 'b',
  '\t': 't',
  '\n': 'n',
  '\u000b': 'v',
  '\f': 'f',
  '\r': 'r',
  '\u001b': 'e',
  '"': '"',
  '\\': '\\',
  '\u0085': 'N',
  '\u00a0': '_',
  '\u2028': 'L',
  '\u2029': 'P',
};

function escapeOf(ch: string): string {
  const short = escapes[ch];
  if (short !== undefined) return `\\${short}`;
  const code = ch.codePointAt(0) ?? 0;
  const hex = code.toString(16).toUpperCase();
  if (code <= 0xff) return `\\x${hex.padStart(2, '0')}`;
  if (code <= 0xffff) return `\\u${hex.padStart(4, '0')}`;
  return `\\U${hex.padStart(8, '0')}`;
}

function isPrintableAscii(ch: string): boolean {
  return ch >= ' ' && ch <= '~';
}

/** Emitter.analyze_scalar, reduced to what the block-context style choice reads. */
function analyzeScalar(scalar: string): Analysis {
  const text = [...scalar];
  if (text.length === 0) return { empty: true, multiline: false, allowBlockPlain: true, allowSingleQuoted: true };
  let blockIndicators = scalar.startsWith('---') || scalar.startsWith('...');
  let lineBreaks = false;
  let specialCharacters = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let precededByWhitespace = true;
  let followedByWhitespace = text.length === 1 || WHITESPACE.includes(text[1] ?? '');
  let previousSpace = false;
  let previousBreak = false;
  text.forEach((ch, index) => {
    if (index === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) blockIndicators = true;
      if ('?:'.includes(ch) && followedByWhitespace) blockIndicators = true;
      if (ch === '-' && followedByWhitespace) blockIndicators = true;
    } else {
      if (ch === ':' && followedByWhitespace) blockIndicators = true;
      if (ch === '#' && precededByWhitespace) blockIndicators = true;
    }
    if (LINE_BREAKS.includes(ch)) lineBreaks = true;
    // allow_unicode is False: every character outside printable ASCII (but `\n`) is special.
    if (!(ch === '\n' || isPrintableAscii(ch))) specialCharacters = true;
    if (ch === ' ') {
      if (index === 0) leadingSpace = true;
      if (index === text.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (LINE_BREAKS.includes(ch)) {
      if (index === 0) leadingBreak = true;
      if (index === text.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = WHITESPACE.includes(ch);
    followedByWhitespace = index + 2 >= text.length || WHITESPACE.includes(text[index + 2] ?? '');
  });
  let allowBlockPlain = !(leadingSpace || leadingBreak || trailingSpace || trailingBreak);
  let allowSingleQuoted = !breakSpace;
  if (spaceBreak || specialCharacters) allowBlockPlain = allowSingleQuoted = false;
  if (lineBreaks || blockIndicators) allowBlockPlain = false;
  return { empty: false, multiline: lineBreaks, allowBlockPlain, allowSingleQuoted };
}

// PyYAML's YAML 1.1 implicit resolvers (resolver.py): a plain scalar matching one is not read as a string.
const implicitResolvers: readonly RegExp[] = [
  /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/,
  /^(?:<<)$/,
  /^(?:~|null|Null|NULL|)$/,
  /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/,
  /^(?:=)$/,
];

/** The serializer's `implicit[0]`: the value, written plain, resolves to a str (also how PyYAML reads it). */
export function resolvesToString(value: string): boolean {
  return !implicitResolvers.some((resolver) => resolver.test(value));
}

function isList(value: readonly string[] | Readonly<Record<string, string>>): value is readonly string[] {
  return Array.isArray(value);
}
