// The bundled language server (dist/server.js) over stdio, as an editor drives it: spawn to initialize
// result (at most 1.5x node alone starting `node -e 0` and exiting, measured interleaved in the same run:
// what the server adds to node's own start), and a keystroke in the 5,000-line
// `.prompt` (bench/largePrompt.ts) to its diagnostics (≤ 15 ms) — pulled (textDocument/diagnostic), and
// pushed with no debounce (diagnosticsDelayMs: 0). Edits are incremental, one character typed or deleted
// at the end of a line in the middle of the body, as an editor sends them. Last, the server's resident
// memory with the document open and validated.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileUri, LspClient, type LspClientOptions } from '../test/server/lspClient';
import { largePrompt } from './largePrompt';
import { ratio, report, type Sample } from './lib';
import { measurePair, measureRounds, type Contender } from './timed';

const SPAWNS = 20;
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

  constructor() {
    const file = join(this.root, 'support-bot.prompt');
    writeFileSync(file, this.prompt.text);
    this.uri = fileUri(file);
  }

  options(extra: LspClientOptions = {}): LspClientOptions {
    return { workspaceFolder: this.root, ...extra, initializationOptions: { stateDir: join(this.root, 'state'), ...extra.initializationOptions } };
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** Spawn to initialize result, interleaved with node alone starting an empty script (how much is node itself). */
function spawnToInitialize(workspace: BenchWorkspace): Promise<[Sample, Sample]> {
  const nodeAlone: Contender = {
    name: 'baseline: spawn `node -e 0` -> exit',
    round: (time) => time(async () => void (await once(spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' }), 'exit'))),
  };
  const server: Contender = {
    name: 'spawn -> initialize result',
    round: async (time) => {
      const client = await time(() => LspClient.start(workspace.options()));
      await client.stop();
    },
  };
  return measurePair(SPAWNS, nodeAlone, server, 2);
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
    const [baseline, spawned] = await spawnToInitialize(workspace);
    const pull = await pulled(workspace);
    const push = await pushed(workspace);
    report(`language server over stdio, ${workspace.prompt.lines}-line .prompt, one-character edits`, [baseline, spawned, pull.sample, push]);
    ratio('spawn -> initialize / node -e 0 (target <= 1.5x)', spawned, baseline);
    const rss = pull.rssKiB === undefined ? 'n/a (no /proc)' : `${(pull.rssKiB / 1024).toFixed(1)} MiB`;
    console.log(`  ${'idle RSS with the document open and validated'.padEnd(58)} VmRSS  ${rss}`);
  } finally {
    workspace.remove();
  }
}
