// c. Several variables could take the user's input and `input_key` does not say which. LangChain's
// ConversationBufferMemory cannot pick one when it saves the turn: `One input key expected got [...]` —
// after the model has already been paid for. Every use of every candidate is marked, since any of them may
// be the one to keep; the quick fix preselects the one that most likely takes the human's words
// (./inputPreference.ts). Variables that are near misses of the memory key are reported by
// unprovided-variable instead, so one typo gives one diagnostic.

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
    const message = ambiguityMessage(ctx, analysis, candidates);
    const data = { candidates: [...candidates] };
    const predicts = { variables: [...candidates], error: langchainError(analysis, candidates) };
    const refs = candidates.flatMap((name) => analysis.refsByName.get(name) ?? []).sort((a, b) => a.span.start - b.span.start);
    return refs.map((ref): RuleFinding => ({ span: ref.span, message, data, predicts }));
  },
  fixes(ctx, diagnostic) {
    return setInputKeyActions(ctx, diagnostic, dataStrings(diagnostic, 'candidates'));
  },
};

/** What LangChain raises: the memory, when it saves the turn, or the chain, when given one string. */
function langchainError(analysis: VariableAnalysis, candidates: readonly string[]): string {
  return analysis.memoryKey !== undefined
    ? `One input key expected got ${pyList(candidates)}`
    : `A single string input was passed in, but this chain expects multiple inputs (${pySet(candidates)})`;
}

function ambiguityMessage(ctx: PromptContext, analysis: VariableAnalysis, candidates: readonly string[]): string {
  const names = candidates.map((name) => `\`${variableText(ctx.config.templateFormat, name)}\``).join(', ');
  const when = analysis.memoryKey !== undefined ? 'ConversationBufferMemory raises %s when it saves the turn' : '`chain.run(input)` raises %s';
  const langchain = when.replace('%s', `\`${langchainError(analysis, candidates)}\``);
  const preferred = preferredInputKey(ctx, candidates);
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
