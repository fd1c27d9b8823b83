// Every place a variable name is written: its `{uses}` in the templates and the front-matter entries that
// declare it (memory.key, input_key, input_variables, partial_variables). Definition, references and
// rename are all questions about this one list.

import type { Span } from '../../core/format/model';
import type { PromptContext } from '../context';
import { memoryDecl, memoryKeyOf, nameSpanIn, templateRefs, within } from './variables';

export type OccurrenceKind = 'use' | 'memoryKey' | 'inputKey' | 'inputVariable' | 'partial';

export interface Occurrence {
  readonly name: string;
  readonly kind: OccurrenceKind;
  /** The name alone, without braces or quotes: what rename replaces. */
  readonly span: Span;
}

export function declarations(ctx: PromptContext): Occurrence[] {
  const { text, frontMatter } = ctx.prompt;
  if (!frontMatter) return [];
  const found: Occurrence[] = [];
  const declare = (kind: OccurrenceKind, name: unknown, span: Span | undefined): void => {
    if (typeof name === 'string' && name !== '' && span) found.push({ name, kind, span: nameSpanIn(text, span, name) });
  };
  const memoryKey = memoryDecl(ctx.prompt)?.key;
  if (memoryKey && memoryKey.value === memoryKeyOf(ctx)) declare('memoryKey', memoryKey.value, memoryKey.span);
  declare('inputKey', frontMatter.inputKey?.value, frontMatter.inputKey?.span);
  for (const entry of frontMatter.inputVariables?.value ?? []) declare('inputVariable', entry.value, entry.span);
  for (const entry of frontMatter.partialVariables?.value ?? []) declare('partial', entry.name, entry.keySpan);
  return found;
}

export function uses(ctx: PromptContext): Occurrence[] {
  return templateRefs(ctx).map((ref) => ({ name: ref.name, kind: 'use', span: ref.nameSpan }));
}

export function occurrenceAt(ctx: PromptContext, offset: number): Occurrence | undefined {
  return [...uses(ctx), ...declarations(ctx)].find((occurrence) => within(occurrence.span, offset));
}

/** Declarations first, then uses, each in source order. */
export function occurrencesOf(ctx: PromptContext, name: string): Occurrence[] {
  const byPosition = (a: Occurrence, b: Occurrence): number => a.span.start - b.span.start;
  return [
    ...declarations(ctx).filter((o) => o.name === name).sort(byPosition),
    ...uses(ctx).filter((o) => o.name === name),
  ];
}
