// "Did you mean": which provided name (memory key, input key, partial) a template variable most likely
// meant. LangChain only ever matches names exactly, so `{history}` against memory key `chat_history`, or
// `{chat_history }` with a space, silently becomes a missing input; these are the near misses worth naming.

import { editDistance } from '../../core/format/didYouMean';

/** Names people give the conversation history variable (compared after `normalize`). */
const historyNames = new Set([
  'history',
  'chathistory',
  'conversation',
  'conversationhistory',
  'memory',
  'chatmemory',
  'messages',
  'chatmessages',
  'pastmessages',
  'previousmessages',
  'historymessages',
  'dialogue',
  'dialog',
  'transcript',
  'chatlog',
  'buffer',
]);

export interface ProvidedNames {
  readonly memoryKey?: string;
  readonly inputKey?: string;
  readonly partials: Iterable<string>;
}

export interface NameSuggestion {
  readonly name: string;
  /** Lower is closer: 0 differs only in case, spaces or separators. */
  readonly distance: number;
}

/** Case, surrounding spaces and `_`/`-` separators: differences LangChain does not forgive but people make. */
export function normalize(name: string): string {
  return name.toLowerCase().replace(/[\s_-]+/g, '');
}

/** A Python identifier: what a memory key or input key can sensibly be set to. */
export function isIdentifier(name: string): boolean {
  return /^[\p{L}_][\p{L}\p{N}_]*$/u.test(name);
}

export function looksLikeHistory(name: string): boolean {
  return historyNames.has(normalize(name));
}

/** Names longer than this (normalized) are never taken for typos: nobody misspells a 64-character name. */
const maxTypoLength = 64;
/** Partials compared with one name at most: bounds the work when a file declares thousands of them. */
const maxCandidates = 32;

/** The provided name `name` most likely meant, or undefined when none is close. */
export function suggestName(name: string, provided: ProvidedNames): NameSuggestion | undefined {
  return nameMatcher(provided)(name);
}

interface Candidate {
  readonly name: string;
  readonly normalized: string;
  /** Declaration order: the first declared wins a tie. */
  readonly order: number;
}

/**
 * `suggestName` for many names against the same provided names: each provided name is normalized once,
 * and the partials are indexed by their digits and length, so a name is compared only with the few
 * partials that could be one typo away (at most `maxCandidates`) — linear in the number of variables.
 */
export function nameMatcher(provided: ProvidedNames): (name: string) => NameSuggestion | undefined {
  const partials = indexPartials(provided.partials);
  return (name) => {
    let best: NameSuggestion | undefined;
    let bestOrder = Infinity;
    const consider = (target: string | undefined, distance: number | undefined, order: number): void => {
      if (target === undefined || target === name || distance === undefined) return;
      if (!best || distance < best.distance || (distance === best.distance && order < bestOrder)) {
        best = { name: target, distance };
        bestOrder = order;
      }
    };
    if (provided.memoryKey !== undefined) consider(provided.memoryKey, memoryDistance(name, provided.memoryKey), -2);
    if (provided.inputKey !== undefined) consider(provided.inputKey, typoDistance(name, provided.inputKey), -1);
    const normalized = normalize(name);
    for (const candidate of partialCandidates(partials, normalized)) {
      consider(candidate.name, closeTypoDistance(normalized, candidate.normalized), candidate.order);
    }
    return best;
  };
}

function indexPartials(partials: Iterable<string>): Map<string, Candidate[]> {
  const index = new Map<string, Candidate[]>();
  let order = 0;
  for (const name of partials) {
    const normalized = normalize(name);
    if (normalized.length > maxTypoLength) continue;
    const key = bucket(digitsOf(normalized), normalized.length);
    const list = index.get(key);
    const candidate = { name, normalized, order: order++ };
    if (list) list.push(candidate);
    else index.set(key, [candidate]);
  }
  return index;
}

/** The partials with the same digits and a length at most two apart: the only ones a typo can reach. */
function partialCandidates(index: ReadonlyMap<string, readonly Candidate[]>, normalized: string): Candidate[] {
  if (index.size === 0 || normalized.length > maxTypoLength) return [];
  const digits = digitsOf(normalized);
  const found: Candidate[] = [];
  for (const delta of [0, -1, 1, -2, 2]) {
    for (const candidate of index.get(bucket(digits, normalized.length + delta)) ?? []) {
      if (found.length === maxCandidates) return found;
      found.push(candidate);
    }
  }
  return found;
}

function bucket(digits: string, length: number): string {
  return `${digits}\0${length}`;
}

/** The digits of a name in order: `example_1_input` and `example_2_input` are siblings, not typos. */
function digitsOf(name: string): string {
  let digits = '';
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code >= 48 && code <= 57) digits += name[i];
  }
  return digits;
}

/** A typo of the memory key, or any history-like name while memory is on (`{history}` for `chat_history`). */
function memoryDistance(name: string, memoryKey: string): number | undefined {
  const typo = typoDistance(name, memoryKey);
  if (typo !== undefined) return typo;
  if (sharesWordEdge(normalizedWords(name), normalizedWords(memoryKey))) return 5;
  return looksLikeHistory(name) ? 10 : undefined;
}

/**
 * Edit distance of the normalized names when small for their length, else undefined. Names whose digits
 * differ (`example_1_input`, `example_0_input`; `input2`, `input`) are different names, never typos.
 */
export function typoDistance(name: string, target: string): number | undefined {
  return normalizedTypoDistance(normalize(name), normalize(target));
}

function normalizedTypoDistance(a: string, b: string): number | undefined {
  if (a === b) return 0;
  if (a.length > maxTypoLength || b.length > maxTypoLength || digitsOf(a) !== digitsOf(b)) return undefined;
  return closeTypoDistance(a, b);
}

/** `normalizedTypoDistance` for names already known to have the same digits and a sensible length. */
function closeTypoDistance(a: string, b: string): number | undefined {
  if (a === b) return 0;
  const allowed = Math.min(a.length, b.length) >= 8 ? 2 : Math.min(a.length, b.length) >= 4 ? 1 : 0;
  if (allowed === 0 || Math.abs(a.length - b.length) > allowed) return undefined;
  const distance = editDistance(a, b, allowed);
  return distance <= allowed ? distance + 1 : undefined;
}

function normalizedWords(name: string): string[] {
  return name.trim().toLowerCase().split(/[\s_-]+/).filter((word) => word !== '');
}

/** `history` vs `chat_history`: one name is the other's leading or trailing words. */
function sharesWordEdge(a: string[], b: string[]): boolean {
  const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a];
  if (shorter.length === 0 || shorter.length === longer.length) return false;
  const head = longer.slice(0, shorter.length).join('_');
  const tail = longer.slice(longer.length - shorter.length).join('_');
  const joined = shorter.join('_');
  return joined === head || joined === tail;
}

/**
 * When `written` is `meant` with whitespace around it (`chat_history ` for `chat_history`), what the extra
 * is — "a trailing space", "a leading space", "leading tabs and a trailing space" — else undefined. Such a
 * near miss is named for what it is: a generic "did you mean" hides a difference nobody can see.
 */
export function extraSpace(written: string, meant: string): string | undefined {
  if (written === meant || meant === '' || written.trim() !== meant) return undefined;
  const leading = written.slice(0, written.length - written.trimStart().length);
  const trailing = written.slice(written.trimEnd().length);
  const parts = [spaceText(leading, 'leading'), spaceText(trailing, 'trailing')].filter((part) => part !== '');
  return parts.join(' and ');
}

function spaceText(space: string, where: 'leading' | 'trailing'): string {
  if (space === '') return '';
  if (space === ' ') return `a ${where} space`;
  if (/^ +$/.test(space)) return `${where} spaces`;
  if (space === '\t') return `a ${where} tab`;
  return `${where} whitespace`;
}

/** "a trailing space" as a quick fix names it: "the trailing space". */
export function theSpace(extra: string): string {
  return extra.replace(/\ba (leading|trailing)\b/g, 'the $1');
}
