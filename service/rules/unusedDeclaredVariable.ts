// e. `input_variables` declares a name the template never uses. LangChain recomputes the variables from
// the template and drops it, so a value passed for it is silently ignored — usually the sign of a renamed
// or deleted `{variable}`. Partials, `stop` and an unused memory key declared here have rules of their own.

import type { CodeAction, Diagnostic } from 'vscode-languageserver-types';
import type { PromptContext } from '../context';
import { analyze, hasNearMiss, reservedVariable, variablesKnown } from './analysis';
import { dataString, quickFix } from './edits';
import { removeListItem } from './frontMatterEdits';
import type { Rule, RuleFinding } from './rule';
import { variableText } from './templateEdits';

export const unusedDeclaredVariable: Rule = {
  code: 'unused-declared-variable',
  severity: 'error',
  check(ctx) {
    const analysis = analyze(ctx);
    const declaredList = ctx.prompt.frontMatter?.inputVariables;
    if (!declaredList || !variablesKnown(analysis)) return [];
    const findings: RuleFinding[] = [];
    for (const entry of declaredList.value) {
      const name = entry.value;
      if (hasNearMiss(analysis, name)) continue; // misspelt in the template: unprovided-variable offers the rename
      if (analysis.refsByName.has(name) || analysis.partials.has(name) || name === reservedVariable || name === analysis.memoryKey) continue;
      const variable = variableText(ctx.config.templateFormat, name);
      findings.push({
        span: entry.span,
        message: `\`${name}\` is declared in input_variables but the template never uses \`${variable}\`: LangChain recomputes the variables from the template and drops it, so a value passed for it is silently ignored. Remove it from input_variables, or use \`${variable}\` in the template.`,
        data: { name },
      });
    }
    return findings;
  },
  fixes(ctx, diagnostic) {
    return removeInputVariableActions(ctx, diagnostic, dataString(diagnostic, 'name'));
  },
};

/** "Remove `name` from input_variables", while it is still declared there. */
export function removeInputVariableActions(ctx: PromptContext, diagnostic: Diagnostic, name: string | undefined): CodeAction[] {
  const list = ctx.prompt.frontMatter?.inputVariables;
  const index = list?.value.findIndex((entry) => entry.value === name) ?? -1;
  if (!list || index < 0) return [];
  const edits = removeListItem(ctx, ['input_variables'], list, index);
  return edits ? [quickFix(ctx, `Remove \`${name}\` from input_variables`, edits, diagnostic, true)] : [];
}
