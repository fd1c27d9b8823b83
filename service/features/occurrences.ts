// Every place a variable name is written: its `{uses}` in the templates and the front-matter entries that
// declare it (memory.key, input_key, input_variables, partial_variables). Definition, references and
// rename are all questions about this one list.

import type { Span, VariableRef } from '../../core/format/model';
import type { PromptContext } from '../context';
import { memoryDecl, memoryKeyOf, nameSpanIn, templateRefs, templateRefsNamed, within } from './variables';

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
  return templateRefs(ctx).map(useOf);
}

function useOf(ref: VariableRef): Occurrence {
  return { name: ref.name, kind: 'use', span: ref.nameSpan };
}

/**
 * The occurrence whose name contains `offset` (its end included): a use first, else a declaration. Asked on
 * every hover, definition, rename and references: a binary search of the uses, which are in source order
 * and apart, rather than a pass over (and a copy of) all of them — a file can hold 50,000.
 */
export function occurrenceAt(ctx: PromptContext, offset: number): Occurrence | undefined {
  const refs = templateRefs(ctx);
  let low = 0;
  let high = refs.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (refs[mid]!.nameSpan.end < offset) low = mid + 1;
    else high = mid;
  }
  const ref = refs[low];
  if (ref && within(ref.nameSpan, offset)) return useOf(ref);
  return declarations(ctx).find((occurrence) => within(occurrence.span, offset));
}

/** Declarations first (unless only uses are asked for), then uses, each in source order; at most `limit`. */
export function occurrencesOf(ctx: PromptContext, name: string, options: { usesOnly?: boolean; limit?: number } = {}): Occurrence[] {
  const byPosition = (a: Occurrence, b: Occurrence): number => a.span.start - b.span.start;
  const declared = options.usesOnly ? [] : declarations(ctx).filter((o) => o.name === name).sort(byPosition);
  const limit = options.limit ?? Infinity;
  const used = templateRefsNamed(ctx, name) ?? [];
  const found = declared.slice(0, limit);
  for (let i = 0; i < used.length && found.length < limit; i++) found.push(useOf(used[i]!));
  return found;
}
