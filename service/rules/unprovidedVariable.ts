// b. A template variable nothing provides: not the memory key, not the input key, not a partial. LLMChain
// checks its inputs before formatting and raises `Missing some input keys: {...}`. The usual cause is a
// near miss of a provided name — `{history}` while the memory writes `chat_history`, `{chat_history }` with
// a space — so the message names the variable that was meant and the quick fix renames it.

import type { CodeAction } from 'vscode-languageserver-types';
import { pySet } from '../../core/chain/pyRepr';
import type { PromptContext } from '../context';
import { analyze, variablesKnown, type VariableAnalysis } from './analysis';
import { dataString, quickFix } from './edits';
import { setFrontMatterValue, yamlScalar } from './frontMatterEdits';
import { isIdentifier, normalize, type NameSuggestion } from './names';
import type { Rule, RuleFinding } from './rule';
import { renameVariableEdits, variableText } from './templateEdits';

export const unprovidedVariable: Rule = {
  code: 'unprovided-variable',
  severity: 'error',
  check(ctx) {
    const analysis = analyze(ctx);
    if (!variablesKnown(analysis)) return [];
    const findings: RuleFinding[] = [];
    for (const [name, suggestion] of analysis.unprovided) {
      const message = suggestion ? nearMissMessage(ctx, analysis, name, suggestion) : unprovidedMessage(ctx, analysis, name);
      const data = suggestion ? { name, suggestion: suggestion.name } : { name };
      for (const ref of analysis.refsByName.get(name) ?? []) {
        findings.push(suggestion ? { span: ref.span, message, data } : { span: ref.span, message, data, severity: 'warning' });
      }
    }
    return findings;
  },
  fixes(ctx, diagnostic) {
    const name = dataString(diagnostic, 'name');
    const suggestion = dataString(diagnostic, 'suggestion');
    const analysis = analyze(ctx);
    if (name === undefined || suggestion === undefined || !analysis.refsByName.has(name)) return [];
    const format = ctx.config.templateFormat;
    const actions: CodeAction[] = [
      quickFix(ctx, `Rename \`${variableText(format, name)}\` to \`${variableText(format, suggestion)}\``, renameVariableEdits(ctx, name, suggestion), diagnostic, true),
    ];
    // Pointing the memory at this variable is the other way round, when nothing else uses the memory key.
    if (suggestion === analysis.memoryKey && !analysis.refsByName.has(suggestion) && isIdentifier(name) && normalize(name) !== normalize(suggestion)) {
      const edits = setFrontMatterValue(ctx, ['memory', 'key'], yamlScalar(name));
      if (edits) actions.push(quickFix(ctx, `Set memory.key to \`${name}\``, edits, diagnostic));
    }
    return actions;
  },
};

function nearMissMessage(ctx: PromptContext, analysis: VariableAnalysis, name: string, suggestion: NameSuggestion): string {
  const format = ctx.config.templateFormat;
  const meant = variableText(format, suggestion.name);
  const provider =
    suggestion.name === analysis.memoryKey
      ? `the memory writes the conversation into \`${meant}\``
      : suggestion.name === analysis.declaredInputKey
        ? `the user's input goes to \`${meant}\` (input_key)`
        : `the partial is named \`${suggestion.name}\``;
  return `Nothing provides \`${variableText(format, name)}\`: ${provider}, so LLMChain raises \`Missing some input keys: ${pySet([name])}\`. Did you mean \`${meant}\`?`;
}

function unprovidedMessage(ctx: PromptContext, analysis: VariableAnalysis, name: string): string {
  const providers = [
    analysis.memoryKey !== undefined ? `the memory key (\`${analysis.memoryKey}\`)` : undefined,
    analysis.declaredInputKey !== undefined ? `the input key (\`${analysis.declaredInputKey}\`)` : undefined,
    'a partial',
  ].filter((part): part is string => part !== undefined);
  const variable = variableText(ctx.config.templateFormat, name);
  return `Nothing in this file provides \`${variable}\`: it is not ${listWithOr(providers)}, so LLMChain raises \`Missing some input keys: ${pySet([name])}\` unless every run passes a value for it. Add \`${name}\` to partial_variables, or pass it with each run (\`--var ${name}=…\`).`;
}

function listWithOr(parts: readonly string[]): string {
  return parts.length <= 1 ? parts.join('') : `${parts.slice(0, -1).join(', ')} or ${parts[parts.length - 1]}`;
}
