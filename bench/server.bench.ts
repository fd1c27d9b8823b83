// The bundled language server (dist/server.js) over stdio, as an editor drives it: spawn to initialize
// result (at most 1.5x node alone starting `node -e 0` and exiting, measured interleaved in the same run:
// what the server adds to node's own start) — with the code cache of the compiled server in place (every start
// but the first, server/src/codeCache.ts) and without one (the first start after an install or an upgrade);
// and a keystroke in the 5,000-line `.prompt` (bench/largePrompt.ts) to its diagnostics (≤ 15 ms) — pulled
// (textDocument/diagnostic), and pushed with no debounce (diagnosticsDelayMs: 0). Edits are incremental, one
// character typed or deleted at the end of a line in the middle of the body, as an editor sends them. Last, the
// server's resident memory with the document open and validated.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileUri, LspClient, type LspClientOptions } from '../test/server/lspClient';
import { largePrompt } from './largePrompt';
import { median, report, type Sample } from './lib';
import { measureRounds } from './timed';

const SPAWNS = 20;
const SPAWN_WARMUP = 2;
const EDITS = 50;
const LINES = 5000;

/** Types a character at the end of a customer's question in the middle of the body, deletes it, and so on. */
class Typist {
  private version = 1;
  private readonly line: number;
  private readonly column: number;

  constructor(private readonly client: LspClient, readonly uri: string, text: string) {
    const lines = text.split('\n');
    this.line = lines.findIndex((line, index) => index >= lines.length / 2 && /\(case \d+\)$/.test(line));
    this.column = lines[this.line]!.length;
  }

  /** Sends the next keystroke; resolves with the document version it makes. */
  async keystroke(): Promise<number> {
    this.version++;
    const start = { line: this.line, character: this.column };
    const change = this.version % 2 === 0
      ? { range: { start, end: start }, text: '?' }
      : { range: { start, end: { line: this.line, character: this.column + 1 } }, text: '' };
    await this.client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: this.uri, version: this.version }, contentChanges: [change] });
    return this.version;
  }
}

class BenchWorkspace {
  readonly root = mkdtempSync(join(tmpdir(), 'prompt-chain-bench-server-'));
  readonly prompt = largePrompt(LINES);
  readonly uri: string;
  /** XDG_CACHE_HOME of every server here but the cold starts: the code cache the first start writes. */
  readonly cacheHome = join(this.root, 'cache');

  constructor() {
    const file = join(this.root, 'support-bot.prompt');
    writeFileSync(file, this.prompt.text);
    this.uri = fileUri(file);
  }

  options(extra: LspClientOptions = {}): LspClientOptions {
    return { workspaceFolder: this.root, ...extra, env: { XDG_CACHE_HOME: this.cacheHome, ...extra.env }, initializationOptions: { stateDir: join(this.root, 'state'), ...extra.initializationOptions } };
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

interface SpawnFigures {
  samples: Sample[];
  /** Medians of the per-round ratios to node alone, pair by pair, so a drift of the machine's speed cancels out. */
  warmRatio: number;
  coldRatio: number;
}

/** One server start, timed from spawn to the initialize result; the shutdown after it is not. */
async function timedStart(workspace: BenchWorkspace, cacheHome: string): Promise<number> {
  const t0 = performance.now();
  const client = await LspClient.start(workspace.options({ env: { XDG_CACHE_HOME: cacheHome } }));
  const elapsed = performance.now() - t0;
  await client.stop();
  return elapsed;
}

async function timedNodeAlone(): Promise<number> {
  const t0 = performance.now();
  await once(spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' }), 'exit');
  return performance.now() - t0;
}

/** A server start with no code cache: a new, empty XDG_CACHE_HOME (the cache it writes at exit is thrown away). */
async function timedColdStart(workspace: BenchWorkspace): Promise<number> {
  const cacheHome = mkdtempSync(join(workspace.root, 'cold-cache-'));
  try {
    return await timedStart(workspace, cacheHome);
  } finally {
    rmSync(cacheHome, { recursive: true, force: true });
  }
}

/** The first start writes the cache at exit; without one there the warm figure would be a cold one. */
async function writeCodeCache(workspace: BenchWorkspace): Promise<void> {
  await timedStart(workspace, workspace.cacheHome);
  const written = readdirSync(join(workspace.cacheHome, 'prompt-chain'), { withFileTypes: true }).filter((entry) => entry.name.endsWith('.cache'));
  if (written.length !== 1) throw new Error(`benchmark "spawn": the server wrote ${written.length} code caches in ${workspace.cacheHome}, expected one`);
}

/** Node alone, the server with its code cache, the server without: in turn, round by round. */
async function spawnToInitialize(workspace: BenchWorkspace): Promise<SpawnFigures> {
  await writeCodeCache(workspace);
  const rounds: { node: number; warm: number; cold: number }[] = [];
  for (let i = 0; i < SPAWN_WARMUP + SPAWNS; i++) {
    const round = { node: await timedNodeAlone(), warm: await timedStart(workspace, workspace.cacheHome), cold: await timedColdStart(workspace) };
    if (i >= SPAWN_WARMUP) rounds.push(round);
  }
  const sample = (name: string, pick: (round: (typeof rounds)[number]) => number): Sample => ({ name, medianMs: median(rounds.map(pick)), runs: rounds.length });
  return {
    samples: [
      sample('baseline: spawn `node -e 0` -> exit', (round) => round.node),
      sample('spawn -> initialize result (code cache in place)', (round) => round.warm),
      sample('spawn -> initialize result (no code cache: first start)', (round) => round.cold),
    ],
    warmRatio: median(rounds.map((round) => round.warm / round.node)),
    coldRatio: median(rounds.map((round) => round.cold / round.node)),
  };
}

async function pulled(workspace: BenchWorkspace): Promise<{ sample: Sample; rssKiB: number | undefined }> {
  const client = await LspClient.start(workspace.options({ pull: true }));
  try {
    await client.open(workspace.uri, workspace.prompt.text);
    await client.pulledDiagnostics(workspace.uri);
    const rssKiB = residentKiB(client.process.pid);
    const typist = new Typist(client, workspace.uri, workspace.prompt.text);
    const sample = await measureRounds('pull: didChange -> diagnostic report (target <= 15 ms)', EDITS, (time) =>
      time(async () => {
        await typist.keystroke();
        await client.pulledDiagnostics(workspace.uri);
      }));
    return { sample, rssKiB };
  } finally {
    await client.stop();
  }
}

async function pushed(workspace: BenchWorkspace): Promise<Sample> {
  const client = await LspClient.start(workspace.options({ initializationOptions: { diagnosticsDelayMs: 0 } }));
  try {
    await client.open(workspace.uri, workspace.prompt.text);
    await client.pushedDiagnostics(workspace.uri, 1);
    const typist = new Typist(client, workspace.uri, workspace.prompt.text);
    return await measureRounds('push, delay 0: didChange -> publishDiagnostics', EDITS, (time) =>
      time(async () => {
        const since = client.diagnostics.items.length;
        const version = await typist.keystroke();
        await client.pushedDiagnostics(workspace.uri, version, since);
      }));
  } finally {
    await client.stop();
  }
}

/** VmRSS of a process in KiB, from /proc (Linux only); undefined elsewhere. */
function residentKiB(pid: number | undefined): number | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
  return match ? Number(match[1]) : undefined;
}

export async function benchServer(): Promise<void> {
  const workspace = new BenchWorkspace();
  try {
    const spawned = await spawnToInitialize(workspace);
    const pull = await pulled(workspace);
    const push = await pushed(workspace);
    report(`language server over stdio, ${workspace.prompt.lines}-line .prompt, one-character edits`, [...spawned.samples, pull.sample, push]);
    pairedRatio('spawn -> initialize, cached / node -e 0 (target <= 1.5x)', spawned.warmRatio);
    pairedRatio('spawn -> initialize, first start / node -e 0', spawned.coldRatio);
    const rss = pull.rssKiB === undefined ? 'n/a (no /proc)' : `${(pull.rssKiB / 1024).toFixed(1)} MiB`;
    console.log(`  ${'idle RSS with the document open and validated'.padEnd(58)} VmRSS  ${rss}`);
  } finally {
    workspace.remove();
  }
}

/** A ratio taken pair by pair (each round's server start over the node start next to it), then the median. */
function pairedRatio(label: string, value: number): void {
  console.log(`  ${label.padEnd(58)} ratio  ${value.toFixed(2)}x  (median of per-round ratios)`);
}
