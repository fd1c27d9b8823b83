// One chat turn, as LLMChain + ConversationBufferMemory run it: load memory, format, call the model,
// save the turn. The turn holds the conversation's lock from load to save, so concurrent turns land in
// order, and saves only after a complete, non-empty reply: a failed, cancelled or empty turn leaves the
// memory exactly as it was. A turn may instead replace the last stored one (Retry, Edit and resend): it
// is formatted with the memory before that turn and saved in its place, under the same lock and rules.

import type { PromptDocument } from '../format/model';
import { cancelledError, ModelError } from '../model/errors';
import { isLastTurn, lastTurnChangedError } from '../memory/errors';
import type { ChainConfig, ChatMessage, Conversation, LanguageModel, ModelReply, Turn, TurnResult, TurnTimings } from './types';
import { ChainError } from './errors';
import { assertRunnable, preparePrompt, type PreparedPrompt } from './prepare';
import { lazyText } from './lazyText';
import { formatTrace, traceStart } from './trace';

export interface RunTurnRequest {
  prompt: PromptDocument;
  config: ChainConfig;
  input: string;
  variables?: Record<string, string>;
  /** The stored conversation; without one the turn runs with empty memory and saves nothing. */
  conversation?: Conversation;
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
export type TurnPreviewRequest = Pick<RunTurnRequest, 'prompt' | 'config' | 'input' | 'variables' | 'conversation'>;

export interface TurnPreview {
  prompt: string;
  messages?: ChatMessage[];
  /** LangChain's verbose trace up to the formatted prompt: what it prints before the model is called. */
  trace: string;
}

/**
 * The prompt a turn would send now, with the stored memory filled in, by the very steps the turn takes;
 * nothing is sent and nothing is stored (`prompt-chain run --dry-run`, the editor's preview).
 */
export async function previewTurn(req: TurnPreviewRequest): Promise<TurnPreview> {
  assertRunnable(req.prompt);
  const { prepared } = await prepareTurn(req);
  return { prompt: prepared.prompt, ...(prepared.messages ? { messages: prepared.messages } : {}), trace: traceStart(prepared.prompt, { color: false }) };
}

/** Loads memory and formats: the first half of a turn, shared with its preview. */
async function prepareTurn(req: TurnPreviewRequest & Pick<RunTurnRequest, 'replaceLast'>): Promise<{ prepared: PreparedPrompt; memory?: Conversation }> {
  // With `memory: false` the conversation is neither read nor written.
  const memory = req.config.memory ? req.conversation : undefined;
  const stored = memory ? await memory.load() : [];
  const turns = memory && req.replaceLast ? turnsBefore(stored, req.replaceLast) : stored;
  const prepared = preparePrompt(req.prompt, req.config, { input: req.input, variables: req.variables, turns });
  return memory ? { prepared, memory } : { prepared };
}

/** The memory a replacing turn sees: every stored turn but the one it replaces. */
function turnsBefore(stored: readonly Turn[], replaced: Turn): readonly Turn[] {
  if (!isLastTurn(stored, replaced)) throw lastTurnChangedError('nothing was sent');
  return stored.slice(0, -1);
}

async function runLocked(req: RunTurnRequest, modelName: string): Promise<TurnResult> {
  const started = performance.now();
  if (req.signal?.aborted) throw cancelledError();
  const { prepared, memory } = await prepareTurn(req);
  const formatMs = performance.now() - started;
  req.onPrompt?.(prepared.prompt, prepared.messages);
  const { reply, modelMs, firstTokenMs } = await callModel(req, modelName, prepared);
  // A cancel that arrives as the reply completes still means "do not keep this turn".
  if (req.signal?.aborted) throw cancelledError();
  const turn: Turn = { input: req.input, output: reply.text };
  if (memory) await (req.replaceLast ? memory.replaceLast(req.replaceLast, turn) : memory.append(turn));
  const timings: TurnTimings = { formatMs, firstTokenMs, modelMs, totalMs: performance.now() - started };
  // The prompt and trace are rendered when read (the CLI's trace, the server's answer), not for a caller
  // that only wants the reply (lazyText.ts).
  const trace = lazyText(() => formatTrace(prepared.prompt, { color: false }));
  return {
    get prompt() {
      return prepared.prompt;
    },
    ...(prepared.messages ? { messages: prepared.messages } : {}),
    reply: reply.text,
    ...(reply.usage ? { usage: reply.usage } : {}),
    timings,
    get trace() {
      return trace();
    },
  };
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
