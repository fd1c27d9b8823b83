// Where each template variable's value comes from at run time, decided the way LLMChain decides it:
// memory variables override the user's inputs, which override partials; the input key is `input_key`,
// else the one free variable left, decided by the engine's own function (core/chain/inputKey.ts
// chooseInputKey), so the editor never predicts another input than the turn takes. Which variable is a
// near miss comes from the diagnostics' own analysis, so a variable is never coloured "input" while a
// diagnostic calls it missing.
// Shared by hover, completion, semantic tokens and rename.

import type { MemoryDecl, PromptDocument, Span, VariableRef } from '../../core/format/model';
import type { PromptContext } from '../context';
import { chooseInputKey } from '../../core/chain/inputKey';
import { analyze, reservedVariable } from '../rules/analysis';

export type VariableSource = 'memory' | 'input' | 'partial' | 'unprovided';

export { reservedVariable };

/** Every `{name}` in the body, in source order, each once (placeholders included). */
export function templateRefs(ctx: PromptContext): readonly VariableRef[] {
  return analyze(ctx).refs;
}

/** The `{uses}` of one variable, in source order; undefined when the template has none. */
export function templateRefsNamed(ctx: PromptContext, name: string): readonly VariableRef[] | undefined {
  return analyze(ctx).refsByName.get(name);
}

/** Each template variable once, in order of first use. */
export function templateVariableNames(ctx: PromptContext): string[] {
  return [...analyze(ctx).refsByName.keys()];
}

export function memoryKeyOf(ctx: PromptContext): string | undefined {
  return ctx.config.memory?.key;
}

export function partialNames(ctx: PromptContext): Set<string> {
  return new Set(Object.keys(ctx.config.partialVariables ?? {}));
}

/** Template variables the user's input could fill: not memory, not a partial, not `stop`. */
export function freeVariables(ctx: PromptContext): readonly string[] {
  return analyze(ctx).free;
}

/**
 * `input_key`, else the one free variable left once near misses of provided names (`{history}` for memory
 * key `chat_history`) are set aside; undefined when LangChain could not choose one.
 */
export function inputKeyOf(ctx: PromptContext): string | undefined {
  // The engine's decider; the near misses it is told about are error diagnostics, on which no turn runs.
  return chooseInputKey(ctx.prompt.body, ctx.config, new Set(analyze(ctx).unprovided.keys()));
}

/** The provided name an unprovided variable most likely meant (`chat_history` for `{history}`). */
export function meantName(ctx: PromptContext, name: string): string | undefined {
  return analyze(ctx).unprovided.get(name)?.name;
}

export function sourceOf(ctx: PromptContext, name: string): VariableSource {
  return variableSources(ctx)(name);
}

/** A classifier for many names at once: the input key is worked out once, not per variable. */
export function variableSources(ctx: PromptContext): (name: string) => VariableSource {
  const memoryKey = memoryKeyOf(ctx);
  const inputKey = inputKeyOf(ctx);
  const partials = partialNames(ctx);
  return (name) => {
    if (name === memoryKey) return 'memory';
    if (name !== reservedVariable && name === inputKey) return 'input';
    return partials.has(name) ? 'partial' : 'unprovided';
  };
}

export function within(span: Span, offset: number): boolean {
  return span.start <= offset && offset <= span.end;
}

/** The memory block as written, or undefined when absent or `memory: false`. */
export function memoryDecl(prompt: PromptDocument): MemoryDecl | undefined {
  const memory = prompt.frontMatter?.memory;
  return memory && !('value' in memory) ? memory : undefined;
}

/**
 * The span of `name` inside a front-matter scalar's span: a quoted value's span includes its quotes,
 * and rename must replace only the name.
 */
export function nameSpanIn(text: string, span: Span, name: string): Span {
  const index = text.slice(span.start, span.end).indexOf(name);
  return index < 0 ? span : { start: span.start + index, end: span.start + index + name.length };
}
