// `regex:` patterns are written as Python's `re` reads them (the prompts are LangChain's), run by JavaScript's
// RegExp. The parts that differ in spelling are translated: a leading inline flag group (`(?i)`, `(?ims)`)
// becomes the flags, `(?P<name>…)` and `(?P=name)` become `(?<name>…)` and `\k<name>`. What JavaScript
// cannot do (verbose `(?x)`, locale `(?L)`) is refused with a reason rather than matched differently.
// The one decider for the parser's check and the runner's match.

export type CompiledPattern = { readonly regex: RegExp } | { readonly error: string };

const inlineFlags = /^\(\?([aiLmsux]+)\)/;

export function compilePattern(pattern: string): CompiledPattern {
  const leading = inlineFlags.exec(pattern);
  const flags = leading?.[1] ?? '';
  if (flags.includes('x')) return { error: 'verbose patterns `(?x)` are not supported; write the pattern without spaces and comments' };
  if (flags.includes('L')) return { error: 'locale patterns `(?L)` are not supported' };
  const body = pattern.slice(leading?.[0].length ?? 0).replace(/\(\?P</g, '(?<').replace(/\(\?P=(\w+)\)/g, '\\k<$1>');
  // `a` (ASCII classes) is what JavaScript's \w and \d do already; `u` is Python 3's default.
  const jsFlags = [...new Set(flags.replace(/[au]/g, ''))].join('');
  try {
    return { regex: new RegExp(body, jsFlags) };
  } catch (error) {
    return { error: error instanceof Error ? error.message.replace(/^Invalid regular expression: /, '') : String(error) };
  }
}
