// The request bodies the openai adapter sends, as objects and as the exact JSON text the SDK would make of
// them (JSON.stringify). A kept conversation sends the same history turn after turn plus two new messages:
// its messages are serialized once each and the text kept with memory's history list (append-only), so a
// turn serializes only what it added, not the whole conversation again.

import type { ChatCompletionCreateParamsStreaming, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { CompletionCreateParamsStreaming } from 'openai/resources/completions';
import type { ChatMessage, ModelRequest } from '../chain/types';
import { Attached } from '../chain/attached';
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
  const parts = (request.messageParts ?? [request.messages ?? []]).filter((part) => part.length > 0);
  const long = parts.filter((part) => part.length >= keptFrom);
  if (!long.some((part) => keptJsonOf(part))) return flatChatBody(request, parts, long);
  // The body with no messages ends in `"messages":[]}`: the messages go between its brackets.
  const head = JSON.stringify(chatRequestBody(noMessages(request)));
  if (!head.endsWith('"messages":[]}')) return JSON.stringify(chatRequestBody(request));
  let json = head.slice(0, -2);
  for (const [i, part] of parts.entries()) {
    // `+` references the kept history text instead of copying it; the one copy is the encoding to bytes.
    json += i === 0 ? serializedMessages(part) : `,${serializedMessages(part)}`;
  }
  return `${json}]}`;
}

/**
 * Nothing kept to build on (a conversation's first turn, every turn of a fresh run): each part serialized
 * once, a long list's text kept for the next turn, and the body made of them. Without a list to keep, one
 * JSON.stringify of the whole body.
 */
function flatChatBody(request: ModelRequest, parts: readonly (readonly ChatMessage[])[], long: readonly (readonly ChatMessage[])[]): string {
  const body = chatRequestBody(noMessages(request));
  const kept = long.length === 1 ? long[0]! : undefined;
  const head = kept === undefined || parts.indexOf(kept) !== parts.lastIndexOf(kept) ? undefined : JSON.stringify(body);
  if (head === undefined || !head.endsWith('"messages":[]}')) {
    const wire: ChatCompletionMessageParam[] = [];
    for (const part of parts) for (const message of part) wire.push(toWireMessage(message));
    return JSON.stringify({ ...body, messages: wire });
  }
  let json = head.slice(0, -2);
  for (const [i, part] of parts.entries()) {
    const text = part === kept ? keepJson(part, messagesJson(part, 0)) : messagesJson(part, 0);
    json += i === 0 ? text : `,${text}`;
  }
  return `${json}]}`;
}

/**
 * JSON.stringify(completionRequestBody(request)), byte for byte, built from the prompt's pieces: a long
 * piece that grew from one escaped before (memory's history text) is escaped only where it grew.
 */
export function serializedCompletionBody(request: ModelRequest): string {
  const parts = request.promptParts;
  const body = completionRequestBody(request);
  if (!parts || !piecesOf(request.prompt ?? '', parts)) return JSON.stringify(body);
  const grown = parts.map((part) => (part.length >= escapedFrom ? recentlyEscaped.find((kept) => grewFrom(part, kept.text)) : undefined));
  if (!grown.some((kept) => kept)) return flatCompletionBody(body, parts);
  // The body with an empty prompt ends in `"prompt":""}`: the escaped prompt goes between the quotes.
  const head = JSON.stringify({ ...body, prompt: '' });
  if (!head.endsWith('"prompt":""}')) return JSON.stringify(body);
  let json = head.slice(0, -2);
  for (const [i, part] of parts.entries()) json += part.length < escapedFrom ? escape(part) : escapedLong(part, grown[i]);
  return `${json}"}`;
}

/**
 * Nothing escaped before to build on (a conversation's first turn, every turn of a fresh run): the body
 * in one JSON.stringify, flat (a string built of pieces is copied whole once more when encoded), and a
 * long piece's part of it kept for the next turn.
 */
function flatCompletionBody(body: CompletionCreateParamsStreaming, parts: readonly string[]): string {
  const json = JSON.stringify(body);
  const long = parts.filter((part) => part.length >= escapedFrom);
  if (long.length !== 1) return json;
  const head = JSON.stringify({ ...body, prompt: '' });
  if (!head.endsWith('"prompt":""}')) return json;
  // The escaped prompt sits between the head's quotes: the other pieces' escaped lengths place the long one.
  const at = parts.indexOf(long[0]!);
  let start = head.length - 2;
  let others = 0;
  for (const [i, part] of parts.entries()) {
    if (i === at) continue;
    const length = escape(part).length;
    others += length;
    if (i < at) start += length;
  }
  keepEscaped(parts[at]!, json.slice(start, start + json.length - head.length - others));
  return json;
}

/** The request without its messages (chatRequestBody would map every one, only to be replaced). */
function noMessages(request: ModelRequest): ModelRequest {
  return { api: request.api, model: request.model, parameters: request.parameters, messages: [] };
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

/** JSON.stringify(text) without its quotes, for a long text: `grown` is what was kept of its start, if any. */
function escapedLong(text: string, grown: EscapedText | undefined): string {
  if (!grown) return keepEscaped(text, escape(text));
  if (grown.text.length < text.length) {
    const added = escape(text.slice(grown.text.length));
    // A rope that grows turn after turn is folded into one flat string now and then.
    grown.escaped = ++grown.growths >= foldEvery ? [grown.escaped, added].join('') : grown.escaped + added;
    if (grown.growths >= foldEvery) grown.growths = 0;
    grown.text = text;
  }
  return grown.escaped;
}

/** Remembers `escaped` as the escaped form of `text` (the oldest of the kept texts makes room); returns it. */
function keepEscaped(text: string, escaped: string): string {
  if (recentlyEscaped.length >= keptTexts) recentlyEscaped.shift();
  recentlyEscaped.push({ text, escaped, growths: 0 });
  return escaped;
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

const keptJson = new Attached<readonly ChatMessage[], KeptJson>('prompt-chain messages JSON');

/** Pieces folded into one flat string this often, so the kept text never becomes a deep rope. */
const foldEvery = 64;

/**
 * The list's messages as JSON array elements joined by commas. A long list is remembered: next time only
 * the messages appended since are serialized (memory's history list only ever grows; a list cleared and
 * refilled is a new array, and one whose known messages changed place is started over).
 */
function serializedMessages(messages: readonly ChatMessage[]): string {
  if (messages.length < keptFrom) return messagesJson(messages, 0);
  const kept = keptJsonOf(messages);
  if (!kept) return keepJson(messages, messagesJson(messages, 0));
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

/** What was kept of the list, if it still holds (the list was appended to, not refilled). */
function keptJsonOf(messages: readonly ChatMessage[]): KeptJson | undefined {
  const kept = keptJson.get(messages);
  if (!kept || kept.count > messages.length || messages[kept.count - 1] !== kept.last) return undefined;
  return kept;
}

/** Remembers `json` as the serialization of the whole list; returns it. */
function keepJson(messages: readonly ChatMessage[], json: string): string {
  keptJson.set(messages, { count: messages.length, last: messages[messages.length - 1]!, json, pending: [] });
  return json;
}

/**
 * messages[from..] serialized as the SDK does, comma-separated: one JSON.stringify of their wire array
 * without its brackets (an array's elements are serialized one by one and joined by commas).
 */
function messagesJson(messages: readonly ChatMessage[], from: number): string {
  if (messages.length - from <= writtenUpTo) return writtenMessagesJson(messages, from);
  const wire = new Array<ChatCompletionMessageParam>(messages.length - from);
  for (let i = from; i < messages.length; i++) wire[i - from] = toWireMessage(messages[i]!);
  return JSON.stringify(wire).slice(1, -1);
}

/**
 * Up to this many messages are written out directly: for a short list that is a third of the time of
 * JSON.stringify over wire objects made for it; for a long one, one JSON.stringify makes one flat string
 * where the pieces would make a rope of every message to be flattened.
 */
const writtenUpTo = 1024;

/** The openai wire form's opening of each role's message, up to the content's JSON string. */
const wireOpenings = { system: '{"role":"system","content":', human: '{"role":"user","content":', ai: '{"role":"assistant","content":' } as const;

/**
 * What JSON.stringify would escape in a string: `"`, `\`, controls below U+0020, and surrogates (a lone
 * one is written as `\uXXXX`; a pair is found here too and left to JSON.stringify).
 */
const escapedInJson = /["\\\u0000-\u001f\ud800-\udfff]/;

/** messagesJson for a short list: each message written as JSON.stringify writes its wire object. */
function writtenMessagesJson(messages: readonly ChatMessage[], from: number): string {
  let json = '';
  for (let i = from; i < messages.length; i++) {
    const { type, content } = messages[i]!;
    const text = escapedInJson.test(content) ? JSON.stringify(content) : `"${content}"`;
    json += i === from ? `${wireOpenings[type]}${text}}` : `,${wireOpenings[type]}${text}}`;
  }
  return json;
}

/** Parameters the file sets, and only those: an absent key lets the server apply its own default. */
function definedParameters(parameters: ModelParameters): ModelParameters {
  // A plain loop: every turn's request passes through here (entries/filter/fromEntries cost several times more).
  const defined: Record<string, unknown> = {};
  for (const name of Object.keys(parameters)) {
    const value = (parameters as Record<string, unknown>)[name];
    if (value !== undefined && value !== null) defined[name] = value;
  }
  return defined as ModelParameters;
}

const wireRoles = { system: 'system', human: 'user', ai: 'assistant' } as const;

function toWireMessage(message: ChatMessage): ChatCompletionMessageParam {
  return { role: wireRoles[message.type], content: message.content };
}
