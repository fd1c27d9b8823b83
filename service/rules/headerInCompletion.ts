// f. `api: completion` makes the body one PromptTemplate string: a `human:` or `system:` line in it is plain
// text sent to the completions endpoint, not a message. Worth saying once, quietly, because the same file
// without `api: completion` would be a chat prompt.

import type { Span } from '../../core/format/model';
import { linesBetween } from '../../core/format/text';
import { quickFix } from './edits';
import { setFrontMatterValue } from './frontMatterEdits';
import type { Rule } from './rule';

const exactHeader = /^(system|human|user|ai|assistant|placeholder):$/;

export const headerInCompletion: Rule = {
  code: 'header-in-completion',
  severity: 'information',
  check(ctx) {
    const body = ctx.prompt.body;
    if (body.kind !== 'completion' || ctx.prompt.frontMatter?.api?.value !== 'completion') return [];
    return headerLines(ctx.prompt.text, body.template.span).map((span) => ({
      span,
      message: `\`api: completion\` sends the body as one text prompt, so \`${ctx.prompt.text.slice(span.start, span.end)}\` here is plain text, not a message header. Remove \`api: completion\` (or set \`api: chat\`) to make it a chat prompt with messages.`,
    }));
  },
  fixes(ctx, diagnostic) {
    const edits = setFrontMatterValue(ctx, ['api'], 'chat');
    return edits ? [quickFix(ctx, 'Set api to chat', edits, diagnostic)] : [];
  },
};

function headerLines(text: string, span: Span): Span[] {
  const found: Span[] = [];
  for (const line of linesBetween(text, span.start, span.end)) {
    const end = Math.min(line.end, span.end);
    const length = end - line.start;
    if (length >= 3 && length <= 12 && exactHeader.test(text.slice(line.start, end))) found.push({ start: line.start, end });
  }
  return found;
}
