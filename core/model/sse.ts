// Server-sent events from a fetch body, parsed as the WHATWG spec says: lines end in CR, LF or CRLF, `data`
// lines are joined with "\n", a blank line ends an event, comments and other fields are ignored. The SDK has
// its own parser, but it prints an event it cannot parse to the console (two raw lines before our message)
// and holds a line of any length; this one never prints and refuses an event as soon as it is longer than
// `maxEventChars`, so a server cannot make us buffer without bound. Linear in the body: each piece of text
// is scanned once, wherever the line breaks fall.

export interface ServerSentEvent {
  /** The `event:` field, `message` when absent. */
  event: string;
  data: string;
}

export interface EventStreamOptions {
  maxEventChars: number;
  /** What to throw for an event longer than maxEventChars. */
  tooLarge: () => Error;
  /** Called whenever a piece of the body arrives (feeds the caller's idle timer). */
  onData?: () => void;
}

export async function* serverSentEvents(body: ReadableStream<Uint8Array>, options: EventStreamOptions): AsyncGenerator<ServerSentEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parser = new EventParser(options);
  let ended = false;
  try {
    for (let piece = await reader.read(); !piece.done; piece = await reader.read()) {
      options.onData?.();
      yield* parser.push(decoder.decode(piece.value, { stream: true }));
    }
    ended = true;
    yield* parser.push(decoder.decode());
    yield* parser.end();
  } finally {
    // Stopped early (the caller has enough, or failed): release the connection instead of reading on.
    if (!ended) reader.cancel().catch(() => undefined);
  }
}

class EventParser {
  /** The unfinished line, in the pieces it arrived in. */
  private partial: string[] = [];
  private partialChars = 0;
  /** The previous piece ended in CR: an LF at the start of this one belongs to it. */
  private afterCR = false;
  private data: string[] = [];
  private dataChars = 0;
  private event = '';

  constructor(private readonly options: EventStreamOptions) {}

  *push(text: string): Generator<ServerSentEvent> {
    let start = this.afterCR && text.startsWith('\n') ? 1 : 0;
    if (text) this.afterCR = false;
    // A regex of its own: a stateful /g shared by parsers that interleave at each yield would skip lines.
    const lineBreak = /\r\n|\r|\n/g;
    lineBreak.lastIndex = start;
    for (let match = lineBreak.exec(text); match; match = lineBreak.exec(text)) {
      const event = this.line(this.takeLine(text.slice(start, match.index)));
      start = match.index + match[0].length;
      this.afterCR = match[0] === '\r' && start === text.length;
      if (event) yield event;
    }
    this.keepPartial(text.slice(start));
  }

  /** The body ended: a last event without its blank line still counts (lenient, as browsers are not). */
  *end(): Generator<ServerSentEvent> {
    const event = this.partialChars > 0 ? this.line(this.takeLine('')) : undefined;
    if (event) yield event;
    const last = this.dispatch();
    if (last) yield last;
  }

  private takeLine(tail: string): string {
    if (this.partial.length === 0) return tail;
    const line = this.partial.join('') + tail;
    this.partial = [];
    this.partialChars = 0;
    return line;
  }

  private keepPartial(text: string): void {
    if (!text) return;
    this.partial.push(text);
    this.partialChars += text.length;
    this.checkSize();
  }

  private line(line: string): ServerSentEvent | undefined {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(line[colon + 1] === ' ' ? colon + 2 : colon + 1);
    if (field === 'data') {
      this.data.push(value);
      this.dataChars += value.length + 1;
      this.checkSize();
    } else if (field === 'event') {
      this.event = value;
    }
    return undefined;
  }

  private dispatch(): ServerSentEvent | undefined {
    const event = this.data.length > 0 ? { event: this.event || 'message', data: this.data.join('\n') } : undefined;
    this.data = [];
    this.dataChars = 0;
    this.event = '';
    return event;
  }

  private checkSize(): void {
    if (this.partialChars + this.dataChars > this.options.maxEventChars) throw this.options.tooLarge();
  }
}
