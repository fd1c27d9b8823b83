// `npm run fuzz`: the LSP fuzz of test/server/fuzz.test.ts at full size — more files, lines up to 200,000
// characters, nesting 1,000 deep — one request at a time, then per method p50 / p99 / max latency and the
// requests over 100 ms on files under 1 MB (plus 25 ms per MB of answer: ./stats.ts), which must be none. Files with a slow request are run a second
// time; a request slow in both runs is counted as slow (a busy machine can stall any one request).
// Exits non-zero on any finding (crash, logged error, invalid answer) or confirmed slow request.
//
//   npm run fuzz -- [--seed N|random] [--files N] [--from N] [--only N,M] [--minutes M] [--scale test|run]
//   (or PROMPT_CHAIN_FUZZ_SEED / PROMPT_CHAIN_FUZZ_FILES / PROMPT_CHAIN_FUZZ_MINUTES)
//
// Defaults: seed 7, 4,000 files, no request sent after 4 minutes (plus at most 1 minute replaying the files with
// a slow request, and the hang guard of the request in flight). Failing and slow inputs go to out/fuzz/.

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '../support/build';
import { ensureServerBuilt } from '../server/lspClient';
import { describeFinding, fuzzServers, groupFindings, type RunResult } from './fuzzRun';
import { runScale, testScale } from './mutate';
import { seedFromEnv } from './random';
import { msPerAnswerMegabyte, slowMs, type SlowRequest } from './stats';

/** The second run of the files with a slow request: bounded too, so the whole run is. */
const replayMs = 60_000;

interface Plan {
  seed: number;
  files: number[];
  minutes: number;
  scale: 'test' | 'run';
}

function plan(argv: string[], env: NodeJS.ProcessEnv): Plan {
  const { values } = parseArgs({
    args: argv,
    options: {
      seed: { type: 'string' },
      files: { type: 'string' },
      from: { type: 'string' },
      only: { type: 'string' },
      minutes: { type: 'string' },
      scale: { type: 'string' },
    },
  });
  const number = (name: string, text: string | undefined, fallback: number) => {
    if (text === undefined || text === '') return fallback;
    const value = Number(text);
    if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a non-negative number, not ${JSON.stringify(text)}`);
    return value;
  };
  const seed = values.seed === 'random' ? Math.floor(Math.random() * 2 ** 31) : values.seed !== undefined ? number('seed', values.seed, 0) : seedFromEnv(7, env);
  const count = number('files', values.files ?? env.PROMPT_CHAIN_FUZZ_FILES, 4000);
  const from = number('from', values.from, 0);
  const files = values.only ? values.only.split(',').map((n) => number('only', n, 0)) : Array.from({ length: count }, (_, i) => from + i);
  const scale = values.scale === 'test' ? 'test' : 'run';
  return { seed, files, minutes: number('minutes', values.minutes ?? env.PROMPT_CHAIN_FUZZ_MINUTES, 4), scale };
}

function printSlow(slow: readonly SlowRequest[], confirmed: ReadonlySet<string>): void {
  const sorted = [...slow].sort((a, b) => b.ms - a.ms);
  for (const request of sorted.slice(0, 20)) {
    const again = confirmed.has(slowKey(request)) ? 'slow again' : 'fast when replayed';
    console.log(`    ${request.ms.toFixed(0).padStart(6)} ms  ${request.method.padEnd(48)} file ${String(request.file).padStart(5)}  ${(request.bytes / 1024).toFixed(1)} KB, answer ${(request.answerBytes / 1024).toFixed(1)} KB  (${again})`);
  }
  if (sorted.length > 20) console.log(`    … and ${sorted.length - 20} more`);
}

function slowKey(request: SlowRequest): string {
  return `${request.file}\0${request.method}`;
}

/** Writes each failing and slow input to out/fuzz/, so it can be opened in an editor or fed to a unit test. */
function saveInputs(seed: number, result: RunResult): string | undefined {
  const folder = path.join(repoRoot, 'out/fuzz');
  const saved = [
    ...groupFindings(result.findings).map((g) => [`seed-${seed}-file-${g.example.file}-finding.prompt`, g.example.text] as const),
    ...result.stats.slow.filter((s) => s.text !== undefined).map((s) => [`seed-${seed}-file-${s.file}-slow.prompt`, s.text!] as const),
  ];
  // Only this run's inputs: an earlier run's would be taken for this one's.
  rmSync(folder, { recursive: true, force: true });
  if (saved.length === 0) return undefined;
  mkdirSync(folder, { recursive: true });
  for (const [name, text] of saved) writeFileSync(path.join(folder, name), text);
  return folder;
}

async function main(): Promise<number> {
  const { seed, files, minutes, scale } = plan(process.argv.slice(2), process.env);
  ensureServerBuilt();
  console.log(`# LSP fuzz — seed ${seed}, ${files.length} files, scale ${scale}, at most ${minutes} min, node ${process.version}`);
  const started = Date.now();
  const result = await fuzzServers({ seed, scale: scale === 'run' ? runScale : testScale, files, deadline: started + minutes * 60_000 });
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  const serverGone = result.findings.some((finding) => finding.method === 'server');
  const stopped = result.filesRun === files.length ? '' : serverGone ? ' (stopped: a server exited or got stuck)' : ' (stopped at the time limit)';
  console.log(`\n${result.filesRun} files, ${result.stats.requests} timed requests and edits in ${seconds} s${stopped}\n`);
  console.log(result.stats.table().join('\n'));

  const slowFiles = [...new Set(result.stats.slow.map((s) => s.file))].slice(0, 50);
  const confirmed = new Set<string>();
  if (slowFiles.length > 0) {
    const replay = await fuzzServers({ seed, scale: scale === 'run' ? runScale : testScale, files: slowFiles, deadline: Date.now() + replayMs });
    for (const request of replay.stats.slow) confirmed.add(slowKey(request));
  }
  const confirmedCount = result.stats.slow.filter((s) => confirmed.has(slowKey(s))).length;
  console.log(`\nrequests over ${slowMs} ms (+ ${msPerAnswerMegabyte} ms per MB of answer) on files under 1 MB: ${result.stats.slow.length} (${confirmedCount} slow again when their file was replayed) — must be 0`);
  printSlow(result.stats.slow, confirmed);

  const groups = groupFindings(result.findings);
  console.log(`\nfindings (crash, logged error, invalid answer): ${result.findings.length} — must be 0`);
  for (const group of groups.slice(0, 30)) console.log(`  ${group.count} x ${describeFinding(group.example)}`);
  if (result.uncovered.length > 0) console.log(`\ndeclared but not fuzzed: ${result.uncovered.join(', ')}`);
  const saneAfter = (['pull', 'push'] as const).every((mode) => result.afterwards[mode].some((m) => m.includes('chat_history')));
  if (!saneAfter) console.log(`\na normal file's diagnostics after the run are wrong: ${JSON.stringify(result.afterwards)}`);
  const folder = saveInputs(seed, result);
  if (folder) console.log(`\ninputs written to ${path.relative(process.cwd(), folder)}/; replay one file with: npm run fuzz -- --seed ${seed} --only N`);
  const failed = result.findings.length > 0 || confirmedCount > 0 || result.uncovered.length > 0 || !saneAfter;
  console.log(failed ? '\nFAIL' : '\nOK');
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
