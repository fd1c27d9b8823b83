// "Did you mean": which provided name (memory key, input key, partial) a template variable most likely
// meant. LangChain only ever matches names exactly, so `{history}` against memory key `chat_history`, or
// `{chat_history }` with a space, silently becomes a missing input; these are the near misses worth naming.

import { editDistance } from '../../core/format/didYouMean';
import { nameWords, normalizeName } from '../../core/text/nameWords';

/** Names people give the conversation history variable (compared after `normalizeName`). */
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

/** A Python identifier: what a memory key or input key can sensibly be set to. */
export function isIdentifier(name: string): boolean {
  return /^[\p{L}_][\p{L}\p{N}_]*$/u.test(name);
}

export function looksLikeHistory(name: string): boolean {
  return historyNames.has(normalizeName(name));
}

/** A provided name with what every comparison against it needs, worked out once. */
interface Target {
  readonly name: string;
  readonly normalized: string;
  readonly digits: string;
  /** Its words joined by `_` (../../core/text/nameWords.ts). */
  readonly words: string;
}

function target(name: string): Target {
  const normalized = normalizeName(name);
  return { name, normalized, digits: digitsOf(normalized), words: nameWords(name, '_') };
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
  const memoryKey = provided.memoryKey === undefined ? undefined : target(provided.memoryKey);
  const inputKey = provided.inputKey === undefined ? undefined : target(provided.inputKey);
  return (name) => {
    const normalized = normalizeName(name);
    const digits = digitsOf(normalized);
    let best: NameSuggestion | undefined;
    let bestOrder = Infinity;
    const consider = (target: string, distance: number | undefined, order: number): void => {
      if (target === name || distance === undefined) return;
      if (!best || distance < best.distance || (distance === best.distance && order < bestOrder)) {
        best = { name: target, distance };
        bestOrder = order;
      }
    };
    if (memoryKey) consider(memoryKey.name, memoryDistance(name, normalized, digits, memoryKey), -2);
    if (inputKey) consider(inputKey.name, normalizedTypoDistance(normalized, digits, inputKey.normalized, inputKey.digits), -1);
    for (const candidate of partialCandidates(partials, normalized, digits)) {
      consider(candidate.name, closeTypoDistance(normalized, candidate.normalized), candidate.order);
    }
    return best;
  };
}

function indexPartials(partials: Iterable<string>): Map<string, Candidate[]> {
  const index = new Map<string, Candidate[]>();
  let order = 0;
  for (const name of partials) {
    const normalized = normalizeName(name);
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
function partialCandidates(index: ReadonlyMap<string, readonly Candidate[]>, normalized: string, digits: string): readonly Candidate[] {
  if (index.size === 0 || normalized.length > maxTypoLength) return noCandidates;
  const found: Candidate[] = [];
  for (const delta of lengthDeltas) {
    for (const candidate of index.get(bucket(digits, normalized.length + delta)) ?? []) {
      if (found.length === maxCandidates) return found;
      found.push(candidate);
    }
  }
  return found;
}

const noCandidates: readonly Candidate[] = [];
/** Same length first, then one apart, then two: the order ties are broken in. */
const lengthDeltas = [0, -1, 1, -2, 2] as const;

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
function memoryDistance(name: string, normalized: string, digits: string, memoryKey: Target): number | undefined {
  const typo = normalizedTypoDistance(normalized, digits, memoryKey.normalized, memoryKey.digits);
  if (typo !== undefined) return typo;
  if (sharesWordEdge(nameWords(name, '_'), memoryKey.words)) return 5;
  return historyNames.has(normalized) ? 10 : undefined;
}

/**
 * Edit distance of the normalized names when small for their length, else undefined. Names whose digits
 * differ (`example_1_input`, `example_0_input`; `input2`, `input`) are different names, never typos.
 */
export function typoDistance(name: string, target: string): number | undefined {
  const a = normalizeName(name);
  const b = normalizeName(target);
  return normalizedTypoDistance(a, digitsOf(a), b, digitsOf(b));
}

/** For names already normalized, with their digits. */
function normalizedTypoDistance(a: string, aDigits: string, b: string, bDigits: string): number | undefined {
  if (a === b) return 0;
  if (a.length > maxTypoLength || b.length > maxTypoLength || aDigits !== bDigits) return undefined;
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

/** `history` vs `chat_history` (words joined by `_`): one name is the other's leading or trailing words. */
function sharesWordEdge(a: string, b: string): boolean {
  const aWords = wordCount(a);
  const bWords = wordCount(b);
  if (aWords === 0 || bWords === 0 || aWords === bWords) return false;
  const [shorter, longer] = aWords < bWords ? [a, b] : [b, a];
  const headEnds = longer.startsWith(shorter) && longer.charCodeAt(shorter.length) === 95;
  return headEnds || (longer.endsWith(shorter) && longer.charCodeAt(longer.length - shorter.length - 1) === 95);
}

function wordCount(words: string): number {
  if (words === '') return 0;
  let count = 1;
  for (let i = words.indexOf('_'); i >= 0; i = words.indexOf('_', i + 1)) count++;
  return count;
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
