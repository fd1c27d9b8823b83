// The request bodies the openai adapter sends, as objects and as the exact JSON text the SDK would make of
// them (JSON.stringify). A kept conversation sends the same history turn after turn plus two new messages:
// its messages are serialized once each and the text kept with memory's history list (append-only), so a
// turn serializes only what it added, not the whole conversation again.

import type { ChatCompletionCreateParamsStreaming, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { CompletionCreateParamsStreaming } from 'openai/resources/completions';
import type { ChatMessage, ModelRequest } from '../chain/types';
import type { ModelParameters } from '../format/model';

/**
 * LangChain's OpenAI completion LLM sends temperature 0.7 and max_tokens 256 unless told otherwise;
 * without them the completions endpoint stops after 16 tokens.
 */
const completionDefaults: ModelParameters = { temperature: 0.7, max_tokens: 256 };

const streamed = { stream: true as const, stream_options: { include_usage: true } };

/** The chat completions body as sent. */
export function chatRequestBody(request: ModelRequest): ChatCompletionCreateParamsStreaming {
  const messages = request.messages ?? [];
  // A plain loop into a sized array: this runs over the whole conversation on every turn.
  const wire = new Array<ChatCompletionMessageParam>(messages.length);
  for (let i = 0; i < messages.length; i++) wire[i] = toWireMessage(messages[i]!);
  return { model: request.model, ...streamed, ...definedParameters(request.parameters), messages: wire };
}

/** The completions body as sent, with LangChain's OpenAI() defaults under the file's parameters. */
export function completionRequestBody(request: ModelRequest): CompletionCreateParamsStreaming {
  const parameters = definedParameters({ ...completionDefaults, ...definedParameters(request.parameters) });
  return { model: request.model, ...streamed, ...parameters, prompt: request.prompt ?? '' };
}

/**
 * JSON.stringify(chatRequestBody(request)), byte for byte, built from the request's message parts: a part
 * that is memory's history list has its messages serialized once and kept (serializedMessages).
 */
export function serializedChatBody(request: ModelRequest): string {
  // The body with no messages ends in `"messages":[]}`: the messages go between its brackets.
  const head = JSON.stringify(chatRequestBody({ ...request, messages: [] }));
  if (!head.endsWith('"messages":[]}')) return JSON.stringify(chatRequestBody(request));
  const parts = request.messageParts ?? [request.messages ?? []];
  let body = head.slice(0, -2);
  let first = true;
  for (const part of parts) {
    if (part.length === 0) continue;
    // `+` references the kept history text instead of copying it; the one copy is the encoding to bytes.
    body += first ? serializedMessages(part) : `,${serializedMessages(part)}`;
    first = false;
  }
  return `${body}]}`;
}

/**
 * JSON.stringify(completionRequestBody(request)), byte for byte, built from the prompt's pieces: a long
 * piece that grew from one escaped before (memory's history text) is escaped only where it grew.
 */
export function serializedCompletionBody(request: ModelRequest): string {
  const parts = request.promptParts;
  const whole = () => JSON.stringify(completionRequestBody(request));
  if (!parts || !piecesOf(request.prompt ?? '', parts)) return whole();
  // The body with an empty prompt ends in `"prompt":""}`: the escaped prompt goes between the quotes.
  const head = JSON.stringify(completionRequestBody({ ...request, prompt: '' }));
  if (!head.endsWith('"prompt":""}')) return whole();
  let body = head.slice(0, -2);
  for (const part of parts) body += escapedText(part);
  return `${body}"}`;
}

/**
 * The pieces make up the prompt (by length: they were joined into it) and can be escaped apart: none
 * splits a surrogate pair, which JSON.stringify escapes differently once split.
 */
function piecesOf(prompt: string, parts: readonly string[]): boolean {
  let length = 0;
  let previous = '';
  for (const part of parts) {
    if (part.length === 0) continue;
    if (isHighSurrogate(previous.charCodeAt(previous.length - 1)) && isLowSurrogate(part.charCodeAt(0))) return false;
    length += part.length;
    previous = part;
  }
  return length === prompt.length;
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/** Shorter text is escaped outright; longer text is looked up among the texts escaped before. */
const escapedFrom = 4096;

interface EscapedText {
  text: string;
  escaped: string;
  /** Growths appended to `escaped` since it was last flat. */
  growths: number;
}

/** The long texts escaped last (a few conversations at once); each is replaced by what grew from it. */
const recentlyEscaped: EscapedText[] = [];
const keptTexts = 4;

/** JSON.stringify(text) without its quotes. */
function escapedText(text: string): string {
  if (text.length < escapedFrom) return escape(text);
  const index = recentlyEscaped.findIndex((kept) => grewFrom(text, kept.text));
  if (index < 0) {
    if (recentlyEscaped.length >= keptTexts) recentlyEscaped.shift();
    const escaped = escape(text);
    recentlyEscaped.push({ text, escaped, growths: 0 });
    return escaped;
  }
  const kept = recentlyEscaped[index]!;
  if (kept.text.length < text.length) {
    const grown = escape(text.slice(kept.text.length));
    // A rope that grows turn after turn is folded into one flat string now and then.
    kept.escaped = ++kept.growths >= foldEvery ? [kept.escaped, grown].join('') : kept.escaped + grown;
    if (kept.growths >= foldEvery) kept.growths = 0;
    kept.text = text;
  }
  return kept.escaped;
}

/** `text` starts with all of `before`, which does not end inside a surrogate pair. */
function grewFrom(text: string, before: string): boolean {
  if (text.length < before.length || !text.startsWith(before)) return false;
  return !(isHighSurrogate(before.charCodeAt(before.length - 1)) && isLowSurrogate(text.charCodeAt(before.length)));
}

function escape(text: string): string {
  const json = JSON.stringify(text);
  return json.slice(1, -1);
}

/** Shorter lists (a template's own messages, a buffer window) are cheaper to serialize than to remember. */
const keptFrom = 16;

interface KeptJson {
  /** Messages of the list serialized so far. */
  count: number;
  /** The last of them: a list that no longer holds it there was refilled, not appended to. */
  last: ChatMessage;
  /** Their JSON, comma-separated, flat. */
  json: string;
  /** Messages added since, serialized, not yet folded into `json`. */
  pending: string[];
}

const keptJson = new WeakMap<readonly ChatMessage[], KeptJson>();

/** Pieces folded into one flat string this often, so the kept text never becomes a deep rope. */
const foldEvery = 64;

/**
 * The list's messages as JSON array elements joined by commas. A long list is remembered: next time only
 * the messages appended since are serialized (memory's history list only ever grows; a list cleared and
 * refilled is a new array, and one whose known messages changed place is started over).
 */
function serializedMessages(messages: readonly ChatMessage[]): string {
  if (messages.length < keptFrom) return messagesJson(messages, 0);
  let kept = keptJson.get(messages);
  if (!kept || kept.count > messages.length || messages[kept.count - 1] !== kept.last) {
    kept = { count: messages.length, last: messages[messages.length - 1]!, json: messagesJson(messages, 0), pending: [] };
    keptJson.set(messages, kept);
    return kept.json;
  }
  if (kept.count < messages.length) {
    kept.pending.push(messagesJson(messages, kept.count));
    kept.count = messages.length;
    kept.last = messages[messages.length - 1]!;
    if (kept.pending.length >= foldEvery) {
      // join makes one flat string; done once per foldEvery turns, so the copy is amortized.
      kept.json = [kept.json, ...kept.pending].join(',');
      kept.pending = [];
    }
  }
  return kept.pending.length === 0 ? kept.json : `${kept.json},${kept.pending.join(',')}`;
}

/**
 * messages[from..] serialized as the SDK does, comma-separated: one JSON.stringify of their wire array
 * without its brackets (an array's elements are serialized one by one and joined by commas).
 */
function messagesJson(messages: readonly ChatMessage[], from: number): string {
  const wire = new Array<ChatCompletionMessageParam>(messages.length - from);
  for (let i = from; i < messages.length; i++) wire[i - from] = toWireMessage(messages[i]!);
  return JSON.stringify(wire).slice(1, -1);
}

/** Parameters the file sets, and only those: an absent key lets the server apply its own default. */
function definedParameters(parameters: ModelParameters): ModelParameters {
  return Object.fromEntries(Object.entries(parameters).filter(([, value]) => value !== undefined && value !== null));
}

const wireRoles = { system: 'system', human: 'user', ai: 'assistant' } as const;

function toWireMessage(message: ChatMessage): ChatCompletionMessageParam {
  return { role: wireRoles[message.type], content: message.content };
}
