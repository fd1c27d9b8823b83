// c. `input_key` names a variable the template does not have: LLMChain hands the user's input to a name the
// prompt never shows, so the model never sees the question (memory still records it as the human turn).
// When a template variable is a near miss of the input key, unprovided-variable reports the typo instead.

import type { CodeAction } from 'vscode-languageserver-types';
import { analyze, hasNearMiss, variablesKnown } from './analysis';
import { dataString, quickFix } from './edits';
import type { Rule } from './rule';
import { setInputKeyActions } from './ambiguousInputKey';
import { insertInputVariableEdit, variableText } from './templateEdits';

export const inputKeyNotInTemplate: Rule = {
  code: 'input-key-not-in-template',
  severity: 'error',
  check(ctx) {
    const analysis = analyze(ctx);
    const inputKey = analysis.declaredInputKey;
    const declared = ctx.prompt.frontMatter?.inputKey;
    if (inputKey === undefined || !declared || !variablesKnown(analysis)) return [];
    if (analysis.refsByName.has(inputKey) || inputKey === analysis.memoryKey) return [];
    if (hasNearMiss(analysis, inputKey)) return [];
    const variable = variableText(ctx.config.templateFormat, inputKey);
    const others = analysis.free.map((name) => `\`${name}\``).join(', ');
    return [{
      span: declared.span,
      message: `input_key \`${inputKey}\` is not a variable of the template: LLMChain passes the user's input as \`${inputKey}\` and the prompt never shows it, so the model never sees the message. Use \`${variable}\` in the template${others ? `, or set input_key to one of ${others}` : ''}.`,
      data: { inputKey, candidates: [...analysis.free] },
    }];
  },
  fixes(ctx, diagnostic) {
    const inputKey = dataString(diagnostic, 'inputKey');
    const analysis = analyze(ctx);
    if (inputKey === undefined || inputKey !== analysis.declaredInputKey || analysis.refsByName.has(inputKey)) return [];
    const actions: CodeAction[] = setInputKeyActions(ctx, diagnostic, analysis.free);
    const title = `Add \`${variableText(ctx.config.templateFormat, inputKey)}\` to the template`;
    actions.push(quickFix(ctx, title, [insertInputVariableEdit(ctx, inputKey)], diagnostic, analysis.free.length === 0));
    return actions;
  },
};
