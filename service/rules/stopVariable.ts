// f. `stop` cannot be a variable: LLMChain passes an input named `stop` to the model as its stop sequences,
// and LangChain's prompt templates refuse the name outright: `Cannot have an input variable named 'stop',
// as it is used internally, please rename.`

import type { Span } from '../../core/format/model';
import type { PromptContext } from '../context';
import { analyze, reservedVariable } from './analysis';
import type { Rule } from './rule';
import { variableText } from './templateEdits';

const langchainError = "Cannot have an input variable named 'stop', as it is used internally, please rename.";

export const stopVariable: Rule = {
  code: 'stop-variable',
  severity: 'error',
  check(ctx) {
    const variable = variableText(ctx.config.templateFormat, reservedVariable);
    const inTemplate = (analyze(ctx).refsByName.get(reservedVariable) ?? []).map((ref) => ref.span);
    const message = `\`${variable}\` cannot be a template variable: LLMChain passes \`stop\` to the model as its stop sequences, and LangChain raises \`${langchainError}\` Rename the variable.`;
    const declaredMessage = `\`stop\` cannot be a variable name: LangChain raises \`${langchainError}\` Rename it.`;
    return [
      ...inTemplate.map((span) => ({ span, message, predicts: { variables: [reservedVariable], error: langchainError } })),
      ...declaredStops(ctx).map((span) => ({ span, message: declaredMessage })),
    ];
  },
};

/** `stop` written as a declared variable, the input key or a partial. */
function declaredStops(ctx: PromptContext): Span[] {
  const frontMatter = ctx.prompt.frontMatter;
  if (!frontMatter) return [];
  const spans = (frontMatter.inputVariables?.value ?? []).filter((entry) => entry.value === reservedVariable).map((entry) => entry.span);
  if (frontMatter.inputKey?.value === reservedVariable) spans.push(frontMatter.inputKey.span);
  for (const partial of frontMatter.partialVariables?.value ?? []) {
    if (partial.name === reservedVariable && partial.keySpan) spans.push(partial.keySpan);
  }
  return spans;
}
