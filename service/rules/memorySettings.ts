// How the rules and the hover name each memory type: its LangChain class and what it keeps. Which types
// summarize or count tokens is the engine's to say (core/chain/memoryClasses/kinds.ts); the rule about a
// setting a type ignores is built here once for `k`, `max_token_limit` and the summarizer's settings.

import type { CodeAction, Diagnostic } from 'vscode-languageserver-types';
import type { FrontMatterField, Located, MemoryDecl, MemoryType, Span } from '../../core/format/model';
import type { PromptContext } from '../context';
import { countsTokens, summarizes } from '../../core/chain/memoryClasses/kinds';
import { dataString, quickFix } from './edits';
import { fieldAt, setFrontMatterValue } from './frontMatterEdits';
import { removeFrontMatterKey } from './frontMatterMoves';
import type { Rule, RuleFinding } from './rule';

export const langChainClass: Record<MemoryType, string> = {
  buffer: 'ConversationBufferMemory',
  buffer_window: 'ConversationBufferWindowMemory',
  summary: 'ConversationSummaryMemory',
  summary_buffer: 'ConversationSummaryBufferMemory',
  token_buffer: 'ConversationTokenBufferMemory',
};

/** What the type puts in the prompt, completing "ConversationBufferMemory …". */
export const whatItKeeps: Record<MemoryType, string> = {
  buffer: 'keeps every turn',
  buffer_window: 'keeps the last `k` turns',
  summary: 'keeps one running summary of the conversation',
  summary_buffer: 'keeps the latest messages within `max_token_limit` tokens and a summary of the older ones',
  token_buffer: 'keeps the latest messages within `max_token_limit` tokens and drops the older ones',
};

/** The memory settings only some types read, and which: the rest of the block means the same to every type. */
const readers: Readonly<Record<string, (type: MemoryType) => boolean>> = {
  k: (type) => type === 'buffer_window',
  max_token_limit: countsTokens,
  summary_prompt: summarizes,
  summary_model: summarizes,
  summary_parameters: summarizes,
};

/** Whether memory type `type` reads the memory setting `key` (for rules and completion alike). */
export function memoryTypeReads(type: MemoryType, key: string): boolean {
  return readers[key]?.(type) ?? true;
}

/** The memory block as written, when the file has one (not `memory: false`). */
export function memoryDecl(ctx: PromptContext): MemoryDecl | undefined {
  const memory = ctx.prompt.frontMatter?.memory;
  return memory && !('value' in memory) ? memory : undefined;
}

/** The memory type in effect: as written, else LangChain's default (ConversationBufferMemory). */
export function memoryTypeOf(ctx: PromptContext): MemoryType | undefined {
  return ctx.config.memory?.type;
}

/** A memory setting some types ignore: its front-matter key and where the declaration keeps it. */
export interface IgnorableSetting {
  readonly key: string;
  readonly of: (memory: MemoryDecl) => Located<unknown> | undefined;
}

/**
 * A rule reporting `settings` written under a memory type that does not read them, at the key; its fixes
 * remove the key (preferred) or set `memory.type` to each type in `typesThatUse`.
 */
export function ignoredSettingRule(options: {
  code: string;
  settings: readonly IgnorableSetting[];
  typesThatUse: readonly MemoryType[];
  /** " only applies to …" */
  appliesTo: string;
}): Rule {
  return {
    code: options.code,
    severity: 'warning',
    check(ctx) {
      const decl = memoryDecl(ctx);
      const type = memoryTypeOf(ctx);
      if (!decl || !type) return [];
      const findings: RuleFinding[] = [];
      for (const setting of options.settings) {
        const written = setting.of(decl);
        if (!written || memoryTypeReads(type, setting.key)) continue;
        findings.push({
          span: keySpanOf(written),
          message: `\`${setting.key}\` only applies to ${options.appliesTo}; ${langChainClass[type]} (\`type: ${type}\`) ignores it and ${whatItKeeps[type]}. Remove \`${setting.key}\`, or set \`memory.type\` to ${options.typesThatUse.map((t) => `\`${t}\``).join(' or ')}.`,
          data: { key: setting.key },
        });
      }
      return findings;
    },
    fixes(ctx, diagnostic) {
      return ignoredSettingFixes(ctx, diagnostic, options.typesThatUse);
    },
  };
}

function ignoredSettingFixes(ctx: PromptContext, diagnostic: Diagnostic, typesThatUse: readonly MemoryType[]): CodeAction[] {
  const key = dataString(diagnostic, 'key');
  const frontMatter = ctx.prompt.frontMatter;
  if (!key || !frontMatter) return [];
  const actions: CodeAction[] = [];
  const field: FrontMatterField | undefined = fieldAt(frontMatter, ['memory', key]);
  const removal = field && removeFrontMatterKey(ctx, field);
  if (removal) actions.push(quickFix(ctx, `Remove memory.${key}`, removal, diagnostic, true));
  for (const type of typesThatUse) {
    const edits = setFrontMatterValue(ctx, ['memory', 'type'], type);
    if (edits) actions.push(quickFix(ctx, `Set memory.type to “${type}”`, edits, diagnostic));
  }
  return actions;
}

function keySpanOf(written: Located<unknown>): Span {
  return written.keySpan ?? written.span;
}
