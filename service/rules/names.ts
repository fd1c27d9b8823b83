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

/** The provided name `name` most likely meant, or undefined when none is close. */
export function suggestName(name: string, provided: ProvidedNames): NameSuggestion | undefined {
  let best: NameSuggestion | undefined;
  const consider = (target: string | undefined, distance: number | undefined): void => {
    if (target === undefined || target === name || distance === undefined) return;
    if (!best || distance < best.distance) best = { name: target, distance };
  };
  if (provided.memoryKey !== undefined) consider(provided.memoryKey, memoryDistance(name, provided.memoryKey));
  if (provided.inputKey !== undefined) consider(provided.inputKey, typoDistance(name, provided.inputKey));
  for (const partial of provided.partials) consider(partial, typoDistance(name, partial));
  return best;
}

/** A typo of the memory key, or any history-like name while memory is on (`{history}` for `chat_history`). */
function memoryDistance(name: string, memoryKey: string): number | undefined {
  const typo = typoDistance(name, memoryKey);
  if (typo !== undefined) return typo;
  if (sharesWordEdge(normalizedWords(name), normalizedWords(memoryKey))) return 5;
  return looksLikeHistory(name) ? 10 : undefined;
}

/** Edit distance of the normalized names when small for their length, else undefined. */
export function typoDistance(name: string, target: string): number | undefined {
  const a = normalize(name);
  const b = normalize(target);
  if (a === b) return 0;
  if (a.length > 64 || b.length > 64) return undefined;
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
