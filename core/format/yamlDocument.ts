// The YAML library, guarded against nesting. yaml's composer recurses once per nested collection and runs
// out of stack somewhere near a thousand levels (fewer under a deep caller such as the language server),
// and stringifying a deep document is super-linear. Its CST parser keeps its own stack, so the text is
// parsed to the CST first, the nesting measured there without recursion, and only a front matter within
// the limit is composed into a Document (from the same tokens: the text is lexed once).

import { Composer, Lexer, Parser, type CST, type Document } from 'yaml';

/** Deeper than any settings block needs, and far from where yaml's recursion fails. */
export const MAX_YAML_DEPTH = 100;

/**
 * Syntax errors after which the YAML is not read further. A front matter of settings has a few; tens of
 * thousands (stray brackets, a template pasted above the closing fence) cost yaml seconds to report and
 * say nothing more than the first ones.
 */
export const MAX_YAML_ERRORS = 1000;

export type YamlParse =
  | { readonly kind: 'document'; readonly doc: Document }
  /** `offset` (in the YAML text) is where the collection that passes the limit starts. */
  | { readonly kind: 'too-deep'; readonly offset: number }
  /** `offset` (in the YAML text) is where the error past MAX_YAML_ERRORS starts. */
  | { readonly kind: 'too-many-errors'; readonly offset: number };

export function parseYaml(source: string): YamlParse {
  // yaml makes an Error per problem it reports, and a stack trace is most of an Error's cost: a front
  // matter of 60,000 stray brackets spent seconds on traces nobody reads. Off only around yaml's work.
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return parseWithoutTraces(source);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

function parseWithoutTraces(source: string): YamlParse {
  const tokens: CST.Token[] = [];
  const errors = { count: 0, first: 0 };
  // Lexed and parsed one lexeme at a time: stopping at the budget or the depth limit leaves the rest unread.
  const parser = new Parser();
  const take = (produced: Iterable<CST.Token>): boolean => {
    for (const token of produced) {
      if (token.type === 'error' && countError(errors, token.offset) > MAX_YAML_ERRORS) return false;
      tokens.push(token);
    }
    return true;
  };
  for (const lexeme of new Lexer().lex(source)) {
    if (!take(parser.next(lexeme))) return { kind: 'too-many-errors', offset: errors.first };
    const deep = tooDeepOnStack(parser.stack);
    if (deep !== undefined) return { kind: 'too-deep', offset: deep };
    const strays = strayTokensOnTop(parser.stack);
    if (strays !== undefined) return { kind: 'too-many-errors', offset: errors.count > 0 ? Math.min(errors.first, strays) : strays };
  }
  if (!take(parser.end())) return { kind: 'too-many-errors', offset: errors.first };
  const deep = firstTooDeep(tokens, errors);
  if (deep !== undefined) return { kind: 'too-deep', offset: deep };
  if (errors.count > MAX_YAML_ERRORS) return { kind: 'too-many-errors', offset: errors.first };
  // uniqueKeys off: yaml's own check is quadratic in the number of keys; the reader reports duplicates.
  const composer = new Composer({ prettyErrors: false, uniqueKeys: false, logLevel: 'silent' });
  // counted apart from the CST's errors: yaml reports those again as it composes
  const composed = { count: 0, first: 0 };
  stopAtErrorBudget(composer, composed);
  try {
    // Like parseDocument: the first document (compose forces one for an empty text); a later one is ignored.
    for (const doc of composer.compose(tokens, true, source.length)) return { kind: 'document', doc };
  } catch (error) {
    if (error instanceof OverBudget) return { kind: 'too-many-errors', offset: composed.first };
    throw error;
  }
  throw new Error('yaml composed no document');
}

class OverBudget {}

interface ComposerErrors {
  onError: (source: unknown, code: string, message: string, warning?: boolean) => void;
  readonly errors: readonly { readonly pos: readonly [number, number] }[];
}

/**
 * The composer reports through its `onError`, which it hands to each document as it composes it: wrapped,
 * it stops composing past MAX_YAML_ERRORS errors (counted with those found in the CST) instead of making
 * tens of thousands of them.
 */
function stopAtErrorBudget(composer: Composer, errors: { count: number; first: number }): void {
  const reporting = composer as unknown as ComposerErrors;
  const report = reporting.onError;
  reporting.onError = (source, code, message, warning) => {
    report(source, code, message, warning);
    if (warning) return;
    const at = reporting.errors[reporting.errors.length - 1]?.pos[0] ?? 0;
    if (countError(errors, at) > MAX_YAML_ERRORS) throw new OverBudget();
  };
}

/** Counts one syntax error at `offset`, keeping the earliest; returns the count. */
function countError(errors: { count: number; first: number }, offset: number): number {
  errors.first = errors.count === 0 ? offset : Math.min(errors.first, offset);
  return ++errors.count;
}

/**
 * The parser's stack holds the collections being built, outermost first: once more than MAX_YAML_DEPTH are
 * open, the one past the limit is where the front matter nests too deep — found as it is opened, so a
 * run of 100,000 `[` costs what its first hundred do (yaml's parser spends microseconds on each).
 */
function tooDeepOnStack(stack: readonly CST.Token[]): number | undefined {
  // the document and a scalar being read sit on the stack too
  if (stack.length <= MAX_YAML_DEPTH + 1) return undefined;
  let depth = 0;
  for (const token of stack) if ('items' in token && ++depth > MAX_YAML_DEPTH) return token.offset;
  return undefined;
}

/**
 * yaml keeps the tokens it cannot place after a scalar or a collection in that token's `end`, one growing
 * list (`key: x{{{{…`, a line of 60,000 `{`), and reports each only as it composes: once that list holds
 * more than MAX_YAML_ERRORS of them, the parse stops at the first instead of parsing the rest (a few
 * microseconds each). Looked at when the list has grown by another 256 tokens, so the check costs O(1) a
 * lexeme.
 */
function strayTokensOnTop(stack: readonly CST.Token[]): number | undefined {
  const top = stack[stack.length - 1];
  const end = top && 'end' in top && Array.isArray(top.end) ? (top.end as readonly CST.SourceToken[]) : undefined;
  if (!end || end.length <= MAX_YAML_ERRORS || end.length % 256 !== 0) return undefined;
  const strays = end.filter((token) => !endOfCollection.has(token.type));
  return strays.length > MAX_YAML_ERRORS ? strays[0]!.offset : undefined;
}

/** What may follow a flow collection's closing bracket; yaml reports anything else there as an error. */
const endOfCollection = new Set(['space', 'newline', 'comment', 'flow-map-end', 'flow-seq-end', 'flow-error-end']);

/**
 * Where the earliest collection nested deeper than MAX_YAML_DEPTH starts; walked with an explicit stack.
 * On the way, counts into `errors` the stray tokens after flow collections (`{a} {b} {c}`...), one yaml
 * error each.
 */
function firstTooDeep(tokens: readonly CST.Token[], errors: { count: number; first: number }): number | undefined {
  const pending: { token: CST.Token; depth: number }[] = tokens.map((token) => ({ token, depth: 0 }));
  let first: number | undefined;
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { token, depth } = next;
    if (token.type === 'document') {
      if (token.value) pending.push({ token: token.value, depth });
    } else if ('items' in token && depth >= MAX_YAML_DEPTH) {
      first = Math.min(first ?? token.offset, token.offset);
    } else if ('items' in token) {
      if ('end' in token && Array.isArray(token.end)) {
        for (const end of token.end as readonly CST.SourceToken[]) if (!endOfCollection.has(end.type)) countError(errors, end.offset);
      }
      for (const item of token.items as readonly CST.CollectionItem[]) {
        if (item.key) pending.push({ token: item.key, depth: depth + 1 });
        if (item.value) pending.push({ token: item.value, depth: depth + 1 });
      }
    }
  }
  return first;
}
