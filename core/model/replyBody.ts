// The body of a 200 answer to a completion request, read by us rather than by the SDK's stream parser, so
// that each way a server can answer wrongly gets its own message and the reply's size is capped:
// - text/event-stream (or an undeclared type): the stream; a chunk that is not JSON is 'bad-stream';
// - application/json: a server that ignored `stream: true`; a valid completion is accepted as the reply
//   (it arrives in one piece), anything else is 'not-openai';
// - text/html: a web page, so the base URL is not the API: 'not-openai', and the page is never read;
// - a reply longer than maxReplyChars: 'reply-too-large' as soon as it passes the cap, the download stopped.

import type { ModelReply, Usage } from '../chain/types';
import { explain, ModelError, quoteServerText } from './errors';
import { serverSentEvents } from './sse';

export interface ReplyReader {
  endpoint: string;
  model: string;
  apiKey?: string;
  maxReplyChars: number;
  onToken?: (text: string) => void;
  /** A piece of the body arrived (the idle timer). */
  onData: () => void;
}

/** Room for what surrounds the text in one event or body: ids, roles, usage, a few logprobs. */
const envelopeChars = 1 << 20;

export async function readReplyBody(response: Response, reader: ReplyReader): Promise<ModelReply> {
  const type = mediaType(response.headers.get('content-type'));
  const body = response.body;
  if (type === 'text/html' || type === 'application/xhtml+xml') {
    await body?.cancel().catch(() => undefined);
    throw failure('not-openai', explain.htmlPage(reader.endpoint), reader);
  }
  if (!body) throw failure('not-openai', explain.notAStream(reader.endpoint, type), reader);
  if (type === 'application/json' || type.endsWith('+json')) return wholeReply(await boundedText(body, reader), reader);
  return streamedReply(body, type, reader);
}

/** The text's limit on the wire: JSON may spell each character of the text as \uXXXX (6 characters). */
function maxWireChars(reader: ReplyReader): number {
  return reader.maxReplyChars * 6 + envelopeChars;
}

async function streamedReply(body: ReadableStream<Uint8Array>, type: string, reader: ReplyReader): Promise<ModelReply> {
  const reply = new ReplyText(reader);
  const options = { maxEventChars: maxWireChars(reader), tooLarge: () => tooLarge(reader), onData: reader.onData };
  let events = 0;
  for await (const event of serverSentEvents(body, options)) {
    events++;
    // [DONE] ends the stream whatever follows (the SDK ignores the rest too).
    if (event.data.startsWith('[DONE]')) break;
    reply.addChunk(parseChunk(event.data, reader));
  }
  // Not one event from a body not declared a stream: whatever it was, it was not the API.
  if (events === 0 && type !== 'text/event-stream') throw failure('not-openai', explain.notAStream(reader.endpoint, type), reader);
  return reply.result();
}

function wholeReply(text: string, reader: ReplyReader): ModelReply {
  const value = parseJson(text);
  if (!isRecord(value)) throw failure('not-openai', explain.notACompletion(reader.endpoint), reader);
  throwIfError(value, reader);
  const choice = firstChoice(value);
  const content = isRecord(choice?.message) ? choice.message.content : choice?.text;
  if (typeof content !== 'string') throw failure('not-openai', explain.notACompletion(reader.endpoint), reader);
  const reply = new ReplyText(reader);
  reply.add(content, true, toUsage(value.usage));
  return reply.result();
}

/** The reply as it grows: the cap, the tokens handed on, whether it finished, the usage. */
class ReplyText {
  private text = '';
  private finished = false;
  private usage: Usage | undefined;

  constructor(private readonly reader: ReplyReader) {}

  addChunk(chunk: Record<string, unknown>): void {
    const choice = firstChoice(chunk);
    this.add(chunkText(choice), Boolean(choice?.finish_reason), toUsage(chunk.usage));
  }

  add(piece: string, finished: boolean, usage: Usage | undefined): void {
    if (piece) {
      if (this.text.length + piece.length > this.reader.maxReplyChars) throw tooLarge(this.reader);
      this.text += piece;
      this.reader.onToken?.(piece);
    }
    this.finished ||= finished;
    this.usage = usage ?? this.usage;
  }

  result(): ModelReply {
    const { endpoint, model } = this.reader;
    // A body that ends without a finish reason was cut ([DONE] is not required): never keep it.
    if (!this.finished) throw failure('stream-cut', explain.streamCut(endpoint), this.reader);
    if (!this.text) throw failure('empty', explain.empty(endpoint, model), this.reader);
    return this.usage ? { text: this.text, usage: this.usage } : { text: this.text };
  }
}

function parseChunk(data: string, reader: ReplyReader): Record<string, unknown> {
  const value = parseJson(data);
  if (value === undefined) throw failure('bad-stream', explain.badStream(reader.endpoint, 'a chunk that is not valid JSON'), reader);
  if (!isRecord(value)) throw failure('bad-stream', explain.badStream(reader.endpoint, 'a chunk that is not a JSON object'), reader);
  throwIfError(value, reader);
  return value;
}

/** An error object in a 200 body or stream (servers report a failure mid-stream this way). */
function throwIfError(value: Record<string, unknown>, reader: ReplyReader): void {
  if (value.error === undefined || value.error === null) return;
  // OpenAI nests the message ({ error: { message } }); some servers send the text alone ({ error: "..." }).
  const text = isRecord(value.error) ? value.error.message : value.error;
  const message = typeof text === 'string' ? text : '';
  throw failure('server', explain.server(reader.endpoint, undefined, quoteServerText(message, reader.apiKey)), reader);
}

function firstChoice(chunk: Record<string, unknown>): Record<string, unknown> | undefined {
  const first: unknown = Array.isArray(chunk.choices) ? chunk.choices[0] : undefined;
  return isRecord(first) ? first : undefined;
}

/** Chat chunks carry `delta.content`, completion chunks `text`. */
function chunkText(choice: Record<string, unknown> | undefined): string {
  const text = isRecord(choice?.delta) ? choice.delta.content : choice?.text;
  return typeof text === 'string' ? text : '';
}

function toUsage(value: unknown): Usage | undefined {
  if (!isRecord(value)) return undefined;
  const { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: totalTokens } = value;
  if (typeof promptTokens !== 'number' || typeof completionTokens !== 'number' || typeof totalTokens !== 'number') return undefined;
  return { promptTokens, completionTokens, totalTokens };
}

/** The body as text, refused as soon as it is longer than any reply under the cap could make it. */
async function boundedText(body: ReadableStream<Uint8Array>, reader: ReplyReader): Promise<string> {
  const limit = maxWireChars(reader);
  const stream = body.getReader();
  const decoder = new TextDecoder();
  const parts: string[] = [];
  let chars = 0;
  try {
    for (let piece = await stream.read(); !piece.done; piece = await stream.read()) {
      reader.onData();
      const text = decoder.decode(piece.value, { stream: true });
      chars += text.length;
      if (chars > limit) throw tooLarge(reader);
      parts.push(text);
    }
  } catch (error) {
    await stream.cancel().catch(() => undefined);
    throw error;
  }
  return parts.join('') + decoder.decode();
}

/** `text/event-stream; charset=utf-8` -> `text/event-stream`. */
function mediaType(header: string | null): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function tooLarge(reader: ReplyReader): ModelError {
  return failure('reply-too-large', explain.replyTooLarge(reader.endpoint, reader.maxReplyChars), reader);
}

function failure(kind: ModelError['kind'], message: string, reader: ReplyReader): ModelError {
  return new ModelError(kind, message, { endpoint: reader.endpoint });
}
