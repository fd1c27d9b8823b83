// Section chain: one chat turn, ours against LangChain.js and against the floor (bench/chainSides.ts
// says exactly what each does), on the issue's two examples, with 10 to 100,000 stored turns, the
// conversation kept in memory or opened fresh from its file, and every request serialized as the openai
// SDK serializes it. Then a curve per shape (N, 2N, 4N, 8N stored turns) with the growth per doubling of
// every side: linear is 2.0, and the floor's growth beside ours tells the machine's share from the code's.
//
// Figures are medians; the contenders of one row are measured interleaved, round by round (the order
// reversed every other round), so the load of a shared machine weighs on all alike, and so are the four
// lengths of the curve. "kept, first turn" is the first turn on a conversation just built in memory
// (ours builds its rendered history then); "kept" is the turns after it; every "fresh" turn opens the
// conversation from disk, so it has no first/later split.

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
/**
 * The curve's lengths: large enough that the turn's own work dwarfs its fixed costs, small enough that the
 * request (90–720 KB) and what a turn allocates (a few MB) stay within the L3 cache and V8's young
 * generation. From about 12,500 turns on, a turn's tens of MB of survivors are copied and promoted by the
 * scavenger and the working set leaves the cache, at a cost per byte that changes with the length: there
 * the floor itself, which only parses and serializes, grew by up to 2.7–4.8 per doubling from run to run.
 */
const CURVE_SIZES = [1_000, 2_000, 4_000, 8_000];
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
  if (turns <= 10_000) return 21;
  return 9;
}

/** Timed rounds of each curve length: enough for a median that moves by a few percent at most. */
const CURVE_ROUNDS = 41;

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
    // The prompt file exists, as for every run of the CLI (the store resolves its real path).
    writeFileSync(filePath, readFileSync(EXAMPLES[api], 'utf8'));
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

/** From this length on, a turn leaves a megabyte or more of garbage behind. */
const COLLECT_FROM = 1_000;

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

/** First turns each need a new conversation built (untimed): as many as the later turns, up to 21. */
const firstTurnsFor = (rounds: number) => Math.min(rounds, 21);

/**
 * Kept, first turn: a conversation just built in memory, its first turn timed. Kept: each cell keeps one
 * conversation and runs turn after turn on it. A conversation grows by a turn each round, so short ones
 * are replaced (untimed, first turn untimed too) before they grow by 2 %: the length stays the one named.
 */
async function keptFigures(group: readonly Cell[], rounds: number): Promise<{ first: number[]; later: number[] }> {
  const firsts = group.map((): number[] => []);
  for (let round = 0; round < firstTurnsFor(rounds); round++) {
    for (const [i, cell] of inTurn(group, round)) firsts[i]!.push(await timed(cell, cell.kept()));
  }
  const laters = group.map((): number[] => []);
  const live: ({ turn: Turner; used: number } | undefined)[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const [i, cell] of inTurn(group, round)) {
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
    for (const [i, cell] of inTurn(group, round)) times[i]!.push(await timed(cell, cell.fresh));
  }
  return times.map(median);
}

/** The cells with their index, in order one round and reversed the next: no side always follows another. */
function inTurn(group: readonly Cell[], round: number): [number, Cell][] {
  const order = [...group.entries()];
  return round % 2 === 0 ? order : order.reverse();
}

/**
 * Every side at every length of `lengths`, measured interleaved round by round (so a curve's points see
 * the same machine); figures keyed `${api}:${turns}`.
 */
async function measureGroup(api: ApiName, conversations: Conversations, lengths: readonly number[], results: Map<string, Figures>, rounds = Math.min(...lengths.map(roundsFor))): Promise<void> {
  const { memory } = oursSetup(readFileSync(EXAMPLES[api], 'utf8'));
  const group = lengths.flatMap((turns) => cells(api, conversations.stored(api, turns, memory)));
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
  console.log(`  ${'api, shape'.padEnd(30)}${'turns'.padStart(8)}${'ours'.padStart(11)}${'LangChain.js'.padStart(14)}${'floor'.padStart(11)}${'LC/ours'.padStart(9)}${'ours/floor'.padStart(12)}${'LC/floor'.padStart(10)}`);
  for (const api of APIS) {
    for (const shape of SHAPES) {
      for (const turns of TABLE_SIZES) {
        const f = results.get(`${api}:${turns}`)!;
        const ours = f.ours[shape];
        const lc = f['LangChain.js'][shape];
        const floor = f.floor[shape];
        console.log(`  ${`${api}, ${shape}`.padEnd(30)}${count(turns).padStart(8)}${formatMs(ours).padStart(11)}${formatMs(lc).padStart(14)}${formatMs(floor).padStart(11)}${ratio(lc, ours).padStart(9)}${ratio(ours, floor).padStart(12)}${ratio(lc, floor).padStart(10)}`);
      }
    }
  }
  console.log('  targets: LC/ours >= 2x at every size, kept and fresh; ours/floor <= 1.5x at 100,000 turns');
  console.log('  LC/floor: the most LC/ours can be for a side that does at least the floor\'s work (a first turn serializes everything once)');
}

function printCurves(results: Map<string, Figures>): void {
  console.log(`\n## chain: growth per doubling of the stored turns (${CURVE_SIZES.map(count).join(', ')}; ${CURVE_ROUNDS} rounds, a collected heap before each turn; linear = 2.0, target for ours <= 2.2)`);
  for (const api of APIS) {
    for (const shape of SHAPES) {
      const growths = new Map<Side, number[]>();
      for (const side of ['ours', 'floor', 'LangChain.js'] as const) {
        const times = CURVE_SIZES.map((turns) => results.get(`${api}:${turns}`)![side][shape]);
        const growth = times.slice(1).map((t, i) => t / times[i]!);
        growths.set(side, growth);
        printCurveLine(`${api}, ${shape}, ${side}`, times.map((t) => formatMs(t)), growth);
      }
      // The floor's growth is the machine's (it only parses and serializes): ours beyond it is the code's.
      const beyond = growths.get('ours')!.map((g, i) => g / growths.get('floor')![i]!);
      printCurveLine(`${api}, ${shape}, ours ÷ floor growth`, CURVE_SIZES.map(() => ''), beyond);
    }
  }
}

function printCurveLine(label: string, cells: readonly string[], growth: readonly number[]): void {
  const figures = cells.map((cell) => cell.padStart(10)).join('');
  console.log(`  ${label.padEnd(44)}${figures}   per doubling ${growth.map((g) => g.toFixed(2)).join(' ')}   max ${Math.max(...growth).toFixed(2)}`);
}

export async function benchChain(): Promise<void> {
  const conversations = new Conversations();
  try {
    await checkSameRequests(conversations);
    await warmUp(conversations);
    // The table's lengths one at a time; the curve's together, interleaved, so its points see one machine.
    // The curve comes before the longest row: each of its many collections then walks a small heap.
    const results = new Map<string, Figures>();
    const curve = new Map<string, Figures>();
    for (const turns of TABLE_SIZES) {
      if (turns > Math.max(...CURVE_SIZES) && curve.size === 0) {
        for (const api of APIS) await measureGroup(api, conversations, CURVE_SIZES, curve, CURVE_ROUNDS);
      }
      for (const api of APIS) await measureGroup(api, conversations, [turns], results);
    }
    printTable(results);
    printCurves(curve);
  } finally {
    conversations.remove();
  }
}
