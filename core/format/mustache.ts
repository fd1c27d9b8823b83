// Mustache templates as LangChain.js reads them: mustache.js's own parser finds the tags; a variable is
// a `{{name}}`/`{{{name}}}`/`{{&name}}`, a section `{{#x}}` or `{{^x}}`, or a partial `{{>x}}`, with a
// dotted name reduced to its first segment. Like LangChain.js, variables inside `{{#x}}` sections count
// and those inside `{{^x}}` do not. Rendering (no HTML escaping) is the chain engine's business; here the
// template is one `mustache` part.
//
// mustache.js parses the text LangChain receives (line breaks normalized), so its offsets are mapped back
// to the file through the list of removed `\r`s.

import Mustache from 'mustache';
import type { ParseProblem, Span, VariableRef } from './model';
import { ProblemCode, problem } from './problems';
import { mustacheTags, type MustacheToken } from './mustacheTags';
import type { FileOffsets } from './text';

export interface MustacheScan {
  readonly variables: VariableRef[];
  readonly problems: ParseProblem[];
}

/** LangChain.js refuses sections nested this deep (createPromptTemplateDepthError). */
const MAX_SECTION_DEPTH = 256;
const DEFAULT_TAGS: [string, string] = ['{{', '}}'];

type Token = MustacheToken;

// A private writer without a template cache: the default one would keep every version of every file
// the editor ever parsed.
const writer = new Mustache.Writer();
(writer as unknown as { templateCache: unknown }).templateCache = undefined;

// mustache.js finds the end of a tag with `tail.search(/\s*\}\}/)`: from every offset of a long run of
// whitespace the regex runs to the run's end and backtracks, so 90,000 tabs in a tag cost 9 s. The same
// offset, found in linear time: the closing tag (no regex there), then back over the whitespace before it.
// No earlier offset can match, since a tag holds no whitespace (mustache.js splits its tags on `\s+`).
// Installed only for the length of our own parse or render (synchronous, restored in `finally`), so another
// user of the shared mustache module in the process (LangChain.js in the parity tests) keeps the library's own.
interface MustacheScanner {
  tail: string;
  pos: number;
  scanUntil(re: RegExp): string;
}
const scannerPrototype = (Mustache as unknown as { Scanner: { prototype: MustacheScanner } }).Scanner.prototype;
const librarySearch = scannerPrototype.scanUntil;
const afterSpaces = new Map<string, RegExp>();

const linearScanUntil = function scanUntil(this: MustacheScanner, re: RegExp): string {
  if (!re.source.startsWith('\\s*') || re.flags !== '') return librarySearch.call(this, re);
  const source = re.source.slice(3);
  let tag = afterSpaces.get(source);
  if (!tag) afterSpaces.set(source, (tag = new RegExp(source)));
  const at = this.tail.search(tag);
  let index = at;
  while (index > 0 && /\s/.test(this.tail.charAt(index - 1))) index--;
  const match = at < 0 ? this.tail : this.tail.slice(0, index);
  this.tail = at < 0 ? '' : this.tail.slice(index);
  this.pos += match.length;
  return match;
};

/** Runs `work` (a mustache.js parse or render) with the linear-time tag scan. */
export function withLinearTagScan<T>(work: () => T): T {
  scannerPrototype.scanUntil = linearScanUntil;
  try {
    return work();
  } finally {
    scannerPrototype.scanUntil = librarySearch;
  }
}

/** `source` is the normalized template; `offsets` maps an offset in it to a file offset. */
export function scanMustache(source: string, offsets: FileOffsets): MustacheScan {
  const variables: VariableRef[] = [];
  const problems: ParseProblem[] = [];
  const mapSpan = (start: number, end: number): Span => ({ start: offsets.toFile(start), end: offsets.toFile(end) });
  let tokens: Token[];
  try {
    // One linear pass for the usual delimiters; mustache.js itself for a template that changes them.
    tokens = mustacheTags(source) ?? withLinearTagScan(() => writer.parse(source, DEFAULT_TAGS) as Token[]);
  } catch (error) {
    const { start, end } = errorSpan(source, error);
    problems.push(problem(ProblemCode.mustacheSyntax, syntaxMessage(error), mapSpan(start, end)));
    return { variables, problems };
  }
  collectVariables(source, tokens, 0, { variables, problems, mapSpan });
  return { variables, problems };
}

interface Collector {
  variables: VariableRef[];
  problems: ParseProblem[];
  mapSpan: (start: number, end: number) => Span;
}

function collectVariables(source: string, tokens: readonly Token[], depth: number, out: Collector): void {
  for (const token of tokens) {
    const [type, value, start, end, children, closeStart] = token;
    if (!isVariableTag(type)) continue;
    addReference(source, value, start, end, out);
    if (type === '#' && Array.isArray(children)) {
      if (depth + 1 >= MAX_SECTION_DEPTH) {
        out.problems.push(problem(ProblemCode.mustacheTooDeep, tooDeepMessage, out.mapSpan(start, end)));
        return;
      }
      collectVariables(source, children, depth + 1, out);
    }
    // A section's closing tag names the same variable: rename must change it too. (A partial's token has
    // a number there too, mustache.js's count of tags on its line: not a closing tag.)
    if ((type === '#' || type === '^') && typeof closeStart === 'number') addReference(source, value, closeStart, tagEnd(source, closeStart), out);
  }
}

function isVariableTag(type: string): boolean {
  return type === 'name' || type === '&' || type === '#' || type === '^' || type === '>';
}

function addReference(source: string, value: string, tagStart: number, tagEndOffset: number, out: Collector): void {
  const name = value.split('.')[0] ?? '';
  if (name === '') return; // `{{.}}`: the current item, not an input variable
  const nameStart = source.indexOf(value, tagStart);
  if (nameStart < 0 || nameStart >= tagEndOffset) return;
  out.variables.push({
    name,
    nameSpan: out.mapSpan(nameStart, nameStart + name.length),
    span: out.mapSpan(tagStart, tagEndOffset),
  });
}

function tagEnd(source: string, tagStart: number): number {
  const close = source.indexOf('}}', tagStart);
  return close < 0 ? source.length : close + 2;
}

/** mustache.js names an offset in its messages; turn it into the tag the author must fix. */
function errorSpan(source: string, error: unknown): Span {
  const message = error instanceof Error ? error.message : String(error);
  const unclosedTag = /^Unclosed tag at (\d+)/.exec(message);
  if (unclosedTag) return unclosedTagSpan(source, Number(unclosedTag[1]));
  const section = /^Un(opened|closed) section "([^]*)" at (\d+)/.exec(message);
  if (section) {
    const at = Number(section[3]);
    if (at < source.length) return { start: at, end: tagEnd(source, at) };
    return openingTagSpan(source, section[2] ?? '') ?? { start: at, end: at };
  }
  const delimiter = source.indexOf('{{=');
  if (delimiter >= 0) return { start: delimiter, end: tagEnd(source, delimiter) };
  return { start: 0, end: Math.min(2, source.length) };
}

function unclosedTagSpan(source: string, at: number): Span {
  const lastClose = source.lastIndexOf('}}', at);
  const open = source.indexOf('{{', lastClose < 0 ? 0 : lastClose + 2);
  if (open >= 0 && open <= at) return { start: open, end: open + 2 };
  const lastOpen = source.lastIndexOf('{{', at);
  return lastOpen >= 0 ? { start: lastOpen, end: lastOpen + 2 } : { start: at, end: at };
}

/** The last `{{#name}}` or `{{^name}}`, spaces allowed; scanned, not a regex (a name may be 100,000 characters). */
function openingTagSpan(source: string, name: string): Span | undefined {
  const spaces = (at: number): number => {
    while (at < source.length && /\s/.test(source.charAt(at))) at++;
    return at;
  };
  let last: Span | undefined;
  for (let open = source.indexOf('{{'); open >= 0; open = source.indexOf('{{', open + 1)) {
    let at = spaces(open + 2);
    if (source[at] !== '#' && source[at] !== '^') continue;
    at = spaces(at + 1);
    if (!source.startsWith(name, at)) continue;
    at = spaces(at + name.length);
    if (source.startsWith('}}', at)) last = { start: open, end: at + 2 };
  }
  return last;
}

function syntaxMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const reason = message.replace(/ at \d+$/, '');
  return `Mustache syntax error: ${reason}. LangChain.js cannot parse this template.`;
}

const tooDeepMessage = `Sections are nested ${MAX_SECTION_DEPTH} deep: LangChain.js refuses templates nested this deeply.`;
