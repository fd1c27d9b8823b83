// d. A `placeholder:` is MessagesPlaceholder: it needs a list of messages. Bound to the memory key while
// `return_messages` is false, it receives the memory as one "Human: …\nAI: …" string and LangChain raises
// `variable chat_history should be a list of base messages, got … of type <class 'str'>`.

import { analyze } from './analysis';
import { quickFix } from './edits';
import { setFrontMatterValue } from './frontMatterEdits';
import type { Rule, RuleFinding } from './rule';

export const placeholderNeedsMessages: Rule = {
  code: 'placeholder-needs-messages',
  severity: 'error',
  check(ctx) {
    const memory = ctx.config.memory;
    const body = ctx.prompt.body;
    if (!memory || memory.returnMessages || body.kind !== 'chat' || !analyze(ctx).configReliable) return [];
    const findings: RuleFinding[] = [];
    for (const { placeholder } of body.messages) {
      if (placeholder?.name !== memory.key) continue;
      findings.push({
        span: placeholder.span,
        message: `This placeholder receives the memory, but \`return_messages\` is false, so the memory is one "Human: …\\nAI: …" string and LangChain raises \`variable ${memory.key} should be a list of base messages, got … of type <class 'str'>\`. Set \`memory.return_messages: true\`.`,
        data: { memoryKey: memory.key },
      });
    }
    return findings;
  },
  fixes(ctx, diagnostic) {
    if (!ctx.config.memory || ctx.config.memory.returnMessages || analyze(ctx).memoryKey === undefined) return [];
    const edits = setFrontMatterValue(ctx, ['memory', 'return_messages'], 'true');
    return edits ? [quickFix(ctx, 'Set memory.return_messages to true', edits, diagnostic, true)] : [];
  },
};
