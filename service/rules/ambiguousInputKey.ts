// c. Several variables could take the user's input and `input_key` does not say which. LangChain's
// ConversationBufferMemory cannot pick one when it saves the turn: `One input key expected got [...]` —
// after the model has already been paid for. Every use of every candidate is marked, since any of them may
// be the one to keep; the quick fix preselects the one that most likely takes the human's words
// (./inputPreference.ts). Variables that are near misses of the memory key are reported by
// unprovided-variable instead, so one typo gives one diagnostic. With many candidates (a template of
// hundreds of variables) the message names a few and counts the rest, and the fixes offer the likeliest
// few: a message listing every name, repeated on each of hundreds of marks, made answers of megabytes.

import type { CodeAction, Diagnostic } from 'vscode-languageserver-types';
import { pyList, pySet } from '../../core/chain/pyRepr';
import type { PromptContext } from '../context';
import { hintsFor } from '../hosts';
import { analyze, variablesKnown, type VariableAnalysis } from './analysis';
import { dataStrings, quickFix } from './edits';
import { setFrontMatterValue, yamlScalar } from './frontMatterEdits';
import { preferredInputKey } from './inputPreference';
import type { Rule, RuleFinding } from './rule';
import { variableText } from './templateEdits';

export const ambiguousInputKey: Rule = {
  code: 'ambiguous-input-key',
  severity: 'error',
  check(ctx) {
    const analysis = analyze(ctx);
    const candidates = analysis.inputCandidates;
    if (analysis.declaredInputKey !== undefined || candidates.length < 2 || !variablesKnown(analysis)) return [];
    const preferred = preferredInputKey(ctx, candidates);
    const message = ambiguityMessage(analysis, candidates, preferred, ctx);
    const data = { candidates: offered(candidates, preferred) };
    const predicts = { variables: [...candidates], error: langchainError(analysis, candidates) };
    // Every reference of a candidate, in source order: one pass over the references, which are in that order.
    const isCandidate = new Set(candidates);
    const refs = analysis.refs.filter((ref) => isCandidate.has(ref.name));
    return refs.map((ref): RuleFinding => ({ span: ref.span, message, data, predicts }));
  },
  fixes(ctx, diagnostic) {
    return setInputKeyActions(ctx, diagnostic, dataStrings(diagnostic, 'candidates'));
  },
};

/** Candidates a message names, and "Set input_key" fixes a diagnostic offers; the rest are counted. */
const MAX_LISTED = 5;

/** The fixes' candidates: the preferred one first, then the first others, MAX_LISTED in all. */
function offered(candidates: readonly string[], preferred: string | undefined): string[] {
  const ordered = preferred === undefined ? candidates : [preferred, ...candidates.filter((name) => name !== preferred)];
  return ordered.slice(0, MAX_LISTED);
}

/** What LangChain raises: the memory, when it saves the turn, or the chain, when given one string. */
function langchainError(analysis: VariableAnalysis, candidates: readonly string[]): string {
  return analysis.memoryKey !== undefined
    ? `One input key expected got ${pyList(candidates)}`
    : `A single string input was passed in, but this chain expects multiple inputs (${pySet(candidates)})`;
}

/** LangChain's error as quoted in a message: its list cut after MAX_LISTED names, marked with `…`. */
function quotedError(analysis: VariableAnalysis, candidates: readonly string[]): string {
  if (candidates.length <= MAX_LISTED) return langchainError(analysis, candidates);
  const full = langchainError(analysis, candidates.slice(0, MAX_LISTED));
  const close = full.lastIndexOf(analysis.memoryKey !== undefined ? ']' : '}');
  return `${full.slice(0, close)}, …${full.slice(close)}`;
}

function ambiguityMessage(analysis: VariableAnalysis, candidates: readonly string[], preferred: string | undefined, ctx: PromptContext): string {
  const listed = candidates.slice(0, MAX_LISTED).map((name) => `\`${variableText(ctx.config.templateFormat, name)}\``).join(', ');
  const names = candidates.length > MAX_LISTED ? `${listed} and ${candidates.length - MAX_LISTED} more` : listed;
  const when = analysis.memoryKey !== undefined ? 'ConversationBufferMemory raises %s when it saves the turn' : '`chain.run(input)` raises %s';
  const langchain = when.replace('%s', `\`${quotedError(analysis, candidates)}\``);
  const which = preferred === undefined ? 'the one that does' : `the one that does (likely \`${preferred}\`)`;
  const others = candidates.filter((name) => name !== preferred);
  const giveOthers = hintsFor(ctx.settings).giveValues(preferred === undefined ? candidates : others);
  return `LangChain cannot tell which variable receives the user's input (${names}): ${langchain}. Set input_key to ${which}, and for the others add partial_variables or ${giveOthers}.`;
}

/**
 * One "Set input_key" action per candidate that is still a template variable; the one that most likely
 * takes the human's words (or the only one) comes first and is preferred.
 */
export function setInputKeyActions(ctx: PromptContext, diagnostic: Diagnostic, candidates: readonly string[]): CodeAction[] {
  const analysis = analyze(ctx);
  const present = candidates.filter((name) => analysis.refsByName.has(name));
  const preferred = present.length === 1 ? present[0] : preferredInputKey(ctx, present);
  const ordered = preferred === undefined ? present : [preferred, ...present.filter((name) => name !== preferred)];
  return ordered.flatMap((name) => {
    const edits = setFrontMatterValue(ctx, ['input_key'], yamlScalar(name));
    return edits ? [quickFix(ctx, `Set input_key to \`${name}\``, edits, diagnostic, name === preferred)] : [];
  });
}
