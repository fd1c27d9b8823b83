// b. A template variable nothing provides: not the memory key, not the input key, not a partial. LLMChain
// checks its inputs before formatting and raises `Missing some input keys: {...}`. The usual cause is a
// near miss of a provided name — `{history}` while the memory writes `chat_history`, `{chat_history }` with
// a space — so the message names the variable that was meant and the quick fix renames it. A near miss by
// whitespace alone says so ("a trailing space"), on whichever side the space is: the variable's (rename it)
// or the memory key's or input key's (trim the key).

import type { CodeAction, Diagnostic } from 'vscode-languageserver-types';
import { pySet } from '../../core/chain/pyRepr';
import type { PromptContext } from '../context';
import { hintsFor } from '../hosts';
import { analyze, variablesKnown, type VariableAnalysis } from './analysis';
import { dataString, quickFix } from './edits';
import { setFrontMatterValue, yamlScalar } from './frontMatterEdits';
import { extraSpace, isIdentifier, theSpace, type NameSuggestion } from './names';
import { normalizeName } from '../../core/text/nameWords';
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
      const predicts = { variables: [name], error: missingInputKeys(name), unlessGiven: !suggestion };
      for (const ref of analysis.refsByName.get(name) ?? []) {
        findings.push(suggestion ? { span: ref.span, message, data, predicts } : { span: ref.span, message, data, predicts, severity: 'warning' });
      }
    }
    return findings;
  },
  fixes(ctx, diagnostic) {
    const name = dataString(diagnostic, 'name');
    const suggestion = dataString(diagnostic, 'suggestion');
    const analysis = analyze(ctx);
    if (name === undefined || suggestion === undefined || !analysis.refsByName.has(name)) return [];
    // A provided name with a space is trimmed where it is declared, never copied into the template.
    if (extraSpace(suggestion, name)) {
      const keyFix = spacedKeyFix(ctx, analysis, diagnostic, name, suggestion);
      return keyFix ? [keyFix] : [];
    }
    const actions: CodeAction[] = [renameAction(ctx, diagnostic, name, suggestion)];
    // Pointing the memory at this variable is the other way round, when nothing else uses the memory key.
    if (suggestion === analysis.memoryKey && !analysis.refsByName.has(suggestion) && isIdentifier(name) && normalizeName(name) !== normalizeName(suggestion)) {
      const edits = setFrontMatterValue(ctx, ['memory', 'key'], yamlScalar(name));
      if (edits) actions.push(quickFix(ctx, `Set memory.key to \`${name}\``, edits, diagnostic));
    }
    return actions;
  },
};

/** LangChain's error for a variable missing from the chain's inputs. */
export function missingInputKeys(name: string): string {
  return `Missing some input keys: ${pySet([name])}`;
}

function renameAction(ctx: PromptContext, diagnostic: Diagnostic, name: string, suggestion: string): CodeAction {
  const format = ctx.config.templateFormat;
  const space = extraSpace(name, suggestion);
  const title = space
    ? `Remove ${theSpace(space)} from \`${variableText(format, name)}\``
    : `Rename \`${variableText(format, name)}\` to \`${variableText(format, suggestion)}\``;
  return quickFix(ctx, title, renameVariableEdits(ctx, name, suggestion), diagnostic, true);
}

/** The front-matter key a spaced provided name is written at, when it is the memory key or `input_key`. */
function spacedKey(analysis: VariableAnalysis, provided: string): readonly string[] | undefined {
  if (provided === analysis.memoryKey) return ['memory', 'key'];
  return provided === analysis.declaredInputKey ? ['input_key'] : undefined;
}

/** `memory.key: "history "` against `{history}`: the key is what to trim, not the variable to misspell. */
function spacedKeyFix(ctx: PromptContext, analysis: VariableAnalysis, diagnostic: Diagnostic, name: string, provided: string): CodeAction | undefined {
  const space = extraSpace(provided, name);
  const path = spacedKey(analysis, provided);
  if (!space || !path) return undefined;
  const edits = setFrontMatterValue(ctx, path, yamlScalar(name));
  return edits && quickFix(ctx, `Remove ${theSpace(space)} from ${path.join('.')}`, edits, diagnostic, true);
}

function nearMissMessage(ctx: PromptContext, analysis: VariableAnalysis, name: string, suggestion: NameSuggestion): string {
  const format = ctx.config.templateFormat;
  const variable = variableText(format, name);
  const meant = variableText(format, suggestion.name);
  const raises = `LLMChain raises \`${missingInputKeys(name)}\``;
  const inVariable = extraSpace(name, suggestion.name);
  if (inVariable) {
    return `\`${variable}\` has ${inVariable}: ${providerText(analysis, suggestion.name, meant)}, and LangChain matches names exactly, so ${raises}. Write \`${meant}\`.`;
  }
  const inKey = extraSpace(suggestion.name, name);
  const key = spacedKey(analysis, suggestion.name);
  if (inKey && key) {
    return `Nothing provides \`${variable}\`: ${key.join('.')} is \`${suggestion.name}\`, with ${inKey}, so ${providerText(analysis, suggestion.name, meant)} and ${raises}. Remove it from ${key.join('.')}.`;
  }
  if (inKey) {
    return `Nothing provides \`${variable}\`: the partial is named \`${suggestion.name}\`, with ${inKey}, so ${raises}. Remove it from the name in partial_variables.`;
  }
  return `Nothing provides \`${variable}\`: ${providerText(analysis, suggestion.name, meant)}, so ${raises}. Did you mean \`${meant}\`?`;
}

function providerText(analysis: VariableAnalysis, provided: string, meant: string): string {
  if (provided === analysis.memoryKey) return `the memory writes the conversation into \`${meant}\``;
  if (provided === analysis.declaredInputKey) return `the user's input goes to \`${meant}\` (input_key)`;
  return `the partial is named \`${provided}\``;
}

function unprovidedMessage(ctx: PromptContext, analysis: VariableAnalysis, name: string): string {
  const providers = [
    analysis.memoryKey !== undefined ? `the memory key (\`${analysis.memoryKey}\`)` : undefined,
    analysis.declaredInputKey !== undefined ? `the input key (\`${analysis.declaredInputKey}\`)` : undefined,
    'a partial',
  ].filter((part): part is string => part !== undefined);
  const variable = variableText(ctx.config.templateFormat, name);
  return `Nothing in this file provides \`${variable}\`: it is not ${listWithOr(providers)}, so LLMChain raises \`${missingInputKeys(name)}\` unless every run passes a value for it. Add \`${name}\` to partial_variables, or ${hintsFor(ctx.settings).giveValue(name)}.`;
}

function listWithOr(parts: readonly string[]): string {
  return parts.length <= 1 ? parts.join('') : `${parts.slice(0, -1).join(', ')} or ${parts[parts.length - 1]}`;
}
