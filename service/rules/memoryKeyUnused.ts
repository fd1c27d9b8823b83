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
import { extraSpace, isIdentifier, theSpace } from './names';
import type { Rule, RuleFinding } from './rule';
import { insertMemoryVariableEdit, insertPlaceholderEdit, renameVariableEdits, variableText } from './templateEdits';

export const memoryKeyUnused: Rule = {
  code: 'memory-key-unused',
  severity: 'warning',
  check(ctx) {
    const analysis = analyze(ctx);
    const memoryKey = analysis.memoryKey;
    if (memoryKey === undefined || !variablesKnown(analysis) || analysis.refsByName.has(memoryKey)) return [];
    const spaced = spacedVariable(ctx, memoryKey);
    return [spaced ? spacedFinding(ctx, memoryKey, spaced) : finding(ctx, memoryKey, historyCandidates(ctx))];
  },
  fixes(ctx, diagnostic) {
    const memoryKey = dataString(diagnostic, 'memoryKey');
    if (memoryKey === undefined || memoryKey !== analyze(ctx).memoryKey) return [];
    const spaced = dataString(diagnostic, 'spaced');
    if (spaced !== undefined) return spacedFixes(ctx, diagnostic, memoryKey, spaced);
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
    ? `, or set memory.key to ${candidates.map((name) => `\`${name}\``).join(' or ')}`
    : written ? ', or set memory.key to the variable that should hold the history' : ', or write `memory: false` if this prompt needs no history';
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

/** A template variable that is the memory key but for whitespace around one of them (`{history}`, `key: "history "`). */
function spacedVariable(ctx: PromptContext, memoryKey: string): string | undefined {
  for (const [name, suggestion] of analyze(ctx).unprovided) {
    if (suggestion?.name === memoryKey && (extraSpace(name, memoryKey) ?? extraSpace(memoryKey, name))) return name;
  }
  return undefined;
}

/** Names the invisible difference, on whichever side the space is. */
function spacedFinding(ctx: PromptContext, memoryKey: string, spaced: string): RuleFinding {
  const format = ctx.config.templateFormat;
  const inKey = extraSpace(memoryKey, spaced);
  const message = inKey
    ? `The memory key \`${memoryKey}\` has ${inKey}, so the template's \`${variableText(format, spaced)}\` is not it: ConversationBufferMemory loads the history into \`${memoryKey}\` and LangChain silently leaves it out, so the model never sees earlier turns. Remove it from memory.key.`
    : `The memory key \`${memoryKey}\` is used nowhere in the template: \`${variableText(format, spaced)}\` has ${extraSpace(spaced, memoryKey) ?? 'extra whitespace'}, and LangChain matches names exactly, so ConversationBufferMemory loads the history into \`${memoryKey}\` and the model never sees earlier turns. Write \`${variableText(format, memoryKey)}\`.`;
  return { span: anchor(ctx), severity: memoryIsWritten(ctx) ? 'warning' : 'information', message, data: { memoryKey, spaced } };
}

/** Trim whichever name carries the space: the key in the front matter, or the variable everywhere it is written. */
function spacedFixes(ctx: PromptContext, diagnostic: Diagnostic, memoryKey: string, spaced: string): CodeAction[] {
  if (!analyze(ctx).refsByName.has(spaced)) return [];
  const inKey = extraSpace(memoryKey, spaced);
  if (inKey) {
    const edits = setFrontMatterValue(ctx, ['memory', 'key'], yamlScalar(spaced));
    return edits ? [quickFix(ctx, `Remove ${theSpace(inKey)} from memory.key`, edits, diagnostic, true)] : [];
  }
  const inVariable = extraSpace(spaced, memoryKey) ?? 'the whitespace';
  const title = `Remove ${theSpace(inVariable)} from \`${variableText(ctx.config.templateFormat, spaced)}\``;
  return [quickFix(ctx, title, renameVariableEdits(ctx, spaced, memoryKey), diagnostic, true)];
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
