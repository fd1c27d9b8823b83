// c. No template variable can take the user's input: every variable is the memory key, a partial or
// `stop` (or there is none). The input is sent nowhere, and ConversationBufferMemory raises
// `One input key expected got []` when it saves the turn.

import type { Span } from '../../core/format/model';
import { lineEndOf } from '../../core/format/text';
import type { PromptContext } from '../context';
import { analyze, variablesKnown } from './analysis';
import { quickFix } from './edits';
import type { Rule } from './rule';
import { freshInputName, insertInputVariableEdit, variableText } from './templateEdits';

export const noInputVariable: Rule = {
  code: 'no-input-variable',
  severity: 'error',
  check(ctx) {
    const analysis = analyze(ctx);
    if (analysis.declaredInputKey !== undefined || analysis.free.length > 0 || !variablesKnown(analysis)) return [];
    const example = variableText(ctx.config.templateFormat, freshInputName(ctx));
    const langchain = analysis.memoryKey !== undefined
      ? ', and ConversationBufferMemory raises `One input key expected got []` when it saves the turn'
      : '';
    return [{
      span: firstLine(ctx),
      message: `No template variable receives the user's input (every variable is the memory key or a partial), so the input never reaches the model${langchain}. Add a variable such as \`${example}\` where the user's message belongs.`,
    }];
  },
  fixes(ctx, diagnostic) {
    if (analyze(ctx).free.length > 0) return [];
    const name = freshInputName(ctx);
    const title = `Add \`${variableText(ctx.config.templateFormat, name)}\` for the user's input`;
    return [quickFix(ctx, title, [insertInputVariableEdit(ctx, name)], diagnostic, true)];
  },
};

/** The first non-blank line of the body (a chat's first header, a completion's first text line). */
function firstLine(ctx: PromptContext): Span {
  const body = ctx.prompt.body;
  const start = body.kind === 'chat' ? (body.messages[0]?.span.start ?? body.span.start) : body.template.span.start;
  return { start, end: lineEndOf(ctx.prompt.text, start) };
}
