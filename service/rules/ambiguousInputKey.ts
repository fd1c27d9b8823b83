// c. Several variables could take the user's input and `input_key` does not say which. LangChain's
// ConversationBufferMemory cannot pick one when it saves the turn: `One input key expected got [...]` —
// after the model has already been paid for. Variables that are near misses of the memory key are
// reported by unprovided-variable instead, so one typo gives one diagnostic.

import type { CodeAction, Diagnostic } from 'vscode-languageserver-types';
import { pyList } from '../../core/chain/pyRepr';
import type { PromptContext } from '../context';
import { analyze, firstRef, variablesKnown } from './analysis';
import { dataStrings, quickFix } from './edits';
import { setFrontMatterValue, yamlScalar } from './frontMatterEdits';
import type { Rule } from './rule';

export const ambiguousInputKey: Rule = {
  code: 'ambiguous-input-key',
  severity: 'error',
  check(ctx) {
    const analysis = analyze(ctx);
    const candidates = analysis.inputCandidates;
    if (analysis.declaredInputKey !== undefined || candidates.length < 2 || !variablesKnown(analysis)) return [];
    const second = firstRef(analysis, candidates[1] ?? '');
    if (!second) return [];
    const names = candidates.map((name) => `\`${name}\``).join(', ');
    const langchain = analysis.memoryKey !== undefined
      ? `ConversationBufferMemory raises \`One input key expected got ${pyList(candidates)}\` when it saves the turn`
      : `\`chain.run(input)\` raises \`A single string input was passed in, but this chain expects multiple inputs\``;
    return [{
      span: second.span,
      message: `LangChain cannot tell which variable receives the user's input (${names}): ${langchain}. Set \`input_key\` to the one that does, and give the others a value with each run or as partials.`,
      data: { candidates: [...candidates] },
    }];
  },
  fixes(ctx, diagnostic) {
    return setInputKeyActions(ctx, diagnostic, dataStrings(diagnostic, 'candidates'));
  },
};

/** One "Set input_key" action per candidate that is still a template variable. */
export function setInputKeyActions(ctx: PromptContext, diagnostic: Diagnostic, candidates: readonly string[]): CodeAction[] {
  const analysis = analyze(ctx);
  return candidates
    .filter((name) => analysis.refsByName.has(name))
    .flatMap((name) => {
      const edits = setFrontMatterValue(ctx, ['input_key'], yamlScalar(name));
      return edits ? [quickFix(ctx, `Set input_key to \`${name}\``, edits, diagnostic, candidates.length === 1)] : [];
    });
}
