// What every variable rule needs to know, computed once per PromptContext: the template's variables in
// source order, what provides each (memory, the user's input, a partial) and which ones nothing provides.
// LLMChain's inputs are {input_key: input} plus the memory variables plus the partials; any other template
// variable is `Missing some input keys` at run time. Without `input_key`, LangChain takes the single
// variable that is neither memory, a partial nor `stop` as the input; when a second variable is a near miss
// of the memory key (`{history}` for `chat_history`), that near miss is the mistake, not the input.

import type { Template, VariableRef } from '../../core/format/model';
import type { PromptContext } from '../context';
import { nameMatcher, type NameSuggestion } from './names';

/** LLMChain passes an input named `stop` to the model as its stop sequences. */
export const reservedVariable = 'stop';

export interface VariableAnalysis {
  readonly templates: readonly Template[];
  /** Every `{name}` in the body, in source order, each once. */
  readonly refs: readonly VariableRef[];
  /** Name -> its references; iteration order is first appearance. */
  readonly refsByName: ReadonlyMap<string, readonly VariableRef[]>;
  readonly memoryKey?: string;
  readonly partials: ReadonlySet<string>;
  /** `input_key` as written in the front matter. */
  readonly declaredInputKey?: string;
  /** Template variables the user's input could fill: not memory, not a partial, not `stop`. */
  readonly free: readonly string[];
  /** Free variables nothing provides, with the provided name each most likely meant. */
  readonly unprovided: ReadonlyMap<string, NameSuggestion | undefined>;
  /** The provided names that some unprovided variable looks like a misspelling of. */
  readonly nearMissTargets: ReadonlySet<string>;
  /** When `input_key` does not settle it: the free variables left once near misses are set aside. */
  readonly inputCandidates: readonly string[];
  /** False when a template has syntax errors: its variable list is then best-effort. */
  readonly complete: boolean;
  /** Nothing but whitespace in the body: a file being started, nothing to say about its variables yet. */
  readonly emptyBody: boolean;
  /**
   * False when the front matter is broken where it decides who provides what (YAML syntax, a misspelt or
   * misplaced memory / input / partial key, a bad value there): the defaults standing in for what was meant
   * would make every variable rule report the parser's problem a second time.
   */
  readonly configReliable: boolean;
}

const cache = new WeakMap<PromptContext, VariableAnalysis>();

export function analyze(ctx: PromptContext): VariableAnalysis {
  let analysis = cache.get(ctx);
  if (!analysis) {
    analysis = computeAnalysis(ctx);
    cache.set(ctx, analysis);
  }
  return analysis;
}

/** Whether rules that reason about who provides each variable can speak. */
export function variablesKnown(analysis: VariableAnalysis): boolean {
  return analysis.complete && !analysis.emptyBody && analysis.configReliable;
}

const brokenFrontMatter = new Set(['yaml-syntax', 'unclosed-front-matter', 'front-matter-not-a-map', 'duplicate-key']);
const providerKeys = new Set(['memory', 'input_key', 'input_variables', 'partial_variables', 'template_format', 'api']);

/** Memory and input settings written at the wrong level or misspelt (`memory_key:`, `memroy:`, `inputkey:`). */
const providerLike = /memory|memroy|input|partial|return_messages|^key$/i;

function configIsReliable(ctx: PromptContext): boolean {
  return !ctx.prompt.problems.some((problem) => {
    if (brokenFrontMatter.has(problem.code)) return true;
    const path = problem.data?.['path'];
    if (!Array.isArray(path)) return false;
    if (problem.code === 'unknown-key' && belongsToProvider(problem.data?.['moveTo'])) return true;
    if (problem.code !== 'unknown-key' || path.length !== 1) return providerKeys.has(String(path[0]));
    const suggestion = problem.data?.['suggestion'];
    return (typeof suggestion === 'string' && providerKeys.has(suggestion)) || providerLike.test(String(path[0]));
  });
}

/** A key written in the wrong block whose place is memory or input (`key:` under `parameters:`). */
function belongsToProvider(moveTo: unknown): boolean {
  return Array.isArray(moveTo) && providerKeys.has(String(moveTo[0]));
}

export function firstRef(analysis: VariableAnalysis, name: string): VariableRef | undefined {
  return analysis.refsByName.get(name)?.[0];
}

/** Whether a template variable nothing provides looks like a misspelling of `name` (unprovided-variable reports it). */
export function hasNearMiss(analysis: VariableAnalysis, name: string): boolean {
  return analysis.nearMissTargets.has(name);
}

function computeAnalysis(ctx: PromptContext): VariableAnalysis {
  const templates = templatesOf(ctx);
  const refs = collectRefs(ctx, templates);
  const refsByName = groupByName(refs);
  const memoryKey = ctx.config.memory?.key;
  const partials = new Set(Object.keys(ctx.config.partialVariables));
  const declaredInputKey = ctx.config.inputKey;
  const free = [...refsByName.keys()].filter((n) => n !== memoryKey && !partials.has(n) && n !== reservedVariable);
  const suggest = nameMatcher({ memoryKey, inputKey: declaredInputKey, partials });
  const suggestions = new Map<string, NameSuggestion | undefined>();
  for (const name of free) suggestions.set(name, suggest(name));
  const { unprovided, inputCandidates } = inputKeyTakesEffect(declaredInputKey, memoryKey, free, suggestions)
    ? { unprovided: new Map([...suggestions].filter(([name]) => name !== declaredInputKey)), inputCandidates: [] }
    : splitNearMisses(free, suggestions);
  return {
    templates,
    refs,
    refsByName,
    memoryKey,
    partials,
    declaredInputKey,
    free,
    unprovided,
    nearMissTargets: new Set([...unprovided.values()].flatMap((suggestion) => (suggestion ? [suggestion.name] : []))),
    inputCandidates,
    complete: templates.every((template) => template.problems.length === 0),
    emptyBody: templates.every((template) => template.source.trim() === ''),
    configReliable: configIsReliable(ctx),
  };
}

/**
 * Whether the other free variables are judged against `input_key`. When `input_key` is itself the mistake
 * (the memory key, or a name the template never uses and nothing misspells), its own rule reports it and
 * the variables are judged as if it were absent, so one mistake gives one diagnostic.
 */
function inputKeyTakesEffect(
  inputKey: string | undefined,
  memoryKey: string | undefined,
  free: readonly string[],
  suggestions: ReadonlyMap<string, NameSuggestion | undefined>,
): boolean {
  if (inputKey === undefined || inputKey === memoryKey) return false;
  return free.includes(inputKey) || [...suggestions.values()].some((suggestion) => suggestion?.name === inputKey);
}

/**
 * Without `input_key`: a lone free variable is the input, whatever its name. With several, the near misses
 * of provided names are the mistakes and the rest are input candidates; if every one is a near miss, only
 * the closest is taken for a mistake.
 */
function splitNearMisses(
  free: readonly string[],
  suggestions: ReadonlyMap<string, NameSuggestion | undefined>,
): { unprovided: Map<string, NameSuggestion | undefined>; inputCandidates: string[] } {
  if (free.length <= 1) return { unprovided: new Map(), inputCandidates: [...free] };
  let misses = free.filter((name) => suggestions.get(name) !== undefined);
  if (misses.length === free.length) misses = [closest(misses, suggestions)];
  const missed = new Set(misses);
  return {
    unprovided: new Map(misses.map((name) => [name, suggestions.get(name)])),
    inputCandidates: free.filter((name) => !missed.has(name)),
  };
}

function closest(names: readonly string[], suggestions: ReadonlyMap<string, NameSuggestion | undefined>): string {
  const distance = (name: string): number => suggestions.get(name)?.distance ?? Infinity;
  return names.reduce((best, name) => (distance(name) < distance(best) ? name : best));
}

function templatesOf(ctx: PromptContext): Template[] {
  const body = ctx.prompt.body;
  return body.kind === 'completion' ? [body.template] : body.messages.map((message) => message.template);
}

/** Template references plus placeholder variables, each once, in source order. */
function collectRefs(ctx: PromptContext, templates: readonly Template[]): readonly VariableRef[] {
  // One template (a completion prompt): its own list, not a copy of tens of thousands of references.
  const refs: readonly VariableRef[] = templates.length === 1 ? templates[0]!.variables : templates.flatMap((template) => template.variables);
  const body = ctx.prompt.body;
  if (body.kind !== 'chat') return refs;
  // The parser's placeholder variable is its template's own reference; add one only if it is not.
  const missing = body.messages.flatMap(({ placeholder, template }) =>
    placeholder && !template.variables.some((ref) => ref.nameSpan.start === placeholder.nameSpan.start) ? [placeholder] : [],
  );
  return missing.length === 0 ? refs : [...refs, ...missing].sort((a, b) => a.nameSpan.start - b.nameSpan.start);
}

function groupByName(refs: readonly VariableRef[]): Map<string, readonly VariableRef[]> {
  // One name used throughout (40,000 `{h}`): its references are all of them, without a copy.
  const first = refs[0];
  if (first && refs.every((ref) => ref.name === first.name)) return new Map([[first.name, refs]]);
  const byName = new Map<string, VariableRef[]>();
  for (const ref of refs) {
    const list = byName.get(ref.name);
    if (list) list.push(ref);
    else byName.set(ref.name, [ref]);
  }
  return byName;
}
