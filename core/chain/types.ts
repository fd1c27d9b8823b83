// Contracts of the chain engine: the resolved chain configuration, chat messages, the model port and
// the memory port. Pure types; implementations live beside them (config.ts, run.ts, ../model, ../memory).

import type { Api, ModelParameters, TemplateFormat, MemoryScope, MemoryType } from '../format/model';
import type { FailureKind } from './failure';

/** Defaults for what the front matter leaves out; the host supplies them (VS Code settings, CLI flags). */
export interface ChainDefaults {
  /** Model name when the file names none (chat prompts). */
  model?: string;
  /** Model name when a completion prompt names none: a chat-only model cannot serve the completions API. */
  completionModel?: string;
  /** Memory key when the file's memory block names none. LangChain's default is `history`. */
  memoryKey?: string;
}

export interface MemoryConfig {
  type: MemoryType;
  /** buffer_window: number of exchanges kept. */
  k?: number;
  key: string;
  returnMessages: boolean;
  humanPrefix: string;
  aiPrefix: string;
  scope: MemoryScope;
  /** summary_buffer, token_buffer: the most tokens the kept messages may count (LangChain's default 2000). */
  maxTokenLimit?: number;
  /** summary, summary_buffer: the summarizer's template; its variables are exactly {summary} and {new_lines}. */
  summaryPrompt?: string;
  /** summary, summary_buffer: the summary call's model and parameters (default: the chain's). */
  summaryModel?: string;
  summaryParameters?: ModelParameters;
  /** The name of a shared chat history the user configured (`memory.history`); absent: the local store. */
  history?: string;
}

/** The effective configuration of one `.prompt` file: front matter + defaults. */
export interface ChainConfig {
  api: Api;
  model?: string;
  templateFormat: TemplateFormat;
  inputVariables?: string[];
  inputKey?: string;
  partialVariables: Record<string, string>;
  /** undefined when the file says `memory: false`. */
  memory?: MemoryConfig;
  parameters: ModelParameters;
}

/** LangChain message types. `type` matches LangChain's `_getType()` names. */
export type ChatMessage =
  | { type: 'system'; content: string }
  | { type: 'human'; content: string }
  | { type: 'ai'; content: string };

export interface Usage {
  promptTokens?: number;
  completionTokens?: number;
  totalTokens?: number;
}

export interface ModelRequest {
  api: Api;
  model: string;
  /** completion api */
  prompt?: string;
  /**
   * completion api: `prompt` as the pieces it was joined from, in order (memory's history text is one of
   * them); the adapter escapes a long piece that grew from the last one it saw only where it grew.
   */
  promptParts?: readonly string[];
  /** chat api */
  messages?: ChatMessage[];
  /**
   * chat api: the same messages as the lists they were gathered from, in order (a placeholder's history
   * is memory's own list, which only grows); the adapter serializes such a list once and keeps it.
   */
  messageParts?: readonly (readonly ChatMessage[])[];
  parameters: ModelParameters;
  signal?: AbortSignal;
  /** Called with each streamed piece of the reply, in order. */
  onToken?: (token: string) => void;
}

export interface ModelReply {
  text: string;
  usage?: Usage;
}

/** The model port. The openai adapter (../model/openaiModel.ts) implements it; benches use a scripted one. */
export interface LanguageModel {
  invoke(request: ModelRequest): Promise<ModelReply>;
}

/** One completed exchange, as ConversationBufferMemory.save_context stores it. */
export interface Turn {
  input: string;
  output: string;
}

/**
 * A message a shared history holds without its pair: a system message, a human message without its
 * reply, an AI message without its question. Kept in place and given to the prompt as LangChain's memory
 * gives any message (the local store never writes one).
 */
export interface LoneMessage {
  lone: ChatMessage;
}

/** One entry of a conversation, oldest first: an exchange (human then AI), or a lone message. */
export type HistoryEntry = Turn | LoneMessage;

/**
 * The memory port: one conversation. Implemented by ../memory/store.ts (durable, turns only), in-memory
 * for tests, and ../history/historyConversation.ts (a shared history's session, with lone messages).
 */
export interface Conversation<Entry extends HistoryEntry = Turn> {
  /**
   * All stored entries, oldest first. Implementations may hand back the same array each time, appended to
   * in place as turns land (memory renders only what was added); `clear` must then start a new array.
   * `signal`: the turn's; a read from a server that hangs ends when the turn is cancelled.
   */
  load(signal?: AbortSignal): Promise<readonly Entry[]>;
  /** Appends one completed turn durably. */
  append(turn: Turn): Promise<void>;
  /**
   * Puts `turn` in the place of the last stored turn, in one durable step, when that turn is exactly
   * `expected`; else throws LastTurnChangedError (../memory/errors.ts) and changes nothing. `load` then
   * hands back a new array (the old one's last element is not changed in place).
   */
  replaceLast(expected: Turn, turn: Turn): Promise<void>;
  /** Forgets every turn and the memory state. `replaceLast` drops a state that accounts for the replaced turn. */
  clear(): Promise<void>;
  /**
   * The memory class's state as last saved (summary kinds, token_buffer); undefined: none yet, cleared, or
   * none that matches the stored turns (reported, then derived again). With `atMost`, the newest saved
   * state accounting for at most that many turns: a Retry of the last turn formats without it and asks
   * for `turns.length - 1`, getting the state from before that turn instead of summarizing all again.
   */
  loadState(atMost?: number): Promise<MemoryState | undefined>;
  /**
   * Saves it durably, after the turns it accounts for are stored; a crash before it lands leaves the
   * previous one, and the next turn catches up (the stored turns are never lost to it).
   */
  saveState(state: MemoryState): Promise<void>;
  /**
   * Why a turn is not saved here (a shared history attached read-only): the turn runs, shows its reply
   * and says this; `append` would refuse. Absent when turns are saved.
   */
  readonly readOnly?: string;
  /** Runs `fn` holding this conversation's lock (serializes turns across processes). */
  withLock<T>(fn: () => Promise<T>): Promise<T>;
}

export interface TurnTimings {
  /** ms spent loading memory and formatting */
  formatMs: number;
  /** ms from request to first streamed token (undefined when nothing streamed) */
  firstTokenMs?: number;
  /** ms for the whole model call */
  modelMs: number;
  totalMs: number;
}

export interface TurnResult {
  /** The prompt as text: PromptTemplate.format, or get_buffer_string of the chat messages. */
  prompt: string;
  /** Chat api: the formatted messages sent to the model. */
  messages?: ChatMessage[];
  reply: string;
  usage?: Usage;
  timings: TurnTimings;
  /** The verbose trace exactly as LangChain's StdOutCallbackHandler prints it, without colour codes. */
  trace: string;
  /** The memory class's own model calls this turn (summary memories), in order; absent when none. */
  memoryCalls?: MemoryCall[];
  /** The turn ran but was not saved, and why (the conversation's `readOnly`); absent when it was saved. */
  notSaved?: string;
}

/**
 * One model call a memory class made (LangChain's inner `LLMChain(llm, prompt).predict` of the summarizer):
 * sent as the completion prompt, or as one human message to a chat model.
 */
export interface MemoryCall {
  purpose: 'summary';
  /**
   * Why it was made: this turn's summary; a summary owed by an earlier turn whose call failed or never
   * ran (made before this turn was formatted); or the summary derived again from the full history because
   * the type, limit, summary prompt or counting model changed (or a Retry replaced a summarized turn).
   */
  reason?: MemoryCallReason;
  model: string;
  /** The formatted summary prompt. */
  prompt: string;
  /** Chat api: the messages sent (one human message holding `prompt`). */
  messages?: ChatMessage[];
  /** The new summary; absent when the call failed. */
  reply?: string;
  usage?: Usage;
  /** The call failed or was cancelled: the turn is kept, the old summary stays and is brought up to date next turn. */
  failure?: { kind: FailureKind; message: string };
}

export type MemoryCallReason = 'turn' | 'catch-up' | 're-derive';

/**
 * What a memory class derived from the stored turns (its summary, how much it pruned), kept beside them so
 * that loading never summarizes again nor calls the model. The stored turns stay complete whatever it says.
 */
export interface MemoryState {
  /** The configuration it was derived under: under another one it is derived again from the full history. */
  basis: MemoryBasis;
  /** How many stored entries (turns and lone messages, oldest first) it accounts for; later ones are owed a summary or a pruning pass. */
  turns: number;
  /** Messages of those turns pruned from what the prompt sees (summarized, or dropped by token_buffer), oldest first. */
  prunedMessages: number;
  /** summary, summary_buffer: the summary ('' before the first one). */
  summary?: string;
}

export interface MemoryBasis {
  type: MemoryType;
  maxTokenLimit?: number;
  summaryPrompt?: string;
  /** The model the counts were taken for (its encoding and per-message overhead). */
  model?: string;
}

/** What a conversation's memory holds now, as the prompt will see it: for hover, `memory show` and the panel. */
export interface MemoryView {
  type: MemoryType;
  /** Exchanges stored in full (the store keeps every message, whatever the prompt sees). */
  storedTurns: number;
  /** Lone messages stored beside them (a shared history's system messages, unpaired ones); absent when none. */
  loneMessages?: number;
  /** Messages the prompt sees verbatim, and messages pruned from it (summarized or, for token_buffer, dropped). */
  keptMessages: number;
  prunedMessages: number;
  /** summary, summary_buffer: the summary the prompt sees ('' before the first one). */
  summary?: string;
  /** summary_buffer, token_buffer: the kept messages' token count, as LangChain counts it, against the limit. */
  tokens?: number;
  maxTokenLimit?: number;
  /** Counted with a fallback encoding (the model is not one the tokenizer knows). */
  approximate?: boolean;
  /** A summary is owed (its call failed, was cancelled, or the type or limit changed): made before the next turn. */
  pendingSummary?: boolean;
}
