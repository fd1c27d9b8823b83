// One chat turn, as LLMChain + ConversationBufferMemory run it: load memory, format, call the model,
// save the turn. The turn holds the conversation's lock from load to save, so concurrent turns land in
// order, and saves only after a complete, non-empty reply: a failed, cancelled or empty turn leaves the
// memory exactly as it was.

import type { PromptDocument } from '../format/model';
import { cancelledError, ModelError } from '../model/errors';
import type { ChainConfig, ChatMessage, Conversation, LanguageModel, ModelReply, TurnResult, TurnTimings } from './types';
import { ChainError } from './errors';
import { assertRunnable, preparePrompt, type PreparedPrompt } from './prepare';
import { formatTrace, traceStart } from './trace';

export interface RunTurnRequest {
  prompt: PromptDocument;
  config: ChainConfig;
  input: string;
  variables?: Record<string, string>;
  /** The stored conversation; without one the turn runs with empty memory and saves nothing. */
  conversation?: Conversation;
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
async function prepareTurn(req: TurnPreviewRequest): Promise<{ prepared: PreparedPrompt; memory?: Conversation }> {
  // With `memory: false` the conversation is neither read nor written.
  const memory = req.config.memory ? req.conversation : undefined;
  const turns = memory ? await memory.load() : [];
  const prepared = preparePrompt(req.prompt, req.config, { input: req.input, variables: req.variables, turns });
  return memory ? { prepared, memory } : { prepared };
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
  await memory?.append({ input: req.input, output: reply.text });
  const timings: TurnTimings = { formatMs, firstTokenMs, modelMs, totalMs: performance.now() - started };
  return {
    prompt: prepared.prompt,
    ...(prepared.messages ? { messages: prepared.messages } : {}),
    reply: reply.text,
    ...(reply.usage ? { usage: reply.usage } : {}),
    timings,
    trace: formatTrace(prepared.prompt, { color: false }),
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
