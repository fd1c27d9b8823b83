// Token counts of the stored conversation, computed once per stored turn and kept: the turn's own count
// with the turn (a WeakMap, so it goes with the turn), and a running total per conversation (per turn
// list: the store appends to the same array and starts a new one when cleared). Validating on a
// keystroke then costs nothing per stored turn, however long the conversation.
//
// Exact because of where the turns meet: in the buffer string ("Human: …\nAI: …" lines joined by `\n`)
// each turn's line with its line break ends right before the next line's human prefix, a safe cut
// (./safeCuts.ts) unless the prefix starts with whitespace or `/`; as messages, each turn's input and
// output are messages of their own.

import { getBufferString } from '../../core/chain/format';
import type { Turn } from '../../core/chain/types';
import type { EncodingName } from '../../core/tokens/contextWindows';
import { isSafeCut } from '../../core/tokens/safeCuts';
import type { Steps } from '../../core/steps';
import { countSteps, type TokenCount } from '../../core/tokens/tokenCounter';

/** How turns are written into the buffer string (ConversationBufferMemory's prefixes). */
export interface BufferFormat {
  readonly humanPrefix: string;
  readonly aiPrefix: string;
}

/** The stored turns `turns[from..]`, as a prompt sees them (a buffer window shows only the last k). */
export interface TurnWindow {
  readonly turns: readonly Turn[];
  readonly from: number;
}

/** What a turn contributes: its buffer line followed by `\n`, or its input and output as two messages. */
export type TurnShape = { readonly kind: 'line'; readonly format: BufferFormat } | { readonly kind: 'messages' };

interface RunningTotal {
  /** tokens[i]: the tokens of turns[0..i) in this shape; inexact[i]: how many of those are estimates. */
  readonly tokens: number[];
  readonly inexact: number[];
  /** The last turn counted, to notice a list that was rewritten rather than appended to. */
  last: Turn | undefined;
}

const perTurn = new WeakMap<Turn, Map<string, TokenCount>>();
const perList = new WeakMap<readonly Turn[], Map<string, RunningTotal>>();

/** One turn's buffer line, exactly as ConversationBufferMemory writes it. */
export function turnLine(turn: Turn, format: BufferFormat): string {
  const messages = [
    { type: 'human', content: turn.input },
    { type: 'ai', content: turn.output },
  ] as const;
  return getBufferString(messages, format.humanPrefix, format.aiPrefix);
}

/** Whether a turn's line (with its `\n`) can be counted apart from the next line. */
export function linesCutApart(format: BufferFormat): boolean {
  return isSafeCut(`\n${format.humanPrefix}:`, 1);
}

/**
 * The tokens of the turns `window.turns[lo..to)` in `shape`: each line followed by its `\n`, or input and
 * output as separate texts. Undefined when the tokenizer is not installed. When the whole conversation is
 * in the prompt the count is a running total (constant time per keystroke); a buffer window adds up the
 * counts of its k turns, never counting the turns it leaves out.
 */
export function* turnsTokens(window: TurnWindow, lo: number, to: number, shape: TurnShape, encoding: EncodingName): Steps<TokenCount | undefined> {
  if (to <= lo) return { tokens: 0, exact: true };
  if (window.from > 0) return yield* sumOfTurns(window.turns, lo, to, shape, encoding);
  const total = runningTotal(window.turns, shape, encoding);
  while (total.tokens.length - 1 < to) {
    const i = total.tokens.length - 1;
    const turn = window.turns[i]!;
    const count = yield* turnTokens(turn, shape, encoding);
    if (!count) return undefined;
    // Another count of the same conversation may have run while this one paused, and added this turn.
    if (total.tokens.length - 1 !== i) continue;
    total.tokens.push(total.tokens[i]! + count.tokens);
    total.inexact.push(total.inexact[i]! + (count.exact ? 0 : 1));
    total.last = turn;
  }
  return { tokens: total.tokens[to]! - total.tokens[lo]!, exact: total.inexact[to] === total.inexact[lo] };
}

function* sumOfTurns(turns: readonly Turn[], from: number, to: number, shape: TurnShape, encoding: EncodingName): Steps<TokenCount | undefined> {
  let tokens = 0;
  let exact = true;
  for (let i = from; i < to; i++) {
    const count = yield* turnTokens(turns[i]!, shape, encoding);
    if (!count) return undefined;
    tokens += count.tokens;
    exact &&= count.exact;
  }
  return { tokens, exact };
}

function runningTotal(turns: readonly Turn[], shape: TurnShape, encoding: EncodingName): RunningTotal {
  let byShape = perList.get(turns);
  if (!byShape) perList.set(turns, (byShape = new Map()));
  const key = shapeKey(shape, encoding);
  let total = byShape.get(key);
  const counted = (total?.tokens.length ?? 1) - 1;
  // The store only appends; anything else means the list was rewritten: count it again.
  if (!total || counted > turns.length || (counted > 0 && turns[counted - 1] !== total.last)) {
    total = { tokens: [0], inexact: [0], last: undefined };
    byShape.set(key, total);
  }
  return total;
}

/** One turn's tokens in `shape`, counted the first time and then kept with the turn. */
function* turnTokens(turn: Turn, shape: TurnShape, encoding: EncodingName): Steps<TokenCount | undefined> {
  let counts = perTurn.get(turn);
  if (!counts) perTurn.set(turn, (counts = new Map()));
  const key = shapeKey(shape, encoding);
  const known = counts.get(key);
  if (known) return known;
  const count = shape.kind === 'line'
    ? yield* countSteps(`${turnLine(turn, shape.format)}\n`, encoding)
    : sum(yield* countSteps(turn.input, encoding), yield* countSteps(turn.output, encoding));
  if (count) counts.set(key, count);
  return count;
}

function sum(a: TokenCount | undefined, b: TokenCount | undefined): TokenCount | undefined {
  return a && b ? { tokens: a.tokens + b.tokens, exact: a.exact && b.exact } : undefined;
}

function shapeKey(shape: TurnShape, encoding: EncodingName): string {
  return shape.kind === 'line' ? `${encoding}\0line\0${shape.format.humanPrefix}\0${shape.format.aiPrefix}` : `${encoding}\0messages`;
}

/** What the turns weigh before any tokenizing: for the context-window rule's cheap bounds. */
export interface TurnStats {
  /** UTF-16 units of the inputs and outputs. */
  readonly chars: number;
  /** Of every `sampleStride`-th character of each input and output: how many are ASCII, how many not. */
  readonly asciiSamples: number;
  readonly otherSamples: number;
}

/** Every `sampleStride`-th character decides how much of a text is non-ASCII. */
export const sampleStride = 61;

interface StatsTotal {
  readonly chars: number[];
  readonly ascii: number[];
  readonly other: number[];
  last: Turn | undefined;
}

const statsPerList = new WeakMap<readonly Turn[], StatsTotal>();

/** The stats of `window.turns[from..]`, from running totals kept per turn list. */
export function turnStats(window: TurnWindow): TurnStats {
  const { turns, from } = window;
  let total = statsPerList.get(turns);
  const counted = (total?.chars.length ?? 1) - 1;
  if (!total || counted > turns.length || (counted > 0 && turns[counted - 1] !== total.last)) {
    total = { chars: [0], ascii: [0], other: [0], last: undefined };
    statsPerList.set(turns, total);
  }
  for (let i = total.chars.length - 1; i < turns.length; i++) {
    const turn = turns[i]!;
    const samples = sampleShares(turn.input, sampleShares(turn.output, { ascii: 0, other: 0 }));
    total.chars.push(total.chars[i]! + turn.input.length + turn.output.length);
    total.ascii.push(total.ascii[i]! + samples.ascii);
    total.other.push(total.other[i]! + samples.other);
    total.last = turn;
  }
  const to = turns.length;
  return {
    chars: total.chars[to]! - total.chars[from]!,
    asciiSamples: total.ascii[to]! - total.ascii[from]!,
    otherSamples: total.other[to]! - total.other[from]!,
  };
}

/** Adds the ASCII and other characters among every `sampleStride`-th character of `text` to `into`. */
export function sampleShares(text: string, into: { ascii: number; other: number }): { ascii: number; other: number } {
  for (let i = 0; i < text.length; i += sampleStride) {
    if (text.charCodeAt(i) < 128) into.ascii++;
    else into.other++;
  }
  return into;
}
