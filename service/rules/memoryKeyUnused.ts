// a. The memory key appears nowhere in the template: ConversationBufferMemory loads the history into a
// variable the prompt never shows, LangChain drops it without a word, and the model answers every turn
// as if it were the first.

import type { CodeAction, Diagnostic } from 'vscode-languageserver-types';
import type { Span } from '../../core/format/model';
import { lineEndOf } from '../../core/format/text';
import type { PromptContext } from '../context';
import { analyze, hasNearMiss, variablesKnown } from './analysis';
import { dataString, dataStrings, quickFix } from './edits';
import { setFrontMatterValue, yamlScalar } from './frontMatterEdits';
import { isIdentifier } from './names';
import type { Rule, RuleFinding } from './rule';
import { insertMemoryVariableEdit, insertPlaceholderEdit, variableText } from './templateEdits';

export const memoryKeyUnused: Rule = {
  code: 'memory-key-unused',
  severity: 'warning',
  check(ctx) {
    const analysis = analyze(ctx);
    const memoryKey = analysis.memoryKey;
    if (memoryKey === undefined || !variablesKnown(analysis) || analysis.refsByName.has(memoryKey)) return [];
    return [finding(ctx, memoryKey, historyCandidates(ctx))];
  },
  fixes(ctx, diagnostic) {
    const memoryKey = dataString(diagnostic, 'memoryKey');
    if (memoryKey === undefined || memoryKey !== analyze(ctx).memoryKey) return [];
    const candidates = dataStrings(diagnostic, 'candidates');
    const actions: CodeAction[] = candidates.flatMap((name) => setKeyAction(ctx, diagnostic, name, candidates.length === 1));
    const nearMiss = hasNearMiss(analyze(ctx), memoryKey);
    const insert = insertAction(ctx, diagnostic, memoryKey, candidates.length === 0 && !nearMiss);
    if (insert) actions.push(insert);
    if (!memoryIsWritten(ctx)) actions.push(...memoryOffAction(ctx, diagnostic));
    return actions;
  },
};

function finding(ctx: PromptContext, memoryKey: string, candidates: string[]): RuleFinding {
  const written = memoryIsWritten(ctx);
  const variable = variableText(ctx.config.templateFormat, memoryKey);
  const where = ctx.config.api === 'chat' && ctx.config.memory?.returnMessages
    ? `Add a \`placeholder:\` message holding \`${variable}\``
    : `Add \`${variable}\` where the conversation belongs`;
  const alternative = candidates.length > 0
    ? `, or set \`memory.key\` to ${candidates.map((name) => `\`${name}\``).join(' or ')}`
    : written ? ', or set `memory.key` to the variable that should hold the history' : ', or write `memory: false` if this prompt needs no history';
  const opening = written
    ? `The memory key \`${memoryKey}\` is used nowhere in the template`
    : `This prompt has conversation memory by default (key \`${memoryKey}\`) but the template never uses \`${variable}\``;
  return {
    span: anchor(ctx),
    severity: written ? 'warning' : 'information',
    message: `${opening}: ConversationBufferMemory loads the history into \`${memoryKey}\` and LangChain silently leaves it out, so the model never sees earlier turns. ${where}${alternative}.`,
    data: { memoryKey, candidates },
  };
}

/** Template variables that are near misses of the memory key: the memory could be pointed at them. */
function historyCandidates(ctx: PromptContext): string[] {
  const analysis = analyze(ctx);
  // A near miss that differs only in case or spaces is fixed by renaming it, not by adopting its spelling.
  const misses = [...analysis.unprovided]
    .filter(([, suggestion]) => suggestion !== undefined && suggestion.name === analysis.memoryKey && suggestion.distance > 0)
    .map(([name]) => name);
  return misses.filter(isIdentifier);
}

/** True when the file has a memory block (not just LangChain's default memory). */
function memoryIsWritten(ctx: PromptContext): boolean {
  return ctx.prompt.frontMatter?.fields.some((field) => field.path[0] === 'memory') ?? false;
}

/** The memory key as written, else the `memory:` key, else the front matter's opening line, else the first line. */
function anchor(ctx: PromptContext): Span {
  const frontMatter = ctx.prompt.frontMatter;
  const memory = frontMatter?.memory;
  if (memory && !('value' in memory) && memory.key) return memory.key.span;
  const memoryField = frontMatter?.fields.find((field) => field.path.length === 1 && field.path[0] === 'memory');
  if (memoryField) return memoryField.keySpan;
  const start = frontMatter?.span.start ?? ctx.prompt.body.span.start;
  return { start, end: lineEndOf(ctx.prompt.text, start) };
}

function setKeyAction(ctx: PromptContext, diagnostic: Diagnostic, name: string, preferred: boolean): CodeAction[] {
  const edits = setFrontMatterValue(ctx, ['memory', 'key'], yamlScalar(name));
  return edits ? [quickFix(ctx, `Set memory.key to \`${name}\``, edits, diagnostic, preferred)] : [];
}

function insertAction(ctx: PromptContext, diagnostic: Diagnostic, memoryKey: string, preferred: boolean): CodeAction | undefined {
  const variable = variableText(ctx.config.templateFormat, memoryKey);
  if (ctx.prompt.body.kind === 'completion') {
    const edit = insertMemoryVariableEdit(ctx, memoryKey);
    return edit && quickFix(ctx, `Insert \`${variable}\` into the template`, [edit], diagnostic, preferred);
  }
  const placeholder = insertPlaceholderEdit(ctx, memoryKey);
  if (!placeholder) return undefined;
  const returnMessages = ctx.config.memory?.returnMessages ? [] : setFrontMatterValue(ctx, ['memory', 'return_messages'], 'true');
  if (!returnMessages) return undefined;
  const title = `Insert a \`placeholder:\` message for \`${variable}\`${returnMessages.length > 0 ? ' (return_messages: true)' : ''}`;
  return quickFix(ctx, title, [...returnMessages, placeholder], diagnostic, preferred);
}

function memoryOffAction(ctx: PromptContext, diagnostic: Diagnostic): CodeAction[] {
  const edits = setFrontMatterValue(ctx, ['memory'], 'false');
  return edits ? [quickFix(ctx, 'Turn memory off (`memory: false`)', edits, diagnostic)] : [];
}
