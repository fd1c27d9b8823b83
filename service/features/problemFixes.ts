// Quick fixes for the parser's front-matter problems, from what the parser says about the current text: a
// misspelt key renamed, a key written in the wrong block moved where it is read, an endpoint or API key
// removed (the title says where it belongs instead), a value replaced by the one its message suggests.
// The diagnostic the client sends back only finds the problem; a stale one finds nothing and gets no fix.

import type { CodeAction, Diagnostic, Range } from 'vscode-languageserver-types';
import type { ParseProblem } from '../../core/format/model';
import { ProblemCode } from '../../core/format/problems';
import type { PromptContext } from '../context';
import { quickFix, rangeOf, replaceSpan } from '../rules/edits';
import { fieldWithKeyAt, moveFrontMatterKey, removeFrontMatterKey } from '../rules/frontMatterMoves';

const whereInstead: Readonly<Record<string, string>> = {
  [ProblemCode.endpointInFile]: 'set `promptChain.baseUrl` or OPENAI_BASE_URL instead',
  [ProblemCode.secretInFile]: 'use "Prompt Chain: Set API Key" or OPENAI_API_KEY instead',
};

const valueCodes = new Set<string>([ProblemCode.invalidType, ProblemCode.outOfRange, ProblemCode.invalidValue]);

function isFixable(code: string): boolean {
  return code === ProblemCode.unknownKey || whereInstead[code] !== undefined || valueCodes.has(code);
}

export function problemFixes(ctx: PromptContext, diagnostic: Diagnostic): CodeAction[] {
  if (!isFixable(String(diagnostic.code))) return [];
  const problem = currentProblem(ctx, diagnostic);
  if (!problem) return [];
  if (problem.code === ProblemCode.unknownKey) return [...renameFix(ctx, problem, diagnostic), ...moveFix(ctx, problem, diagnostic)];
  if (whereInstead[problem.code]) return removeFix(ctx, problem, diagnostic);
  if (valueCodes.has(problem.code)) return replacementFix(ctx, problem, diagnostic);
  return [];
}

/** Per context: the fixable parse problems by code and range, indexed once (a request may ask for thousands). */
const fixableByKey = new WeakMap<PromptContext, ReadonlyMap<string, ParseProblem>>();

/** The parse problem of the current text the diagnostic was made from (same code, same range). */
function currentProblem(ctx: PromptContext, diagnostic: Diagnostic): ParseProblem | undefined {
  let index = fixableByKey.get(ctx);
  if (!index) {
    const built = new Map<string, ParseProblem>();
    for (const problem of ctx.prompt.problems) {
      const key = problemKey(problem.code, rangeOf(ctx, problem.span));
      if (isFixable(problem.code) && !built.has(key)) built.set(key, problem);
    }
    fixableByKey.set(ctx, (index = built));
  }
  return index.get(problemKey(String(diagnostic.code), diagnostic.range));
}

function problemKey(code: string, { start, end }: Range): string {
  return `${code} ${start.line}:${start.character} ${end.line}:${end.character}`;
}

/** The parser's "did you mean" for a key of the same block: write the name it points at. */
function renameFix(ctx: PromptContext, problem: ParseProblem, diagnostic: Diagnostic): CodeAction[] {
  const suggestion = stringData(problem, 'suggestion');
  const key = stringData(problem, 'key');
  if (suggestion === undefined || key === undefined) return [];
  const at = ctx.prompt.text.slice(problem.span.start, problem.span.end).indexOf(key);
  if (at < 0) return [];
  const start = problem.span.start + at;
  return [quickFix(ctx, `Change to \`${suggestion}\``, [replaceSpan(ctx, { start, end: start + key.length }, suggestion)], diagnostic, true)];
}

/** A key of another block (`temperature:` at the top level): move it under the block that reads it. */
function moveFix(ctx: PromptContext, problem: ParseProblem, diagnostic: Diagnostic): CodeAction[] {
  const moveTo = stringsData(problem, 'moveTo');
  const key = stringData(problem, 'key');
  const field = ctx.prompt.frontMatter && fieldWithKeyAt(ctx.prompt.frontMatter, problem.span);
  if (!moveTo || !field || key === undefined) return [];
  const edits = moveFrontMatterKey(ctx, field, moveTo);
  return edits ? [quickFix(ctx, moveTitle(key, moveTo), edits, diagnostic, true)] : [];
}

function moveTitle(key: string, moveTo: readonly string[]): string {
  const block = moveTo.slice(0, -1);
  const destination = block.length === 0 ? 'to the top level' : `under \`${block.join('.')}:\``;
  const target = moveTo[moveTo.length - 1];
  return `Move \`${key}\` ${destination}${target === key ? '' : ` as \`${target}\``}`;
}

/** An endpoint or an API key: the file must not carry it, wherever it is written. */
function removeFix(ctx: PromptContext, problem: ParseProblem, diagnostic: Diagnostic): CodeAction[] {
  const key = stringData(problem, 'key');
  const field = ctx.prompt.frontMatter && fieldWithKeyAt(ctx.prompt.frontMatter, problem.span);
  const edits = field && removeFrontMatterKey(ctx, field);
  if (!edits || key === undefined) return [];
  return [quickFix(ctx, `Remove \`${key}\` (${whereInstead[problem.code]})`, edits, diagnostic, true)];
}

/** `data.replacement` is the text that fixes the value when put in place of the problem's span. */
function replacementFix(ctx: PromptContext, problem: ParseProblem, diagnostic: Diagnostic): CodeAction[] {
  const replacement = stringData(problem, 'replacement');
  if (replacement === undefined) return [];
  return [quickFix(ctx, `Change to \`${replacement}\``, [replaceSpan(ctx, problem.span, replacement)], diagnostic, true)];
}

function stringData(problem: ParseProblem, field: string): string | undefined {
  const value = problem.data?.[field];
  return typeof value === 'string' ? value : undefined;
}

function stringsData(problem: ParseProblem, field: string): string[] | undefined {
  const value = problem.data?.[field];
  return Array.isArray(value) && value.every((item): item is string => typeof item === 'string') ? value : undefined;
}
