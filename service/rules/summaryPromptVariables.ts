// A custom `summary_prompt` whose variables are not exactly {summary} and {new_lines}. LangChain's
// ConversationSummaryMemory and ConversationSummaryBufferMemory check this when they are built
// (`validate_prompt_input_variables`) and raise before the first turn; the summarizer formats the
// prompt with exactly those two values, so any other variable could never be filled. The engine refuses
// such a memory with LangChain's error (core/chain/memoryClasses/summarize.ts); this rule quotes that very
// error and places it where the mistake is written.

import type { CodeAction, TextEdit } from 'vscode-languageserver-types';
import type { Located, VariableRef } from '../../core/format/model';
import { scanFString } from '../../core/format/fstring';
import { FileOffsets } from '../../core/format/text';
import { ChainError } from '../../core/chain/errors';
import { summarizes } from '../../core/chain/memoryClasses/kinds';
import { assertSummaryPrompt } from '../../core/chain/memoryClasses/summarize';
import { SUMMARY_PROMPT_VARIABLES } from '../../core/chain/memoryClasses/summaryPrompt';
import type { PromptContext } from '../context';
import { dataString, quickFix, replaceSpan } from './edits';
import { langChainClass, memoryDecl, memoryTypeOf } from './memorySettings';
import type { Rule, RuleFinding } from './rule';

const expected: readonly string[] = SUMMARY_PROMPT_VARIABLES;

export const summaryPromptVariables: Rule = {
  code: 'summary-prompt-variables',
  severity: 'error',
  check(ctx) {
    const written = memoryDecl(ctx)?.summaryPrompt;
    const type = memoryTypeOf(ctx);
    if (!written || !type || !summarizes(type)) return [];
    const error = refusal(written.value);
    if (error === undefined) return [];
    const template = scanFString(written.value, FileOffsets.from(0));
    if (template.problems.length > 0) return syntaxFindings(written, template.problems[0]!.message);
    const names = [...new Set(template.variables.map((ref) => ref.name))];
    const extra = names.filter((name) => !expected.includes(name)).sort();
    const missing = expected.filter((name) => !names.includes(name));
    const message = `${langChainClass[type]} raises \`${error}\` when it is built, before the first turn. ${advice(extra, missing)}`;
    const data = extra.length === 1 && missing.length === 1 ? { rename: extra[0], to: missing[0] } : undefined;
    const findings: RuleFinding[] = [];
    for (const ref of writtenRefs(ctx, written)) {
      if (extra.includes(ref.name)) findings.push({ span: ref.span, message, ...(data && { data }) });
    }
    // The message says everything once: at each variable to remove, else (only something missing) at the key.
    if (findings.length === 0) findings.push({ span: written.keySpan ?? written.span, message, ...(data && { data }) });
    return findings;
  },
  fixes(ctx, diagnostic) {
    const from = dataString(diagnostic, 'rename');
    const to = dataString(diagnostic, 'to');
    const written = memoryDecl(ctx)?.summaryPrompt;
    if (!from || !to || !written) return [];
    const edits: TextEdit[] = writtenRefs(ctx, written)
      .filter((ref) => ref.name === from)
      .map((ref) => replaceSpan(ctx, ref.nameSpan, to));
    const actions: CodeAction[] = [];
    if (edits.length > 0) actions.push(quickFix(ctx, `Rename {${from}} to {${to}} in summary_prompt`, edits, diagnostic, true));
    return actions;
  },
};

/** The engine's refusal of this summary prompt (LangChain's words), or undefined when it would run. */
function refusal(template: string): string | undefined {
  try {
    assertSummaryPrompt(template);
    return undefined;
  } catch (error) {
    if (error instanceof ChainError) return error.message;
    throw error;
  }
}

function advice(extra: readonly string[], missing: readonly string[]): string {
  const parts: string[] = [];
  if (extra.length > 0) parts.push(`remove ${extra.map((name) => `\`{${name}}\``).join(', ')} (the summarizer fills only the summary so far and the new lines)`);
  if (missing.length > 0) parts.push(`add ${missing.map((name) => `\`{${name}}\``).join(' and ')}`);
  const text = parts.join(' and ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

function syntaxFindings(written: Located<string>, problem: string): RuleFinding[] {
  const message = `\`summary_prompt\` is not a template LangChain can read: ${problem} The summary memory cannot be built.`;
  return [{ span: written.keySpan ?? written.span, message }];
}

/**
 * The variables as written in the file. The value YAML gives is what LangChain reads, but a quoted or block
 * scalar's text differs from it (quotes, indentation); a `{name}` is written the same in every style, so the
 * raw text of the value locates each one (a reference split by YAML folding is then not found, and the
 * finding falls back to the key).
 */
function writtenRefs(ctx: PromptContext, written: Located<string>): VariableRef[] {
  const { start, end } = written.span;
  return scanFString(ctx.prompt.text.slice(start, end), FileOffsets.from(start)).variables;
}
