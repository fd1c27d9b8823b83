// The in-process model (core/model/local) on the tiny GGUF the tests write (test/support/tinyGguf.ts), so
// the figures are the pipeline's own cost — prompt through the chat template, llama.cpp's decode, the
// streamed pieces — not a real model's arithmetic:
//   (a) time to first token and tokens per second, with a warm pool (the model loaded: every turn after the
//       first in the language server or a CLI run) and a cold one (a new pool: getLlama, which tests its
//       binary in a forked child, the model file loaded and its context made; the binding's module is
//       already imported: the first figure shows that once);
//   (b) the process's load time with and without the binding: `prompt-chain --help`, the same run from a
//       script that first imports nothing, imports node-llama-cpp, or loads its native library (getLlama),
//       interleaved with node alone; then whether llama.cpp is mapped in a CLI process after a remote turn (it must not be)
//       and after a local one (it is: the check can see it).

import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ModelRequest } from '../core/chain/types';
import type { LocalModelPool } from '../core/model/local/localModel';
import { createLocalPool } from '../core/model/local/pool';
import { findRuntime } from '../core/model/local/runtime';
import { startFakeOpenAI } from '../test/support/fakeOpenAI';
import { tinyGreedyReply, writeTinyModel } from '../test/support/tinyGguf';
import { formatMs, median, ratio, report, type Sample } from './lib';
import { measureInterleaved, type Contender } from './timed';

const WARM_TURNS = 30;
const COLD_POOLS = 10;
const SPAWNS = 15;
const SPAWN_WARMUP = 2;
const cli = join(process.cwd(), 'dist', 'cli.js');

interface TurnTiming {
  firstTokenMs: number;
  totalMs: number;
  /** Tokens per second after the first token: llama.cpp's decode, each piece streamed. */
  tokensPerSecond: number;
}

export async function benchLocal(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'prompt-chain-bench-local-'));
  try {
    const modelPath = join(dir, 'tiny.gguf');
    writeTinyModel(modelPath);
    await turnFigures(dir, modelPath);
    await loadFigures(dir, modelPath);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function newPool(dir: string): LocalModelPool {
  return createLocalPool({ env: { PROMPT_CHAIN_MODELS_DIR: join(dir, 'models') }, threads: 1 });
}

/** The chat example's first turn, greedy: the reply is the tiny model's eight tokens. */
function chatRequest(modelPath: string): ModelRequest {
  return {
    api: 'chat',
    model: `local:${modelPath}`,
    messages: [
      { type: 'system', content: 'You are a chatbot having a conversation with a human.' },
      { type: 'human', content: 'Hi there my friend' },
    ],
    parameters: { temperature: 0 },
  };
}

async function timedTurn(pool: LocalModelPool, modelPath: string): Promise<TurnTiming> {
  const t0 = performance.now();
  let first: number | undefined;
  const reply = await pool.model({ ref: { kind: 'path', path: modelPath } }).invoke({ ...chatRequest(modelPath), onToken: () => (first ??= performance.now()) });
  const end = performance.now();
  if (reply.text !== tinyGreedyReply || first === undefined) throw new Error(`bench local: unexpected reply ${JSON.stringify(reply.text)}`);
  const afterFirst = (reply.usage?.completionTokens ?? 1) - 1;
  return { firstTokenMs: first - t0, totalMs: end - t0, tokensPerSecond: afterFirst / ((end - first) / 1000) };
}

function samples(label: string, timings: readonly TurnTiming[]): { samples: Sample[]; tokensPerSecond: number } {
  const runs = timings.length;
  return {
    samples: [
      { name: `${label}: time to first token`, medianMs: median(timings.map((t) => t.firstTokenMs)), runs },
      { name: `${label}: whole reply (8 tokens)`, medianMs: median(timings.map((t) => t.totalMs)), runs },
    ],
    tokensPerSecond: median(timings.map((t) => t.tokensPerSecond)),
  };
}

async function turnFigures(dir: string, modelPath: string): Promise<void> {
  const warmPool = newPool(dir);
  let first: TurnTiming;
  const warm: TurnTiming[] = [];
  try {
    first = await timedTurn(warmPool, modelPath);
    for (let i = 0; i < 3; i++) await timedTurn(warmPool, modelPath);
    for (let i = 0; i < WARM_TURNS; i++) warm.push(await timedTurn(warmPool, modelPath));
  } finally {
    await warmPool.dispose();
  }
  const cold: TurnTiming[] = [];
  for (let i = 0; i < COLD_POOLS; i++) {
    const pool = newPool(dir);
    try {
      cold.push(await timedTurn(pool, modelPath));
    } finally {
      await pool.dispose();
    }
  }
  const warmFigures = samples('warm pool', warm);
  const coldFigures = samples('cold pool', cold);
  report('(a) local model: the tiny GGUF through node-llama-cpp, 1 thread', [
    { name: 'first turn in the process (binding imported and loaded)', medianMs: first.firstTokenMs, runs: 1 },
    ...warmFigures.samples,
    ...coldFigures.samples,
  ]);
  console.log(`  ${'warm pool: tokens per second after the first'.padEnd(58)} median ${warmFigures.tokensPerSecond.toFixed(0).padStart(7)} tok/s`);
  console.log(`  ${'cold pool: tokens per second after the first'.padEnd(58)} median ${coldFigures.tokensPerSecond.toFixed(0).padStart(7)} tok/s`);
  ratio('cold / warm time to first token', coldFigures.samples[0]!, warmFigures.samples[0]!);
}

function runNode(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(stderr) : reject(new Error(`node ${args.join(' ')} exited ${code}: ${stderr}`))));
  });
}

function spawned(name: string, args: readonly string[]): Contender {
  return { name, round: async (time) => void (await time(() => runNode(args))) };
}

/**
 * A main script that runs `before`, then the CLI as the main module. A script, not `--import`: getLlama
 * tests its binary in a forked child, which would inherit the flag and load the binding again.
 */
function cliAfter(dir: string, name: string, before: string): string {
  const file = join(dir, `${name}.mjs`);
  const run = `process.argv = [process.execPath, ${JSON.stringify(cli)}, ...process.argv.slice(2)];\ncreateRequire(import.meta.url)('node:module').runMain();\n`;
  writeFileSync(file, `import { createRequire } from 'node:module';\n${before}${run}`);
  return file;
}

async function loadFigures(dir: string, modelPath: string): Promise<void> {
  const entry = findRuntime({ runtimeDir: join(dir, 'no-runtime') });
  if (!entry) throw new Error('bench local: node-llama-cpp is not installed beside Prompt Chain');
  const url = JSON.stringify(pathToFileURL(entry).href);
  const nothing = cliAfter(dir, 'nothing-first', '');
  const imported = cliAfter(dir, 'import-first', `await import(${url});\n`);
  const loaded = cliAfter(dir, 'binding-first', `const { getLlama, LlamaLogLevel } = await import(${url});\nawait getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error, maxThreads: 1 });\n`);
  const figures = await measureInterleaved(
    SPAWNS,
    [
      spawned('node alone (node -e 0)', ['-e', '0']),
      spawned('prompt-chain --help (what remote users load)', [cli, '--help']),
      spawned('--help from a script that imports nothing first', [nothing, '--help']),
      spawned('--help after importing node-llama-cpp', [imported, '--help']),
      spawned('--help after loading the binding (import + getLlama)', [loaded, '--help']),
    ],
    SPAWN_WARMUP,
  );
  const [alone, help, viaScript, afterImport, afterLoad] = figures as [Sample, Sample, Sample, Sample, Sample];
  report('(b) process load time, spawn to exit, interleaved', figures);
  ratio('--help / node alone', help, alone);
  ratio('--help after importing node-llama-cpp / via the script', afterImport, viaScript);
  ratio('--help after loading the binding / via the script', afterLoad, viaScript);
  console.log(`  ${'what loading the binding would add to every start'.padEnd(58)}        ${formatMs(afterLoad.medianMs - viaScript.medianMs).padStart(10)}`);
  await mappedAfterTurns(dir, modelPath);
}

/** Whether llama.cpp's native library is mapped in a CLI process when it exits, after a remote and a local turn. */
async function mappedAfterTurns(dir: string, modelPath: string): Promise<void> {
  if (process.platform !== 'linux') return;
  const probe = join(dir, 'maps-probe.cjs');
  writeFileSync(probe, "process.on('exit', () => process.stderr.write(/llama|ggml/.test(require('fs').readFileSync('/proc/self/maps', 'utf8')) ? 'MAPPED\\n' : 'ABSENT\\n'));\n");
  const prompt = join(dir, 'chat.prompt');
  writeFileSync(prompt, readFileSync('examples/chatbot-chat.prompt', 'utf8'));
  mkdirSync(join(dir, 'memory'), { recursive: true });
  const fake = await startFakeOpenAI();
  try {
    fake.enqueue({ reply: 'Hello from the endpoint.' });
    const run = ['-r', probe, cli, 'run', prompt, '--input', 'hi', '--memory-dir', join(dir, 'memory')];
    const base = { PATH: process.env.PATH, HOME: dir, PROMPT_CHAIN_MODELS_DIR: join(dir, 'models') };
    const remote = await runNode(run, { ...base, OPENAI_BASE_URL: fake.baseURL, OPENAI_API_KEY: 'bench' });
    const local = await runNode([...run, '--model', `local:${modelPath}`], base);
    const said = (stderr: string) => (stderr.trim().split('\n').at(-1) === 'MAPPED' ? 'yes' : stderr.trim().split('\n').at(-1) === 'ABSENT' ? 'no' : `? (${stderr.trim()})`);
    console.log(`  ${'llama.cpp mapped in the CLI after a remote turn'.padEnd(58)} ${said(remote)}`);
    console.log(`  ${'llama.cpp mapped in the CLI after a local turn'.padEnd(58)} ${said(local)}`);
  } finally {
    await fake.close();
  }
}
