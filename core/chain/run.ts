// One chat turn, as LLMChain + ConversationBufferMemory run it: load memory, format, call the model,
// save the turn. The turn holds the conversation's lock from load to save, so concurrent turns land in
// order, and saves only after a complete, non-empty reply: a failed, cancelled or empty turn leaves the
// memory exactly as it was. A turn may instead replace the last stored one (Retry, Edit and resend): it
// is formatted with the memory before that turn and saved in its place, under the same lock and rules.

import type { PromptDocument } from '../format/model';
import { cancelledError, ModelError } from '../model/errors';
import { isLastTurn, lastTurnChangedError } from '../memory/errors';
import type { ChainConfig, ChatMessage, Conversation, HistoryEntry, LanguageModel, MemoryCall, MemoryState, ModelReply, Turn, TurnResult, TurnTimings } from './types';
import { ChainError } from './errors';
import { assertRunnable, preparePrompt, type PreparedPrompt } from './prepare';
import { defineLazyText } from './lazyText';
import { formatTrace, traceStart } from './trace';
import { formattingState, keepsState } from './memoryClasses';
import { bringUpToDate, type UpdateContext } from './memoryClasses/update';

export interface RunTurnRequest {
  prompt: PromptDocument;
  config: ChainConfig;
  input: string;
  variables?: Record<string, string>;
  /** The stored conversation; without one the turn runs with empty memory and saves nothing. */
  conversation?: Conversation<HistoryEntry>;
  /**
   * The stored turn this one takes the place of: it must be the conversation's last turn (else
   * LastTurnChangedError, before anything is sent). Ignored without memory: nothing was stored to replace.
   */
  replaceLast?: Turn;
  model: LanguageModel;
  signal?: AbortSignal;
  /** Called once the prompt is formatted, before the model is called (the verbose trace's first half). */
  onPrompt?(prompt: string, messages?: ChatMessage[]): void;
  onToken?(token: string): void;
}

export async function runTurn(req: RunTurnRequest): Promise<TurnResult> {
  assertRunnable(req.prompt);
  const modelName = requireModel(req.config);
  const { conversation } = req;
  const turn = () => runLocked(req, modelName);
  return conversation ? conversation.withLock(turn) : turn();
}

function requireModel(config: ChainConfig): string {
  if (config.model) return config.model;
  throw new ChainError('no-model', 'No model to run: set `model:` in the front matter or a default model.');
}

/** What a turn needs to format its prompt; a preview needs nothing more. */
export type TurnPreviewRequest = Pick<RunTurnRequest, 'prompt' | 'config' | 'input' | 'variables' | 'conversation' | 'signal'>;

export interface TurnPreview {
  prompt: string;
  messages?: ChatMessage[];
  /** LangChain's verbose trace up to the formatted prompt: what it prints before the model is called. */
  trace: string;
  /**
   * A summary is owed (its call failed, or the type or limit changed): the preview shows the memory as it
   * is, and the turn makes the summary before it formats.
   */
  pendingSummary?: boolean;
}

/**
 * The prompt a turn would send now, with the stored memory filled in, by the very steps the turn takes;
 * nothing is sent and nothing is stored (`prompt-chain run --dry-run`, the editor's preview).
 */
export async function previewTurn(req: TurnPreviewRequest): Promise<TurnPreview> {
  assertRunnable(req.prompt);
  const { prepared, pendingSummary } = await prepareTurn(req);
  const preview: TurnPreview = { prompt: prepared.prompt, ...(prepared.messages ? { messages: prepared.messages } : {}), trace: traceStart(prepared.prompt, { color: false }) };
  if (pendingSummary) preview.pendingSummary = true;
  return preview;
}

interface PreparedTurn {
  prepared: PreparedPrompt;
  memory?: Conversation<HistoryEntry>;
  /** The memory class's state the prompt was formatted with (summary, summary_buffer, token_buffer). */
  memoryState?: MemoryState;
  /** The summary call made before formatting, if one was owed. */
  memoryCall?: MemoryCall;
  pendingSummary?: boolean;
}

/**
 * Loads memory and formats: the first half of a turn, shared with its preview. A turn (`catchUp` given)
 * first makes a summary owed by earlier turns; a preview never calls the model and says it is owed.
 */
async function prepareTurn(req: TurnPreviewRequest & Pick<RunTurnRequest, 'replaceLast'>, catchUp?: Omit<UpdateContext, 'conversation' | 'memory'>): Promise<PreparedTurn> {
  // With `memory: false` the conversation is neither read nor written.
  const memory = req.config.memory ? req.conversation : undefined;
  const stored = memory ? await memory.load(req.signal) : [];
  const turns = memory && req.replaceLast ? turnsBefore(stored, req.replaceLast) : stored;
  const classState = memory && req.config.memory && keepsState(req.config.memory.type) ? await loadClassState(turns, memory, req.config, catchUp) : {};
  const prepared = preparePrompt(req.prompt, req.config, { input: req.input, variables: req.variables, turns, ...(classState.memoryState ? { memoryState: classState.memoryState } : {}) });
  return memory ? { prepared, memory, ...classState } : { prepared };
}

async function loadClassState(turns: readonly HistoryEntry[], conversation: Conversation<HistoryEntry>, config: ChainConfig, catchUp: Omit<UpdateContext, 'conversation' | 'memory'> | undefined): Promise<Omit<PreparedTurn, 'prepared' | 'memory'>> {
  const memory = config.memory!;
  // A Retry formats without the last stored turn: the store hands back the state from before it (state.ts).
  const saved = await conversation.loadState(turns.length);
  if (!catchUp) {
    const { state, pendingSummary } = formattingState(turns, saved, memory, config);
    return pendingSummary ? { memoryState: state, pendingSummary } : { memoryState: state };
  }
  const { state, call } = await bringUpToDate(turns, saved, 'before-turn', { ...catchUp, conversation, memory });
  // A cancel during the catch-up cancels the turn: nothing was sent for it, nothing is stored.
  if (call?.failure?.kind === 'cancelled') throw cancelledError();
  return call ? { memoryState: state, memoryCall: call, ...(call.failure ? { pendingSummary: true } : {}) } : { memoryState: state };
}

/** The memory a replacing turn sees: every stored turn but the one it replaces. */
function turnsBefore(stored: readonly HistoryEntry[], replaced: Turn): readonly HistoryEntry[] {
  if (!isLastTurn(stored, replaced)) throw lastTurnChangedError('nothing was sent');
  return stored.slice(0, -1);
}

async function runLocked(req: RunTurnRequest, modelName: string): Promise<TurnResult> {
  const started = performance.now();
  if (req.signal?.aborted) throw cancelledError();
  const calls = { model: req.model, chain: req.config, signal: req.signal };
  const turnPrepared = await prepareTurn(req, calls);
  const { prepared, memory } = turnPrepared;
  const formatMs = performance.now() - started;
  req.onPrompt?.(prepared.prompt, prepared.messages);
  const { reply, modelMs, firstTokenMs } = await callModel(req, modelName, prepared);
  // A cancel that arrives as the reply completes still means "do not keep this turn".
  if (req.signal?.aborted) throw cancelledError();
  const turn: Turn = { input: req.input, output: reply.text };
  // The turn is stored first: it never waits on the memory class's summary call. A read-only history
  // keeps nothing: the reply is shown, and said to be unsaved.
  const saving = memory && memory.readOnly === undefined ? memory : undefined;
  if (saving) await (req.replaceLast ? saving.replaceLast(req.replaceLast, turn) : saving.append(turn));
  const memoryCalls = saving ? await updateAfterTurn(saving, req.config, turnPrepared, calls) : turnPrepared.memoryCall ? [turnPrepared.memoryCall] : [];
  const timings: TurnTimings = { formatMs, firstTokenMs, modelMs, totalMs: performance.now() - started };
  // The prompt and trace are rendered when read (the CLI's trace, the server's answer), not for a caller
  // that only wants the reply (lazyText.ts). The fields keep the order they have always had.
  const head = Object.assign(defineLazyText({}, 'prompt', () => prepared.prompt), {
    ...(prepared.messages ? { messages: prepared.messages } : {}),
    reply: reply.text,
    ...(reply.usage ? { usage: reply.usage } : {}),
    timings,
  });
  return Object.assign(defineLazyText(head, 'trace', () => formatTrace(prepared.prompt, { color: false })), {
    ...(memoryCalls.length > 0 ? { memoryCalls } : {}),
    ...(memory?.readOnly !== undefined ? { notSaved: memory.readOnly } : {}),
  });
}

/**
 * The memory class's work once the turn is stored: prune, summarize, save the state. Skipped when the
 * catch-up before this turn failed: the same call would most likely fail again, and the next turn owes it.
 */
async function updateAfterTurn(conversation: Conversation<HistoryEntry>, config: ChainConfig, prepared: PreparedTurn, calls: Omit<UpdateContext, 'conversation' | 'memory'>): Promise<MemoryCall[]> {
  const made = prepared.memoryCall ? [prepared.memoryCall] : [];
  if (!config.memory || !keepsState(config.memory.type) || prepared.memoryCall?.failure) return made;
  const turns = await conversation.load();
  const { call } = await bringUpToDate(turns, prepared.memoryState, 'after-turn', { ...calls, conversation, memory: config.memory });
  return call ? [...made, call] : made;
}

async function callModel(req: RunTurnRequest, modelName: string, prepared: PreparedPrompt) {
  const requested = performance.now();
  let firstTokenMs: number | undefined;
  const reply: ModelReply = await req.model.invoke({
    api: req.config.api,
    model: modelName,
    ...(prepared.messages ? { messages: prepared.messages, messageParts: prepared.messageParts } : { prompt: prepared.prompt, promptParts: prepared.promptParts }),
    parameters: req.config.parameters,
    signal: req.signal,
    onToken: (token) => {
      firstTokenMs ??= performance.now() - requested;
      req.onToken?.(token);
    },
  });
  // The openai adapter already refuses empty replies; other models (scripted, future adapters) may not.
  if (!reply.text) {
    throw new ModelError('empty', `The model "${modelName}" returned an empty reply; nothing was saved to memory.`);
  }
  return { reply, modelMs: performance.now() - requested, firstTokenMs };
}
