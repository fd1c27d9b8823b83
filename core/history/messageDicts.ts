// LangChain's message dicts, the one format every chat history store holds, in both dialects:
//
// Python   langchain_core `message_to_dict(m)` = {"type": m.type, "data": m.model_dump()}, written with
//          `json.dumps` defaults (pythonJson.ts). model_dump() lists pydantic fields base class first:
//          content, additional_kwargs, response_metadata, type, name, id; then AIMessage's tool_calls,
//          invalid_tool_calls, usage_metadata. langchain_core 0.3 and earlier also had `example` (False) on
//          HumanMessage and AIMessage, right after id; 1.0 removed it.
// JS       @langchain/core `message.toDict()` = {type, data: toJSON().kwargs}, written with JSON.stringify:
//          content, (AIMessage: tool_calls, invalid_tool_calls,) additional_kwargs, response_metadata; keys
//          whose value is undefined (name, id) are left out. ChatMessage is type `generic` there, `chat` in
//          Python. Before 0.1 LangChain.js stored {type, role, text} with no `data` (still read by its
//          mapStoredMessagesToChatMessages, and here).
//
// Reading keeps each dict's exact text (HistoryMessage.raw) so nothing is lost or rewritten; writing
// produces what LangChain itself writes for `add_user_message` / `add_ai_message` / memory `save_context`:
// a HumanMessage or AIMessage holding only its content.

import type { ChatMessage, Turn } from '../chain/types';
import { oneLine, quotedExcerpt } from '../text/excerpt';
import { pythonJsonDumps, type JsonValue } from './pythonJson';
import { HistoryStoreError, type HistoryMessage, type HistoryMessageType, type MessageDialect } from './types';

/** How new dicts are written: the dialect, and for Python whether the session's dicts carry `example`. */
export interface DictStyle {
  dialect: MessageDialect;
  /** Python langchain_core before 1.0: human and AI dicts end their base fields with `"example": false`. */
  example?: boolean;
}

const MESSAGE_TYPES: ReadonlySet<string> = new Set<HistoryMessageType>(['human', 'ai', 'system', 'tool', 'function', 'chat', 'generic', 'developer', 'remove']);
// Python's messages_from_dict also takes the streaming chunk classes, by class name.
const CHUNK_TYPES: Readonly<Record<string, HistoryMessageType>> = {
  HumanMessageChunk: 'human',
  AIMessageChunk: 'ai',
  SystemMessageChunk: 'system',
  ChatMessageChunk: 'chat',
  FunctionMessageChunk: 'function',
  ToolMessageChunk: 'tool',
};

type JsonObject = { [key: string]: JsonValue };

/** The exact text LangChain stores for `message` in `style` (a bare dialect: the current release's fields). */
export function encodeMessage(message: ChatMessage, style: MessageDialect | DictStyle = 'python'): string {
  const { dialect, example = false } = typeof style === 'string' ? { dialect: style } : style;
  return dialect === 'js' ? JSON.stringify(jsDict(message)) : pythonJsonDumps(pythonDict(message, example));
}

/** A turn as LangChain's memory `save_context` stores it: its human message, then its AI message. */
export function encodeTurn(turn: Turn, style: MessageDialect | DictStyle = 'python'): [string, string] {
  return [encodeMessage({ type: 'human', content: turn.input }, style), encodeMessage({ type: 'ai', content: turn.output }, style)];
}

function pythonDict(message: ChatMessage, example: boolean): JsonObject {
  const data: JsonObject = { content: message.content, additional_kwargs: {}, response_metadata: {}, type: message.type, name: null, id: null };
  if (example && message.type !== 'system') data['example'] = false;
  if (message.type === 'ai') Object.assign(data, { tool_calls: [], invalid_tool_calls: [], usage_metadata: null });
  return { type: message.type, data };
}

function jsDict(message: ChatMessage): JsonObject {
  const toolFields: JsonObject = message.type === 'ai' ? { tool_calls: [], invalid_tool_calls: [] } : {};
  return { type: message.type, data: { content: message.content, ...toolFields, additional_kwargs: {}, response_metadata: {} } };
}

/**
 * The style a turn appends in: the dialect of the session's last message (so an application's
 * conversation stays uniform), else `configured` (the URL's `dialect`), else Python's current release.
 * Whether Python dicts carry `example` is told by the last human or AI one (system dicts never had it).
 */
export function writeStyle(messages: readonly HistoryMessage[], configured?: MessageDialect): DictStyle {
  const last = messages.at(-1);
  if (!last) return { dialect: configured ?? 'python' };
  if (last.dialect === 'js') return { dialect: 'js' };
  return { dialect: 'python', example: hasExampleField(lastPythonExchange(messages)?.raw) };
}

function lastPythonExchange(messages: readonly HistoryMessage[]): HistoryMessage | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i]!;
    if (message.dialect === 'python' && (message.type === 'human' || message.type === 'ai')) return message;
  }
  return undefined;
}

function hasExampleField(raw: string | undefined): boolean {
  if (raw === undefined) return false;
  try {
    const data = (JSON.parse(raw) as { data?: unknown }).data;
    return isObject(data) && 'example' in data;
  } catch {
    return false;
  }
}

/** One stored dict's text, read. `where` names the store and session in the error (display form only). */
export function decodeMessage(raw: string, index: number, where: string): HistoryMessage {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    throw invalid(where, index, `is not JSON (${oneLine((error as Error).message).slice(0, 160)})`);
  }
  return decodeMessageValue(value, raw, index, where);
}

/** A dict already parsed (a JSON array's element, a JSONB value); `raw` is its stored text. */
export function decodeMessageValue(value: unknown, raw: string, index: number, where: string): HistoryMessage {
  const problem = (text: string) => invalid(where, index, text);
  if (!isObject(value)) throw problem(`is not a message dict {"type": …, "data": {…}}: got ${describe(value)}`);
  const type = messageType(value['type'], problem);
  const data = value['data'];
  if (data === undefined) return legacyJsMessage(value, type, raw, problem);
  if (!isObject(data)) throw problem(`has a "data" that is not an object: got ${describe(data)}`);
  const content = contentText(data['content'], problem);
  const role = roleOf(type, data['role'], problem);
  return { type, content, ...(role !== undefined && { role }), dialect: dialectOf(data, raw), raw };
}

/** Every dict of a session, in order; the first bad one fails the whole read (nothing is silently dropped). */
export function decodeMessages(raws: readonly string[], where: string): HistoryMessage[] {
  return raws.map((raw, index) => decodeMessage(raw, index, where));
}

function messageType(value: unknown, problem: (text: string) => HistoryStoreError): HistoryMessageType {
  if (typeof value !== 'string') throw problem(`has no "type" string: got ${describe(value)}`);
  const chunk = CHUNK_TYPES[value];
  if (chunk) return chunk;
  if (!MESSAGE_TYPES.has(value)) throw problem(`has an unknown type ${quotedExcerpt(value, 40)} (LangChain's are human, ai, system, chat, generic, tool, function)`);
  return value as HistoryMessageType;
}

/** LangChain.js before 0.1: {type, role, text}. */
function legacyJsMessage(value: JsonObject, type: HistoryMessageType, raw: string, problem: (text: string) => HistoryStoreError): HistoryMessage {
  const text = value['text'];
  if (typeof text !== 'string') throw problem('has neither "data" nor a "text" string');
  const role = roleOf(type, value['role'], problem);
  return { type, content: text, ...(role !== undefined && { role }), dialect: 'js', raw };
}

/** A string, or a list of parts whose text parts are joined, as LangChain's `.text` reads them. */
function contentText(content: unknown, problem: (text: string) => HistoryStoreError): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) throw problem(`has a "content" that is neither a string nor a list of parts: got ${describe(content)}`);
  let text = '';
  for (const [position, part] of content.entries()) text += partText(part, position, problem);
  return text;
}

function partText(part: unknown, position: number, problem: (text: string) => HistoryStoreError): string {
  if (typeof part === 'string') return part;
  if (!isObject(part)) throw problem(`has a content part ${position} that is neither a string nor an object: got ${describe(part)}`);
  if (part['type'] !== 'text') return ''; // images, audio, reasoning: no text, as in `.text`
  const text = part['text'];
  if (typeof text !== 'string') throw problem(`has a text part ${position} without a "text" string`);
  return text;
}

function roleOf(type: HistoryMessageType, role: unknown, problem: (text: string) => HistoryStoreError): string | undefined {
  if (type !== 'chat' && type !== 'generic') return undefined;
  if (typeof role !== 'string') throw problem(`is a ${type} message without a "role" string: got ${describe(role)}`);
  return role;
}

/**
 * Python's model_dump always has `type` in data (and releases before 0.1 had `example`); LangChain.js never
 * does. For the rest (a system dict from before 0.1) the text tells: `{"type": "` is json.dumps's key
 * order with its separator. JSONB rewrites both (`{"data": …` first), so there it never decides.
 */
function dialectOf(data: JsonObject, raw: string): MessageDialect {
  if ('type' in data || 'example' in data) return 'python';
  return raw.startsWith('{"type": "') ? 'python' : 'js';
}

function invalid(where: string, index: number, text: string): HistoryStoreError {
  return new HistoryStoreError('invalid-data', `${where}: the message at index ${index} ${text}`);
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return 'a string';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value).slice(0, 20)}`;
}
