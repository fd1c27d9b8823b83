// One conversation of a test file on one model: `repeat` attempts, one after another, each in a memory of
// its own (empty, or the `history:` file's entries copied in), its turns in order. A turn that fails
// (endpoint, model, input) fails its attempt, and the attempt's later turns do not run. A cancel ends the
// conversation without an outcome.

import type { ChainConfig, HistoryEntry, LanguageModel, TurnResult } from '../chain/types';
import type { PromptDocument } from '../format/model';
import { runTurn } from '../chain/run';
import { failureOf, type Failure } from '../chain/failure';
import { createInMemoryConversation } from '../memory/inMemory';
import { evaluateAssertion } from './assertions';
import { judgeReply } from './judge';
import { compareSnapshot, type RecordedTurn } from './snapshots';
import type { AttemptOutcome, ConversationOutcome, TestConversation, TestRunEvent, TestTurn, TurnOutcome } from './types';

export interface ConversationJob {
  readonly file: string;
  readonly prompt: PromptDocument;
  readonly config: ChainConfig;
  readonly conversation: TestConversation;
  readonly model: string;
  /** Loads the `history:` entries (once per job); absent without `history:`. */
  readonly history?: () => Promise<readonly HistoryEntry[]>;
  /** This conversation's baseline on this model. */
  readonly recorded?: readonly RecordedTurn[];
}

export interface RunContext {
  readonly model: LanguageModel;
  readonly update: boolean;
  readonly signal?: AbortSignal;
  emit(event: TestRunEvent): void;
}

export interface ConversationResult {
  readonly outcome: ConversationOutcome;
  /** With update: the first attempt's replies of the turns that have a `snapshot` assertion (absent when that attempt failed a turn). */
  readonly recorded?: readonly RecordedTurn[];
}

/** Thrown through the attempt when the run is cancelled. */
export class RunCancelled extends Error {
  override readonly name = 'RunCancelled';
}

export async function runConversation(job: ConversationJob, ctx: RunContext): Promise<ConversationResult> {
  const started = performance.now();
  const { file, model } = job;
  const name = job.conversation.name;
  ctx.emit({ type: 'conversation-started', file, conversation: name, model });
  const start = await startingEntries(job, ctx);
  const attempts: AttemptOutcome[] = [];
  // With update, the first attempt's replies are the new baseline, and later attempts are compared with it.
  let baseline = job.recorded;
  let newBaseline: readonly RecordedTurn[] | undefined;
  for (let attempt = 0; attempt < job.conversation.repeat; attempt++) {
    const outcome = 'failure' in start ? failedStart(job, start.failure) : await runAttempt(job, ctx, { attempt, entries: start.entries, baseline });
    attempts.push(outcome);
    if (ctx.update && attempt === 0) newBaseline = recordedTurns(job.conversation.turns, outcome);
    baseline = newBaseline ?? baseline;
  }
  const passRate = attempts.filter((attempt) => attempt.pass).length / attempts.length;
  const outcome: ConversationOutcome = { file, conversation: name, model, attempts, passRate, pass: passRate >= job.conversation.passRate, durationMs: performance.now() - started };
  ctx.emit({ type: 'conversation-finished', outcome });
  return newBaseline ? { outcome, recorded: newBaseline } : { outcome };
}

async function startingEntries(job: ConversationJob, ctx: RunContext): Promise<{ entries: readonly HistoryEntry[] } | { failure: Failure }> {
  if (!job.history) return { entries: [] };
  try {
    return { entries: await job.history() };
  } catch (error) {
    if (ctx.signal?.aborted) throw new RunCancelled();
    const failure = failureOf(error);
    if (!failure) throw error;
    return { failure };
  }
}

/** A history that cannot be read fails every attempt at its first turn, before anything is sent. */
function failedStart(job: ConversationJob, failure: Failure): AttemptOutcome {
  const first = job.conversation.turns[0];
  const turn: TurnOutcome = { index: 0, input: first?.input ?? '', latencyMs: 0, assertions: [], failure, pass: false };
  return { turns: [turn], pass: false };
}

interface AttemptStart {
  readonly attempt: number;
  readonly entries: readonly HistoryEntry[];
  readonly baseline: readonly RecordedTurn[] | undefined;
}

async function runAttempt(job: ConversationJob, ctx: RunContext, start: AttemptStart): Promise<AttemptOutcome> {
  const { attempt } = start;
  const memory = createInMemoryConversation<HistoryEntry>(start.entries);
  const turns: TurnOutcome[] = [];
  for (const [index, turn] of job.conversation.turns.entries()) {
    const outcome = await runTestTurn(job, ctx, { index, turn, memory, recorded: start.baseline, update: ctx.update && attempt === 0 });
    turns.push(outcome);
    ctx.emit({ type: 'turn-finished', file: job.file, conversation: job.conversation.name, model: job.model, attempt, turn: outcome });
    if (outcome.failure) break;
  }
  return { turns, pass: turns.length === job.conversation.turns.length && turns.every((turn) => turn.pass) };
}

interface TurnStep {
  readonly index: number;
  readonly turn: TestTurn;
  readonly memory: ReturnType<typeof createInMemoryConversation<HistoryEntry>>;
  readonly recorded: readonly RecordedTurn[] | undefined;
  readonly update: boolean;
}

async function runTestTurn(job: ConversationJob, ctx: RunContext, step: TurnStep): Promise<TurnOutcome> {
  const { index, turn } = step;
  const started = performance.now();
  let result: TurnResult;
  try {
    const config = { ...job.config, model: job.model };
    result = await runTurn({ prompt: job.prompt, config, input: turn.input, variables: { ...job.conversation.vars }, conversation: step.memory, model: ctx.model, ...(ctx.signal && { signal: ctx.signal }) });
  } catch (error) {
    const failure = failureOf(error);
    if (failure?.kind === 'cancelled' || ctx.signal?.aborted) throw new RunCancelled();
    if (!failure) throw error;
    return { index, input: turn.input, latencyMs: performance.now() - started, assertions: [], failure, pass: false };
  }
  const latencyMs = performance.now() - started;
  return judgedTurn(job, ctx, step, result, latencyMs);
}

async function judgedTurn(job: ConversationJob, ctx: RunContext, step: TurnStep, result: TurnResult, latencyMs: number): Promise<TurnOutcome> {
  const { index, turn } = step;
  const hasSnapshot = turn.expect.some((assertion) => assertion.kind === 'snapshot');
  const snapshot = hasSnapshot ? compareSnapshot(step.recorded, index + 1, turn.input, result.reply, step.update) : undefined;
  const assertionContext = {
    input: turn.input,
    reply: result.reply,
    prompt: result.prompt,
    ...(result.usage && { usage: result.usage }),
    model: job.model,
    ...(snapshot && { snapshot }),
    judge: (rubric: string, judgeModel: string | undefined) => judge(job, ctx, turn.input, result.reply, rubric, judgeModel),
  };
  const assertions = [];
  for (const assertion of turn.expect) assertions.push(await evaluateAssertion(assertion, assertionContext));
  return {
    index,
    input: turn.input,
    reply: result.reply,
    prompt: result.prompt,
    ...(result.messages && { messages: result.messages }),
    trace: result.trace,
    ...(result.usage && { usage: result.usage }),
    latencyMs,
    assertions,
    ...(snapshot && { snapshot }),
    pass: assertions.every((assertion) => assertion.pass),
  };
}

async function judge(job: ConversationJob, ctx: RunContext, input: string, reply: string, rubric: string, judgeModel: string | undefined) {
  try {
    // The conversation's own model is asked as the prompt asks it (a completion model cannot chat); a named judge model chats.
    const api = judgeModel === undefined ? job.config.api : 'chat';
    return await judgeReply({ model: ctx.model, modelName: judgeModel ?? job.model, api, rubric, input, reply, ...(ctx.signal && { signal: ctx.signal }) });
  } catch (error) {
    if (ctx.signal?.aborted) throw new RunCancelled();
    throw error;
  }
}

/** The replies to record of the turns with a `snapshot` assertion, when every turn of the attempt ran. */
function recordedTurns(turns: readonly TestTurn[], attempt: AttemptOutcome | undefined): readonly RecordedTurn[] | undefined {
  if (!attempt || attempt.turns.length !== turns.length || attempt.turns.some((turn) => turn.reply === undefined)) return undefined;
  return attempt.turns.filter((_, index) => turns[index]!.expect.some((assertion) => assertion.kind === 'snapshot')).map((turn) => ({ turn: turn.index + 1, input: turn.input, reply: turn.reply! }));
}
