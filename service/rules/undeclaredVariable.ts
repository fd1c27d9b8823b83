// e. `input_variables` is declared but leaves out a variable the template uses. LangChain recomputes the
// variables from the template, so the declaration is simply wrong documentation — and with
// `validate_template=True` PromptTemplate raises `Invalid prompt schema; check for mismatched or missing
// input parameters`. The memory key and partials need no declaration; `stop` has its own rule.

import { pyList } from '../../core/chain/pyRepr';
import { analyze, reservedVariable, variablesKnown } from './analysis';
import { dataString, quickFix } from './edits';
import { addListItem } from './frontMatterEdits';
import type { Rule, RuleFinding } from './rule';
import { variableText } from './templateEdits';

export const undeclaredVariable: Rule = {
  code: 'undeclared-variable',
  severity: 'error',
  check(ctx) {
    const analysis = analyze(ctx);
    const declaredList = ctx.prompt.frontMatter?.inputVariables;
    if (!declaredList || !variablesKnown(analysis)) return [];
    const declared = new Set(declaredList.value.map((entry) => entry.value));
    const findings: RuleFinding[] = [];
    for (const [name, refs] of analysis.refsByName) {
      if (declared.has(name) || name === analysis.memoryKey || analysis.partials.has(name) || name === reservedVariable) continue;
      if (analysis.unprovided.get(name) !== undefined) continue; // a near miss: unprovided-variable names the fix
      const first = refs[0];
      if (!first) continue;
      findings.push({
        span: first.span,
        message: `\`${variableText(ctx.config.templateFormat, name)}\` is used in the template but missing from input_variables ${pyList([...declared])}: LangChain still requires a value for it (with \`validate_template=True\` it raises \`Invalid prompt schema; check for mismatched or missing input parameters\`). Add \`${name}\` to input_variables.`,
        data: { name },
      });
    }
    return findings;
  },
  fixes(ctx, diagnostic) {
    const name = dataString(diagnostic, 'name');
    const list = ctx.prompt.frontMatter?.inputVariables;
    if (name === undefined || !list || list.value.some((entry) => entry.value === name)) return [];
    const edits = addListItem(ctx, ['input_variables'], list, name);
    return edits ? [quickFix(ctx, `Add \`${name}\` to input_variables`, edits, diagnostic, true)] : [];
  },
};
