// Section chain: one chat turn, ours against LangChain.js and against the floor (bench/chainSides.ts
// says exactly what each does), on the issue's two examples, with 10 to 100,000 stored turns, the
// conversation kept in memory or opened fresh from its file, and every request serialized as the openai
// SDK serializes it. Then a curve per shape (N, 2N, 4N, 8N stored turns) with the growth per doubling:
// linear is 2.0.
//
// Figures are medians; the contenders of one row are measured interleaved, round by round, so the load
// of a shared machine weighs on all alike, and so are the four lengths of the curve. "kept, first turn" is the first turn on a conversation just
// built in memory (ours builds its rendered history then); "kept" is the turns after it; every "fresh"
// turn opens the conversation from disk, so it has no first/later split.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Turn } from '../core/chain/types';
import { encodeRecord } from '../core/memory/records';
import { openConversation } from '../core/memory/store';
import {
  floorFresh, floorKept, langchainFresh, langchainKept, oursFresh, oursKept, oursSetup, sink,
  type ApiName, type Stored, type Turner,
} from './chainSides';
import { formatMs, median } from './lib';

const TABLE_SIZES = [10, 1_000, 10_000, 100_000];
const CURVE_SIZES = [12_500, 25_000, 50_000, 100_000];
const APIS: ApiName[] = ['completion', 'chat'];
const EXAMPLES: Record<ApiName, string> = { completion: 'examples/chatbot-completion.prompt', chat: 'examples/chatbot-chat.prompt' };
const SIDES = ['ours', 'LangChain.js', 'floor'] as const;
type Side = (typeof SIDES)[number];
type Shape = 'kept' | 'kept, first turn' | 'fresh';
const SHAPES: Shape[] = ['kept', 'kept, first turn', 'fresh'];

/** Timed rounds per figure: fewer for long conversations, whose turns are long enough to time well. */
function roundsFor(turns: number): number {
  if (turns <= 10) return 300;
  if (turns <= 1_000) return 60;
  if (turns <= 10_000) return 15;
  return 5;
}

/**
 * A short exchange (about 120 bytes a record): the engines' work per message shows, not only the bytes
 * every side copies alike. The request at 100,000 turns is still about 9 MB.
 */
function storedTurn(i: number): Turn {
  return { input: `Question ${i}: how are you today?`, output: `Answer ${i}: fine, thank you for asking.` };
}

type Figures = Record<Side, Record<Shape, number>>;

class Conversations {
  readonly root = mkdtempSync(join(tmpdir(), 'prompt-chain-bench-chain-'));
  private readonly turns: Turn[] = [];

  /** The first `count` turns in memory, and written as the store's JSONL file for `api`'s example. */
  stored(api: ApiName, count: number, memory: ReturnType<typeof oursSetup>['memory']): Stored {
    while (this.turns.length < count) this.turns.push(storedTurn(this.turns.length));
    const turns = this.turns.slice(0, count);
    const workspaceRoot = join(this.root, `${api}-${count}`);
    const filePath = join(workspaceRoot, 'chatbot.prompt');
    const stateDir = join(workspaceRoot, 'state');
    const { recordsPath } = openConversation({ stateDir, workspaceRoot, filePath, memory });
    mkdirSync(dirname(recordsPath), { recursive: true });
    writeFileSync(recordsPath, turns.map((turn) => encodeRecord(turn)).join(''));
    return { turns, stateDir, workspaceRoot, filePath, recordsPath };
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** One side at one length: what the timed turns of each shape run. */
interface Cell {
  turns: number;
  side: Side;
  /** Builds a kept conversation (untimed) and hands back its turn. */
  kept: () => Turner;
  fresh: Turner;
}

function cells(api: ApiName, stored: Stored): Cell[] {
  const ours = oursSetup(readFileSync(EXAMPLES[api], 'utf8'));
  const turns = stored.turns.length;
  return [
    { turns, side: 'ours', kept: () => oursKept(ours, stored), fresh: oursFresh(ours, stored) },
    { turns, side: 'LangChain.js', kept: () => langchainKept(api, stored), fresh: langchainFresh(api, stored) },
    { turns, side: 'floor', kept: () => floorKept(api, stored), fresh: floorFresh(api, stored) },
  ];
}

/** From this length on, a turn leaves megabytes of garbage behind. */
const COLLECT_FROM = 10_000;

/**
 * Long conversations' turns each start on a collected heap (`npm run bench` runs node with --expose-gc):
 * the garbage one side left is not collected on another side's clock. What a turn allocates is still
 * collected on its own. (Short ones are not: a full collection would take longer than their turns.)
 */
async function timed(cell: Cell, turn: Turner): Promise<number> {
  if (cell.turns >= COLLECT_FROM) (globalThis as { gc?: () => void }).gc?.();
  const t0 = performance.now();
  await turn();
  return performance.now() - t0;
}

/** First turns each need a new conversation built (untimed): a few of them. */
const FIRST_TURNS = 5;

/**
 * Kept, first turn: a conversation just built in memory, its first turn timed. Kept: each cell keeps one
 * conversation and runs turn after turn on it. A conversation grows by a turn each round, so short ones
 * are replaced (untimed, first turn untimed too) before they grow by 2 %: the length stays the one named.
 */
async function keptFigures(group: readonly Cell[], rounds: number): Promise<{ first: number[]; later: number[] }> {
  const firsts = group.map((): number[] => []);
  for (let round = 0; round < FIRST_TURNS; round++) {
    for (const [i, cell] of group.entries()) firsts[i]!.push(await timed(cell, cell.kept()));
  }
  const laters = group.map((): number[] => []);
  const live: ({ turn: Turner; used: number } | undefined)[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const [i, cell] of group.entries()) {
      let current = live[i];
      if (!current || current.used >= Math.max(2, Math.floor(cell.turns / 50))) {
        current = live[i] = { turn: cell.kept(), used: 1 };
        await current.turn();
      }
      laters[i]!.push(await timed(cell, current.turn));
      current.used++;
    }
  }
  return { first: firsts.map(median), later: laters.map(median) };
}

async function freshFigures(group: readonly Cell[], rounds: number): Promise<number[]> {
  const times = group.map((): number[] => []);
  for (let round = 0; round < rounds; round++) {
    for (const [i, cell] of group.entries()) times[i]!.push(await timed(cell, cell.fresh));
  }
  return times.map(median);
}

/**
 * Every side at every length of `lengths`, measured interleaved round by round (so a curve's points see
 * the same machine); figures keyed `${api}:${turns}`.
 */
async function measureGroup(api: ApiName, conversations: Conversations, lengths: readonly number[], results: Map<string, Figures>): Promise<void> {
  const { memory } = oursSetup(readFileSync(EXAMPLES[api], 'utf8'));
  const group = lengths.flatMap((turns) => cells(api, conversations.stored(api, turns, memory)));
  const rounds = Math.min(...lengths.map(roundsFor));
  const kept = await keptFigures(group, rounds);
  const fresh = await freshFigures(group, rounds);
  for (const [i, cell] of group.entries()) {
    const figures = results.get(`${api}:${cell.turns}`) ?? ({} as Figures);
    figures[cell.side] = { kept: kept.later[i]!, 'kept, first turn': kept.first[i]!, fresh: fresh[i]! };
    results.set(`${api}:${cell.turns}`, figures);
  }
}

/** Both libraries' code JIT-compiled before anything is timed: turns of each shape at 1,000 turns. */
async function warmUp(conversations: Conversations): Promise<void> {
  for (const api of APIS) await measureGroup(api, conversations, [1_000], new Map());
}

/** The three sides must send the same bytes, or the comparison is not of equal work. */
async function checkSameRequests(conversations: Conversations): Promise<void> {
  for (const api of APIS) {
    const { memory } = oursSetup(readFileSync(EXAMPLES[api], 'utf8'));
    const bodies = new Set<string>();
    sink.keep = true;
    for (const cell of cells(api, conversations.stored(api, 3, memory))) {
      await cell.kept()();
      bodies.add(sink.last);
      await cell.fresh();
      bodies.add(sink.last);
    }
    sink.keep = false;
    if (bodies.size !== 1) throw new Error(`bench chain: the ${api} request bodies differ between sides:\n${[...bodies].join('\n')}`);
  }
}

const ratio = (a: number, b: number) => `${(a / b).toFixed(1)}x`;
const count = (turns: number) => turns.toLocaleString('en');

function printTable(results: Map<string, Figures>): void {
  console.log('\n## chain: one turn, request body serialized as the openai SDK does (JSON.stringify, or the adapter string) and encoded, in-process scripted model');
  console.log(`  ${'api, shape'.padEnd(30)}${'turns'.padStart(8)}${'ours'.padStart(11)}${'LangChain.js'.padStart(14)}${'floor'.padStart(11)}${'LC/ours'.padStart(9)}${'ours/floor'.padStart(12)}`);
  for (const api of APIS) {
    for (const shape of SHAPES) {
      for (const turns of TABLE_SIZES) {
        const f = results.get(`${api}:${turns}`)!;
        const ours = f.ours[shape];
        const lc = f['LangChain.js'][shape];
        const floor = f.floor[shape];
        console.log(`  ${`${api}, ${shape}`.padEnd(30)}${count(turns).padStart(8)}${formatMs(ours).padStart(11)}${formatMs(lc).padStart(14)}${formatMs(floor).padStart(11)}${ratio(lc, ours).padStart(9)}${ratio(ours, floor).padStart(12)}`);
      }
    }
  }
  console.log('  targets: LC/ours >= 2x at every size, kept and fresh; ours/floor <= 1.5x at 100,000 turns');
}

function printCurves(results: Map<string, Figures>): void {
  console.log(`\n## chain: growth per doubling of the stored turns (${CURVE_SIZES.map(count).join(', ')}; linear = 2.0, target <= 2.2)`);
  for (const api of APIS) {
    for (const shape of SHAPES) {
      for (const side of SIDES) {
        const times = CURVE_SIZES.map((turns) => results.get(`${api}:${turns}`)![side][shape]);
        const growth = times.slice(1).map((t, i) => t / times[i]!);
        const cells = times.map((t) => formatMs(t).padStart(10)).join('');
        console.log(`  ${`${api}, ${shape}, ${side}`.padEnd(40)}${cells}   per doubling ${growth.map((g) => g.toFixed(2)).join(' ')}   max ${Math.max(...growth).toFixed(2)}`);
      }
    }
  }
}

export async function benchChain(): Promise<void> {
  const conversations = new Conversations();
  try {
    await checkSameRequests(conversations);
    await warmUp(conversations);
    const results = new Map<string, Figures>();
    // The table's shorter lengths one at a time; the curve's lengths (the table's 100,000 among them) together.
    for (const turns of TABLE_SIZES.filter((turns) => !CURVE_SIZES.includes(turns))) {
      for (const api of APIS) await measureGroup(api, conversations, [turns], results);
    }
    for (const api of APIS) await measureGroup(api, conversations, CURVE_SIZES, results);
    printTable(results);
    printCurves(results);
  } finally {
    conversations.remove();
  }
}
