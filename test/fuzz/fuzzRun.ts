// One fuzz run over two servers, one pulling diagnostics and one having them pushed (no debounce): file i
// goes to the pull server when i is even, to the push server when odd, one request at a time so each
// latency is the request's own. Shared by the unit test (a few hundred small files) and `npm run fuzz`.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { LspClient } from '../server/lspClient';
import { declaredMethods, fuzzedHistoryStore, fuzzedMethods, unfuzzedMethods } from './requests';
import { FuzzSession, type DiagnosticsMode, type Finding, type FuzzOptions } from './session';
import { LatencyStats } from './stats';
import type { Scale } from './mutate';

export interface RunOptions {
  seed: number;
  scale: Scale;
  /** File numbers to run, in order. */
  files: readonly number[];
  /** Send no request after this moment (Date.now()), so a run ends in bounded time. */
  deadline?: number;
  hangMs?: number;
  /** Run pull and push files side by side (faster) instead of one request at a time (honest latencies). */
  parallel?: boolean;
}

export interface RunResult {
  findings: Finding[];
  stats: LatencyStats;
  filesRun: number;
  /** Methods the servers declare that the fuzz cannot drive, or that no request exercised. */
  uncovered: string[];
  /** A normal file's diagnostics on each server after the run. */
  afterwards: Record<DiagnosticsMode, string[]>;
}

const killAfterMs = 5_000;

const sanePrompt = '---\nmemory:\n  key: chat_history\n---\nYou are a chatbot.\n\n{history}\nHuman: {human_input}\nChatbot:\n';

export async function fuzzServers(options: RunOptions): Promise<RunResult> {
  const workspace = mkdtempSync(path.join(tmpdir(), 'prompt-chain-fuzz-'));
  const stats = new LatencyStats();
  const sessionOptions: FuzzOptions = {
    seed: options.seed,
    scale: options.scale,
    workspaceFolder: workspace,
    hangMs: options.hangMs ?? 30_000,
    ...(options.deadline !== undefined && { deadline: options.deadline }),
  };
  const start = (mode: DiagnosticsMode) =>
    LspClient.start({
      pull: mode === 'pull',
      workspaceFolder: workspace,
      initializationOptions: { stateDir: path.join(workspace, 'state'), diagnosticsDelayMs: 0 },
      env: { PROMPT_CHAIN_HISTORY_STORES: JSON.stringify({ [fuzzedHistoryStore]: `file:${path.join(workspace, 'history.json')}` }) },
    });
  const clients = { pull: await start('pull'), push: await start('push') };
  const sessions = { pull: new FuzzSession(clients.pull, 'pull', sessionOptions, stats), push: new FuzzSession(clients.push, 'push', sessionOptions, stats) };
  // Untimed: the first diagnostics load the tokenizer's tables (the bench times a server's start).
  await Promise.all([saneDiagnostics(clients.pull, 'pull'), saneDiagnostics(clients.push, 'push')]);
  let filesRun = 0;
  const runFiles = async (files: readonly number[]) => {
    for (const file of files) {
      if (!(await sessions[file % 2 === 0 ? 'pull' : 'push'].runFile(file))) return;
      filesRun++;
    }
  };
  try {
    if (options.parallel) await Promise.all((['pull', 'push'] as const).map((mode) => runFiles(options.files.filter((f) => (f % 2 === 0) === (mode === 'pull')))));
    else await runFiles(options.files);
    const afterwards = { pull: await saneAfterwards(sessions.pull), push: await saneAfterwards(sessions.push) };
    const uncovered = (['pull', 'push'] as const).flatMap((mode) =>
      declaredMethods(clients[mode].initializeResult.capabilities, mode === 'pull')
        .filter((method) => !unfuzzedMethods.has(method) && !(fuzzedMethods.has(method) && sessions[mode].exercised.has(method)))
        .map((method) => `${method} (${mode})`),
    );
    return { findings: [...sessions.pull.findings, ...sessions.push.findings], stats, filesRun, uncovered, afterwards };
  } finally {
    // A server stuck on a request (the hang guard gave up on it) is killed rather than waited for.
    await Promise.all([clients.pull.stop(killAfterMs), clients.push.stop(killAfterMs)]);
    rmSync(workspace, { recursive: true, force: true });
  }
}

/** What a normal file gets after the run; nothing from a server that went away or is stuck. */
async function saneAfterwards(session: FuzzSession): Promise<string[]> {
  if (session.failure) return [];
  let timer: NodeJS.Timeout | undefined;
  const stuck = new Promise<string[]>((resolve) => (timer = setTimeout(() => resolve([]), session.options.hangMs)));
  try {
    return await Promise.race([saneDiagnostics(session.client, session.mode), stuck]);
  } finally {
    clearTimeout(timer);
  }
}

/** The messages of a normal file's diagnostics: the server still does its job after the fuzz. */
async function saneDiagnostics(client: LspClient, mode: DiagnosticsMode): Promise<string[]> {
  const uri = `untitled:sane-${mode}.prompt`;
  await client.open(uri, sanePrompt, 1);
  const diagnostics = mode === 'pull' ? await client.pulledDiagnostics(uri) : await client.pushedDiagnostics(uri, 1);
  await client.close(uri);
  return diagnostics.map((d) => (typeof d.message === 'string' ? d.message : d.message.value));
}

/** Findings grouped by what went wrong (numbers blurred), the most frequent first, each with one example. */
export function groupFindings(findings: readonly Finding[]): { signature: string; count: number; example: Finding }[] {
  const groups = new Map<string, { signature: string; count: number; example: Finding }>();
  for (const finding of findings) {
    const signature = `${finding.method}: ${finding.problem.replace(/\d+/g, 'N').slice(0, 160)}`;
    const group = groups.get(signature);
    if (group) group.count++;
    else groups.set(signature, { signature, count: 1, example: finding });
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}

export function describeFinding(finding: Finding): string {
  return `seed ${finding.seed} file ${finding.file} (${finding.mode}, version ${finding.version}) ${finding.method}: ${finding.problem}\n    params: ${finding.params}`;
}
