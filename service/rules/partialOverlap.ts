// f. A partial that is also something else. Declared in input_variables too, LangChain refuses the prompt:
// `Found overlapping input and partial variables: {...}`. Named like the input key or the memory key, it is
// silently overridden — LangChain merges the inputs and the memory over the partials — so its value is
// never used.

import { pySet } from '../../core/chain/pyRepr';
import type { Span } from '../../core/format/model';
import type { PromptContext } from '../context';
import { analyze } from './analysis';
import { dataString } from './edits';
import type { Rule, RuleFinding } from './rule';
import { removeInputVariableActions } from './unusedDeclaredVariable';

export const partialOverlap: Rule = {
  code: 'partial-overlap',
  severity: 'error',
  check(ctx) {
    const partials = ctx.prompt.frontMatter?.partialVariables?.value ?? [];
    return partials.flatMap((partial) => overlapsOf(ctx, partial.name, partial.keySpan ?? partial.span));
  },
  fixes(ctx, diagnostic) {
    return removeInputVariableActions(ctx, diagnostic, dataString(diagnostic, 'declared'));
  },
};

function overlapsOf(ctx: PromptContext, name: string, partialSpan: Span): RuleFinding[] {
  const analysis = analyze(ctx);
  const findings: RuleFinding[] = [];
  for (const entry of ctx.prompt.frontMatter?.inputVariables?.value ?? []) {
    if (entry.value !== name) continue;
    findings.push({
      span: entry.span,
      message: `\`${name}\` is both a partial and a declared input variable: LangChain raises \`Found overlapping input and partial variables: ${pySet([name])}\`. Remove it from input_variables (partials are filled before formatting and need no declaration).`,
      data: { declared: name },
    });
  }
  if (name === analysis.declaredInputKey) {
    findings.push({
      span: partialSpan,
      severity: 'warning',
      message: `The partial \`${name}\` is also input_key: LLMChain passes the user's input as \`${name}\`, which overrides the partial, so its value is never used. Rename the partial or choose another input_key.`,
    });
  }
  if (name === analysis.memoryKey) {
    findings.push({
      span: partialSpan,
      severity: 'warning',
      message: `The partial \`${name}\` is also the memory key: LLMChain merges the loaded history over the partials, so its value is never used. Rename the partial or set \`memory.key\` to another name.`,
    });
  }
  return findings;
}
