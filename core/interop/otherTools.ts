// The one decider of "is this `.prompt` another tool's file?": Dotprompt (Firebase Genkit) and Continue
// both use the `.prompt` extension (dotprompt#206, #302, #507), and Prompt Chain used to flood their files
// with errors. The language service, the server's run guard and the Dotprompt importer all ask here.
//
// The decision is by evidence neither tool's files can share with ours, never by a guess: a Prompt Chain
// key (`memory`, `parameters`, `template_format`, ...) makes a file ours whatever else it holds, so a mustache
// prompt of ours (`{{name}}`, always with `template_format: mustache`) is never taken for Dotprompt; a key
// only Dotprompt has (`config`, `input`, `output`, `tools`...) makes it Dotprompt's; the body alone (Dotprompt's
// helpers `{{role "user"}}`, `{{history}}`...) only when it has no f-string variable `{name}` of ours, so an
// f-string prompt with literal `{{`...`}}` stays ours.
// Pure and cheap (a scan of lines and one regular expression per body): it runs on every validation.

import { frontMatterSchema } from '../format/schema';
import { normalizeLineBreaks } from '../format/text';

export type OtherTool = 'dotprompt' | 'continue';

/** How each tool is named to the user. */
export const otherToolNames: Readonly<Record<OtherTool, string>> = {
  dotprompt: 'Dotprompt',
  continue: 'Continue',
};

/** A file's front matter and body as Dotprompt (fenced) or Continue (a preamble above `---`) reads them. */
export interface OtherToolParts {
  /** The YAML text (between the fences, or above Continue's separator); '' when there is none. */
  readonly yaml: string;
  /** The template text after the front matter, `\n` line breaks. */
  readonly body: string;
  /** The file's line (1-based) where `body` starts, for messages that point into it. */
  readonly bodyLine: number;
  readonly fenced: boolean;
}

/** Shared by every tool, so they tell nothing: `name`, `description`, `model`. */
const sharedKeys = new Set(['name', 'description', 'model']);
/** Top-level keys only a Prompt Chain file has (the schema, the one table of our keys, minus the shared ones). */
const promptChainKeys = new Set(frontMatterSchema.map((field) => field.key).filter((key) => !sharedKeys.has(key)));
/** Dotprompt's reserved front matter keys (dotprompt js/src/parse.ts RESERVED_METADATA_KEYWORDS), shared and `version` aside. */
const dotpromptKeys = new Set(['config', 'ext', 'input', 'output', 'raw', 'toolDefs', 'tools', 'variant']);
/** Continue's preamble keys (docs "Prompt files": v2 name/description/version, v1 the model parameters, `invokable`). */
const continueKeys = new Set([
  'name', 'description', 'version', 'invokable', 'model', 'temperature', 'topP', 'topK', 'minP',
  'presencePenalty', 'frequencyPenalty', 'mirostat', 'stop', 'maxTokens',
]);
/** Keys only Continue has: camelCase parameters and `invokable` (a top-level `temperature` is a typo of ours too). */
const continueOnlyKeys = new Set(['invokable', 'topP', 'topK', 'minP', 'presencePenalty', 'frequencyPenalty', 'mirostat', 'maxTokens']);

/**
 * Dotprompt's Handlebars helpers and blocks: `{{role "user"}}`, `{{history}}`, `{{media url=...}}`,
 * `{{section "x"}}`, `{{json x}}`, `{{#if}}`/`{{#each}}`/`{{#unless}}`/`{{#with}}`/`{{#ifEquals}}`,
 * `{{> partial}}`, `{{@state.x}}`. Plain `{{name}}` is not among them: an f-string file of ours writes that
 * for a literal `{name}`.
 */
const handlebarsHelper =
  /\{\{~?\s*(?:(?:role|section)\s+["']|history\s*~?\}\}|media\s+url\s*=|json\s+[^\s}]|#(?:if|each|unless|with|ifEquals|unlessEquals)\s|>\s*[\w./-]|@[a-z])/;
/** An f-string variable of ours: `{name}` not part of a `{{`/`}}` pair. */
const fstringVariable = /(?<!\{)\{[A-Za-z_][A-Za-z0-9_]*\}(?!\})/;
/** A top-level block-mapping key at column 0, as YAML writes it unquoted (a dotted Dotprompt extension key too). */
const topLevelKey = /^([A-Za-z_$][\w.$-]*)[ \t]*:(?:[ \t]|$)/;

/** Which other tool's `.prompt` this is, or undefined when it is (or may be) a Prompt Chain file. */
export function otherToolOf(text: string): OtherTool | undefined {
  const normalized = normalizeLineBreaks(text.startsWith('\uFEFF') ? text.slice(1) : text);
  const fence = fencedFrontMatter(normalized);
  if (fence) return fencedTool(normalized, fence);
  if (isContinuePreamble(normalized)) return 'continue';
  return isDotpromptBody(normalized) ? 'dotprompt' : undefined;
}

/**
 * Why a turn on `text` is refused when it is another tool's file, else undefined: the one wording every
 * host (CLI `run`, the server's turn commands, the library) refuses it with; `importHint` says how that
 * host makes a Prompt Chain copy (`` `prompt-chain import x.prompt` ``, `Import…`).
 */
export function otherToolRefusal(text: string, fileName: string, importHint: string): string | undefined {
  const tool = otherToolOf(text);
  if (tool === undefined) return undefined;
  return `${fileName} is a ${otherToolNames[tool]} file, not a Prompt Chain prompt: Prompt Chain does not run it. ${importHint} makes a Prompt Chain copy that runs here.`;
}

/**
 * The front matter and body of another tool's file: fenced (Dotprompt: blank and `#` lines may come before
 * the first `---`), or Continue's preamble above its first `---` line; no front matter: all body.
 */
export function otherToolParts(text: string): OtherToolParts {
  const normalized = normalizeLineBreaks(text.startsWith('\uFEFF') ? text.slice(1) : text);
  const fence = fencedFrontMatter(normalized);
  if (fence) return fencedParts(normalized, fence);
  const separator = continueSeparator(normalized);
  if (separator !== undefined) {
    const yaml = normalized.slice(0, separator.start);
    return { yaml, body: normalized.slice(separator.end), bodyLine: yaml.split('\n').length + 2, fenced: false };
  }
  return { yaml: '', body: normalized, bodyLine: 1, fenced: false };
}

/**
 * A Prompt Chain key makes the file ours. Then a key only Dotprompt has (an error in a file of ours) makes it
 * Dotprompt's, whatever its body; without one, its body must use Dotprompt's helpers and no f-string variable.
 * A file of ours is decided by its front matter alone: its body is not read (this runs on every validation).
 */
function fencedTool(text: string, fence: FrontMatterFence): OtherTool | undefined {
  const keys = topLevelKeys(text.slice(fence.yamlStart, fence.yamlEnd));
  if (keys.some((key) => promptChainKeys.has(key))) return undefined;
  // A dotted key is a Dotprompt extension field (`myext.foo: 1`); ours are never dotted.
  if (keys.some((key) => dotpromptKeys.has(key) || key.includes('.'))) return 'dotprompt';
  const body = text.slice(fence.bodyStart);
  if (fstringVariable.test(body)) return undefined;
  if (handlebarsHelper.test(body)) return 'dotprompt';
  if (keys.some((key) => continueOnlyKeys.has(key)) || (keys.includes('version') && keys.every((key) => continueKeys.has(key)))) return 'continue';
  return undefined;
}

/** Where a fenced front matter is, as offsets into the text (`\n` line breaks), and the body's first line. */
interface FrontMatterFence {
  readonly yamlStart: number;
  readonly yamlEnd: number;
  readonly bodyStart: number;
  /** 1-based. */
  readonly bodyLine: number;
}

/**
 * Dotprompt's own split (js/src/parse.ts FRONTMATTER_AND_BODY_REGEX), line by line from the top: blank and
 * `#` lines, the `---` fence, the YAML, the closing `---`. Stops there: the body is never split.
 */
function fencedFrontMatter(text: string): FrontMatterFence | undefined {
  let start = 0;
  let line = 0;
  let yamlStart: number | undefined;
  while (start <= text.length) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    const content = text.slice(start, end);
    const next = newline < 0 ? text.length + 1 : newline + 1;
    line += 1;
    if (yamlStart === undefined) {
      if (content.trimEnd() === '---') yamlStart = next;
      else if (!/^(?:#.*|[ \t]*)$/.test(content)) return undefined;
    } else if (content.trimEnd() === '---') {
      // An empty front matter (`---` right after `---`) ends where it starts; else before the closing line's break.
      return { yamlStart, yamlEnd: start === yamlStart ? yamlStart : start - 1, bodyStart: Math.min(next, text.length), bodyLine: line + 1 };
    }
    start = next;
  }
  return undefined;
}

function fencedParts(text: string, fence: FrontMatterFence): OtherToolParts {
  return { yaml: text.slice(fence.yamlStart, fence.yamlEnd), body: text.slice(fence.bodyStart), bodyLine: fence.bodyLine, fenced: true };
}

/**
 * Continue reads everything above its first `---` line as the preamble (core/promptFiles/parsePromptFile.ts
 * splits on "\n---\n"), with no opening fence. Ours would be a body that starts with YAML lines: taken for
 * Continue only when every line above is a Continue key, its indented value, a comment or blank.
 */
function isContinuePreamble(text: string): boolean {
  const separator = continueSeparator(text);
  if (separator === undefined) return false;
  const preamble = text.slice(0, separator.start);
  if (fstringVariable.test(preamble)) return false;
  let keys = 0;
  for (const line of preamble.split('\n')) {
    if (/^\s*(?:#.*)?$/.test(line) || /^[ \t]+\S/.test(line)) continue;
    const key = topLevelKey.exec(line)?.[1];
    if (key === undefined || !continueKeys.has(key)) return false;
    keys += 1;
  }
  return keys > 0;
}

/** Where Continue's separator line is: the first "\n---\n" (the preamble ends before it, the body after). */
function continueSeparator(text: string): { start: number; end: number } | undefined {
  const at = text.indexOf('\n---\n');
  return at < 0 ? undefined : { start: at, end: at + 5 };
}

/** A file without front matter is Dotprompt's only by Dotprompt's own helpers, and with nothing of ours. */
function isDotpromptBody(text: string): boolean {
  return handlebarsHelper.test(text) && !fstringVariable.test(text);
}

function topLevelKeys(yaml: string): string[] {
  const keys: string[] = [];
  for (const line of yaml.split('\n')) {
    const key = topLevelKey.exec(line)?.[1];
    if (key !== undefined) keys.push(key);
  }
  return keys;
}
