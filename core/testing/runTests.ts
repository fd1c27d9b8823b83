// TestFiles -> TestRunReport. Every selected conversation runs once per model (the file's own model when
// none is given), at most `concurrency` at a time, each in a memory of its own: a test never reads or
// writes the user's stored conversations. Events are told as the run goes, in order per conversation; the
// report lists outcomes in the files' order (file, conversation, model), whatever finished first. With
// `update`, each test file's baselines are written once its run is over (never when cancelled).

import { dirname, resolve } from 'node:path';
import type { ChainConfig, LanguageModel } from '../chain/types';
import type { PromptDocument } from '../format/model';
import { loadHistoryFile } from './historyFile';
import { RunCancelled, runConversation, type ConversationJob, type ConversationResult, type RunContext } from './conversationRun';
import { readSnapshots, snapshotPathOf, SnapshotFileError, writeSnapshots, type RecordedTurn, type Snapshots } from './snapshots';
import type { ConversationOutcome, FileFailure, TestConversation, TestFile, TestRunEvent, TestRunReport, TestRunSummary } from './types';

/** A test file ready to run: parsed, checked, and its prompt read and resolved by the host. */
export interface TestFileRun {
  /** As the host names it in reports and events (the CLI: the path as typed). */
  readonly file: string;
  /** Absolute: `history:` files and `__snapshots__/` are beside it. */
  readonly path: string;
  readonly test: TestFile;
  readonly prompt: PromptDocument;
  readonly config: ChainConfig;
}

/** One conversation of one test file (the Testing view's run of a single item). */
export interface ConversationRef {
  readonly file: string;
  readonly conversation: string;
}

export interface RunTestsRequest {
  readonly files: readonly TestFileRun[];
  /** Files the host could not run (a missing prompt, broken YAML): reported as they are. */
  readonly fileFailures?: readonly FileFailure[];
  /** The endpoint every model is asked through (and the judge). */
  readonly model: LanguageModel;
  /** Run every conversation on each of these; empty or absent: each file's own model. */
  readonly models?: readonly string[];
  /** Conversations under way at once (default 4). */
  readonly concurrency?: number;
  /** Record the replies as the baselines of `snapshot` assertions. */
  readonly update?: boolean;
  /** Only the conversations whose name contains this (case-insensitive). */
  readonly filter?: string;
  /** Only these conversations. */
  readonly only?: readonly ConversationRef[];
  readonly signal?: AbortSignal;
  onEvent?(event: TestRunEvent): void;
}

export const DEFAULT_CONCURRENCY = 4;

interface FileRun {
  readonly run: TestFileRun;
  readonly snapshotPath: string;
  readonly snapshots: Snapshots;
  readonly jobs: readonly ConversationJob[];
}

export async function runTests(request: RunTestsRequest): Promise<TestRunReport> {
  const startedAt = new Date();
  const started = performance.now();
  const fileFailures: FileFailure[] = [...(request.fileFailures ?? [])];
  const fileRuns = await prepareFiles(request, fileFailures);
  const ctx: RunContext = { model: request.model, update: request.update === true, ...(request.signal && { signal: request.signal }), emit: (event) => request.onEvent?.(event) };
  const jobs = fileRuns.flatMap((fileRun) => fileRun.jobs);
  const results = await runPool(jobs, Math.max(1, Math.floor(request.concurrency ?? DEFAULT_CONCURRENCY)), (job) => runConversation(job, ctx), request.signal);
  const cancelled = request.signal?.aborted === true;
  if (ctx.update && !cancelled) await writeBaselines(fileRuns, jobs, results);
  const outcomes = results.filter((result): result is ConversationResult => result !== undefined).map((result) => result.outcome);
  return {
    models: [...new Set(jobs.map((job) => job.model))],
    outcomes,
    fileFailures,
    summary: summaryOf(outcomes),
    startedAt: startedAt.toISOString(),
    durationMs: performance.now() - started,
    ...(cancelled && { cancelled: true }),
  };
}

async function prepareFiles(request: RunTestsRequest, fileFailures: FileFailure[]): Promise<FileRun[]> {
  const runs: FileRun[] = [];
  for (const run of request.files) {
    const snapshotPath = snapshotPathOf(run.path);
    let snapshots: Snapshots;
    try {
      snapshots = await readSnapshots(snapshotPath);
    } catch (error) {
      if (!(error instanceof SnapshotFileError)) throw error;
      fileFailures.push({ file: run.file, problems: [{ code: 'test-snapshot-unreadable', message: error.message, span: run.test.promptSpan, severity: 'error' }] });
      continue;
    }
    runs.push({ run, snapshotPath, snapshots, jobs: jobsOf(run, snapshots, request) });
  }
  return runs;
}

function jobsOf(run: TestFileRun, snapshots: Snapshots, request: RunTestsRequest): ConversationJob[] {
  const models = request.models && request.models.length > 0 ? request.models : [run.config.model ?? ''];
  const selected = run.test.conversations.filter((conversation) => isSelected(run.file, conversation, request));
  return selected.flatMap((conversation) => models.map((model) => jobOf(run, conversation, model, snapshots)));
}

function isSelected(file: string, conversation: TestConversation, request: RunTestsRequest): boolean {
  if (request.filter !== undefined && !matchesFilter(conversation, request.filter)) return false;
  return !request.only || request.only.some((ref) => ref.file === file && ref.conversation === conversation.name);
}

/** `--filter TEXT`: the conversation's name contains TEXT, in any case. */
export function matchesFilter(conversation: TestConversation, filter: string): boolean {
  return conversation.name.toLowerCase().includes(filter.toLowerCase());
}

function jobOf(run: TestFileRun, conversation: TestConversation, model: string, snapshots: Snapshots): ConversationJob {
  const recorded = snapshots.get(conversation.name)?.get(model);
  const historyFile = conversation.history;
  const history = historyFile === undefined ? undefined : () => loadHistoryFile(resolve(dirname(run.path), historyFile), historyFile);
  return { file: run.file, prompt: run.prompt, config: run.config, conversation, model, ...(history && { history }), ...(recorded && { recorded }) };
}

/** Runs `work` over the jobs, `limit` at a time; a job not started before a cancel has no result. */
async function runPool<J, R>(jobs: readonly J[], limit: number, work: (job: J) => Promise<R>, signal: AbortSignal | undefined): Promise<(R | undefined)[]> {
  const results: (R | undefined)[] = new Array<R | undefined>(jobs.length).fill(undefined);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length && !signal?.aborted) {
      const index = next++;
      try {
        results[index] = await work(jobs[index]!);
      } catch (error) {
        if (!(error instanceof RunCancelled)) throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return results;
}

/** Each test file's new baselines, written once; only conversations whose first attempt ran every turn. */
async function writeBaselines(fileRuns: readonly FileRun[], jobs: readonly ConversationJob[], results: readonly (ConversationResult | undefined)[]): Promise<void> {
  const byJob = new Map(jobs.map((job, index) => [job, results[index]?.recorded]));
  for (const fileRun of fileRuns) {
    const updates: Snapshots = new Map();
    for (const job of fileRun.jobs) {
      const recorded: readonly RecordedTurn[] | undefined = byJob.get(job);
      if (!recorded || recorded.length === 0) continue;
      const models = updates.get(job.conversation.name) ?? new Map<string, readonly RecordedTurn[]>();
      models.set(job.model, recorded);
      updates.set(job.conversation.name, models);
    }
    if (updates.size > 0) await writeSnapshots(fileRun.snapshotPath, fileRun.snapshots, updates);
  }
}

export function summaryOf(outcomes: readonly ConversationOutcome[]): TestRunSummary {
  const assertions = outcomes.flatMap((outcome) => outcome.attempts.flatMap((attempt) => attempt.turns.flatMap((turn) => turn.assertions)));
  const passed = outcomes.filter((outcome) => outcome.pass).length;
  return { conversations: outcomes.length, passed, failed: outcomes.length - passed, assertions: assertions.length, failedAssertions: assertions.filter((assertion) => !assertion.pass).length };
}
