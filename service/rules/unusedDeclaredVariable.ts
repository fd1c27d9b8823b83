// e. `input_variables` declares a name the template never uses. LangChain recomputes the variables from
// the template and drops it, so a value passed for it is silently ignored — usually the sign of a renamed
// or deleted `{variable}`. Partials, `stop` and an unused memory key declared here have rules of their own.

import { analyze, reservedVariable, variablesKnown } from './analysis';
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
    const meant = new Set([...analysis.unprovided.values()].map((suggestion) => suggestion?.name));
    for (const entry of declaredList.value) {
      const name = entry.value;
      if (meant.has(name)) continue; // misspelt in the template: unprovided-variable offers the rename
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
    const name = dataString(diagnostic, 'name');
    const list = ctx.prompt.frontMatter?.inputVariables;
    const index = list?.value.findIndex((entry) => entry.value === name) ?? -1;
    if (!list || index < 0) return [];
    const edits = removeListItem(ctx, ['input_variables'], list, index);
    return edits ? [quickFix(ctx, `Remove \`${name}\` from input_variables`, edits, diagnostic, true)] : [];
  },
};
