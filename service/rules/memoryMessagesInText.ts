// d. With `return_messages: true` the memory is a list of messages. Used inside a text template (a
// completion body or a system/human/ai message) LangChain pastes the list's Python repr
// (`[HumanMessage(content='…'), AIMessage(…)]`) into the text; Prompt Chain refuses to run it. The summary
// memories make the same list around their summary (`[SystemMessage(content='…')]`, then the kept messages).

import type { CodeAction } from 'vscode-languageserver-types';
import type { MemoryType, MessageDecl } from '../../core/format/model';
import type { PromptContext } from '../context';
import { analyze } from './analysis';
import { quickFix, replaceSpan } from './edits';
import { setFrontMatterValue } from './frontMatterEdits';
import type { Rule, RuleFinding } from './rule';
import { variableText } from './templateEdits';

export const memoryMessagesInText: Rule = {
  code: 'memory-messages-in-text',
  severity: 'error',
  check(ctx) {
    const memory = ctx.config.memory;
    if (!memory?.returnMessages || !analyze(ctx).configReliable) return [];
    const variable = variableText(ctx.config.templateFormat, memory.key);
    const advice = ctx.prompt.body.kind === 'chat'
      ? `Put \`${variable}\` alone under a \`placeholder:\` header, or set \`memory.return_messages: false\``
      : 'Set `memory.return_messages: false` (a completion prompt takes the memory as text)';
    const findings: RuleFinding[] = [];
    for (const template of textTemplates(ctx)) {
      for (const ref of template.variables) {
        if (ref.name !== memory.key) continue;
        findings.push({
          span: ref.span,
          message: `\`return_messages\` is true, so the memory is ${listOf(memory.type)}, but \`${variable}\` is in a text template: LangChain pastes the list's repr (\`${reprOf(memory.type)}\`) into the text. ${advice}.`,
          data: { memoryKey: memory.key },
        });
      }
    }
    return findings;
  },
  fixes(ctx, diagnostic) {
    const memory = ctx.config.memory;
    if (!memory?.returnMessages) return [];
    const actions: CodeAction[] = [];
    const message = messageAt(ctx, ctx.textDocument.offsetAt(diagnostic.range.start));
    if (message && message.template.source.trim() === variableText(ctx.config.templateFormat, memory.key) && message.header.value !== '') {
      actions.push(quickFix(ctx, 'Make this message a `placeholder:`', [replaceSpan(ctx, message.header.span, 'placeholder:')], diagnostic, true));
    }
    if (!placeholderHoldsMemory(ctx)) {
      const edits = setFrontMatterValue(ctx, ['memory', 'return_messages'], 'false');
      if (edits) actions.push(quickFix(ctx, 'Set memory.return_messages to false', edits, diagnostic, actions.length === 0));
    }
    return actions;
  },
};

/** What the memory variable holds with return_messages, per type. */
function listOf(type: MemoryType): string {
  if (type === 'summary') return 'a list holding one SystemMessage with the summary';
  if (type === 'summary_buffer') return 'a list of messages (a SystemMessage with the summary, then the kept messages)';
  return 'a list of messages';
}

function reprOf(type: MemoryType): string {
  if (type === 'summary') return "[SystemMessage(content='…')]";
  if (type === 'summary_buffer') return "[SystemMessage(content='…'), HumanMessage(content='…'), …]";
  return "[HumanMessage(content='…'), …]";
}

function textTemplates(ctx: PromptContext) {
  const body = ctx.prompt.body;
  if (body.kind === 'completion') return [body.template];
  return body.messages.filter((message) => message.role !== 'placeholder').map((message) => message.template);
}

function messageAt(ctx: PromptContext, offset: number): MessageDecl | undefined {
  const body = ctx.prompt.body;
  return body.kind === 'chat' ? body.messages.find((m) => m.template.span.start <= offset && offset <= m.template.span.end) : undefined;
}

/** Setting return_messages to false would break a placeholder that already takes the memory. */
function placeholderHoldsMemory(ctx: PromptContext): boolean {
  const body = ctx.prompt.body;
  const memoryKey = analyze(ctx).memoryKey;
  return body.kind === 'chat' && body.messages.some((message) => message.placeholder?.name === memoryKey);
}
