// A real HTTP server on 127.0.0.1 that speaks the OpenAI wire protocol, so tests drive the real `openai`
// SDK over real sockets instead of mocking modules. Replies are scripted in order (`enqueue`), faults are
// injectable, every request is recorded, and `waitForRequest` lets tests wait for events instead of sleeping.
//
// In-process:  const fake = await startFakeOpenAI(); fake.enqueue({ reply: 'Hi' }); ... await fake.close();
// Standalone:  node --import tsx test/support/fakeOpenAI.ts --port 0
//              prints the base URL on stdout; scripted replies come from FAKE_OPENAI_REPLIES (a JSON array
//              of steps); a process that cannot reach the object uses the control routes under /_fake/
//              (GET requests, POST enqueue with a step or an array of steps, POST reset).

import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * One scripted answer. Steps are consumed in order, one per model request (retries consume steps too); a
 * step with `forModel` is taken only by a request for that model (several models asked at once).
 */
export type FakeStep = FakeAnswer & { readonly forModel?: string };

type FakeAnswer =
  /** A reply; streamed as `chunks` when given (they should join to `reply`), else word by word. */
  | { reply: string; chunks?: string[] }
  /** An HTTP error with an OpenAI-shaped error body (404 means "model not found") and extra `headers` (Retry-After). */
  | { fault: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  /** Streams `chunks` (default: one chunk) then destroys the socket mid-reply. */
  | { fault: 'cut'; chunks?: string[] }
  /** Streams `chunks` then ends the response cleanly, but with no finish reason and no [DONE]. */
  | { fault: 'truncate'; chunks?: string[] }
  /** Never answers (or streams `chunks`, then stalls); released when the client aborts or the server closes. */
  | { fault: 'hang'; chunks?: string[] }
  /** A well-formed stream (or response) with no content. */
  | { fault: 'empty' }
  /** Waits `ms` before answering with `reply` (default: the echo reply). */
  | { fault: 'delay'; ms: number; reply?: string }
  /** Streams `chunks`, then an event whose data is not JSON, then a proper end (finish reason, [DONE]). */
  | { fault: 'malformed'; chunks?: string[] }
  /** A 200 with any body and content type instead of an API answer, e.g. a web server's HTML page. */
  | { fault: 'body'; contentType: string; body: string }
  /** One JSON completion holding `reply`, as a server that ignores `stream: true` answers. */
  | { fault: 'unstreamed'; reply: string }
  /**
   * A proper stream of `pieces` pieces of `pieceChars` characters each, written only as fast as the client
   * reads (back-pressure), so `piecesSent` shows how much a client that stops early made it send.
   */
  | { fault: 'huge'; pieces: number; pieceChars: number };

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The parsed JSON body (undefined when there was none or it was not JSON). */
  body: any;
  /** The body exactly as it arrived. */
  raw: string;
}

export interface FakeOpenAI {
  /** e.g. http://127.0.0.1:PORT/v1 */
  readonly baseURL: string;
  readonly port: number;
  /** Every request to /v1/..., in arrival order. */
  readonly requests: RecordedRequest[];
  enqueue(...steps: FakeStep[]): void;
  /** Resolves with the n-th request (1-based; default 1) once it has arrived. */
  waitForRequest(n?: number): Promise<RecordedRequest>;
  /** Resolves once n requests (default 1) have been held by `hang` steps. */
  waitForHang(n?: number): Promise<void>;
  /** Resolves once n responses (default 1) were closed by the client before they finished (abort). */
  waitForClientAbort(n?: number): Promise<void>;
  /** Reply pieces written by `huge` steps since the last reset. */
  readonly piecesSent: number;
  /**
   * What GET /v1/models answers from now on: these ids, or an HTTP error status (a server that has no
   * such route, or is failing). `reset` restores the list the server was started with.
   */
  setModels(models: string[] | { status: number }): void;
  /** Forgets recorded requests, scripted steps and event counts (between tests sharing one server). */
  reset(): void;
  close(): Promise<void>;
}

export interface FakeOpenAIOptions {
  port?: number;
  /** Model ids listed by GET /v1/models. */
  models?: string[];
  /** Initial script. */
  replies?: FakeStep[];
}

const defaultModels = ['gpt-4o-mini', 'gpt-4o', 'gpt-3.5-turbo-instruct'];

/** Counts of events, with waiters that resolve once a count is reached. */
class EventCounter {
  private count = 0;
  private waiters: { n: number; resolve: () => void }[] = [];

  bump(): void {
    this.count++;
    this.waiters = this.waiters.filter((w) => (w.n <= this.count ? (w.resolve(), false) : true));
  }

  waitFor(n: number): Promise<void> {
    if (this.count >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }
}

export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const state = new FakeState(options);
  const server = http.createServer((req, res) => void state.handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    port,
    requests: state.requests,
    enqueue: (...steps) => state.queue.push(...steps),
    waitForRequest: async (n = 1) => {
      await state.arrived.waitFor(n);
      return state.requests[n - 1]!;
    },
    waitForHang: (n = 1) => state.hangs.waitFor(n),
    waitForClientAbort: (n = 1) => state.aborts.waitFor(n),
    get piecesSent() {
      return state.piecesSent;
    },
    setModels: (models) => (state.models = models),
    reset: () => state.reset(),
    close: () => closeServer(server, state),
  };
}

function closeServer(server: http.Server, state: FakeState): Promise<void> {
  state.releaseHanging();
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

class FakeState {
  readonly requests: RecordedRequest[] = [];
  readonly queue: FakeStep[];
  arrived = new EventCounter();
  hangs = new EventCounter();
  aborts = new EventCounter();
  piecesSent = 0;
  private readonly hanging = new Set<http.ServerResponse>();
  models: string[] | { status: number };
  private readonly initialModels: string[];
  private nextId = 1;

  constructor(options: FakeOpenAIOptions) {
    this.queue = [...(options.replies ?? [])];
    this.initialModels = options.models ?? defaultModels;
    this.models = this.initialModels;
  }

  reset(): void {
    this.requests.length = 0;
    this.queue.length = 0;
    this.arrived = new EventCounter();
    this.hangs = new EventCounter();
    this.aborts = new EventCounter();
    this.piecesSent = 0;
    this.models = this.initialModels;
  }

  releaseHanging(): void {
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
  }

  async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!;
    const raw = await readBody(req);
    const body = parseJson(raw);
    res.on('close', () => {
      if (!res.writableFinished) this.aborts.bump();
    });
    if (path.startsWith('/_fake/')) return this.control(req.method ?? 'GET', path, body, res);
    this.requests.push({ method: req.method ?? 'GET', path, headers: req.headers, body, raw });
    this.arrived.bump();
    if (req.method === 'GET' && path === '/v1/models') return this.listModels(res);
    const api = path === '/v1/chat/completions' ? 'chat' : path === '/v1/completions' ? 'completion' : undefined;
    if (req.method !== 'POST' || !api) return sendError(res, 404, `Unknown route ${req.method} ${path}`, 'not_found');
    return this.answer(api, body ?? {}, res);
  }

  private control(method: string, path: string, body: any, res: http.ServerResponse): void {
    if (method === 'GET' && path === '/_fake/requests') return sendJson(res, 200, this.requests);
    if (method === 'POST' && path === '/_fake/enqueue') {
      this.queue.push(...(Array.isArray(body) ? body : [body]));
      return sendJson(res, 200, { queued: this.queue.length });
    }
    if (method === 'POST' && path === '/_fake/reset') {
      this.reset();
      return sendJson(res, 200, {});
    }
    return sendError(res, 404, `Unknown control route ${method} ${path}`, 'not_found');
  }

  /** The first step meant for a request for `model`. */
  private takeStep(model: unknown): FakeStep | undefined {
    const index = this.queue.findIndex((step) => step.forModel === undefined || step.forModel === model);
    return index < 0 ? undefined : this.queue.splice(index, 1)[0];
  }

  private listModels(res: http.ServerResponse): void {
    if (!Array.isArray(this.models)) return sendError(res, this.models.status, `Models are not available (${this.models.status})`, 'server_error');
    const data = this.models.map((id) => ({ id, object: 'model', created: 1700000000, owned_by: 'fake' }));
    sendJson(res, 200, { object: 'list', data });
  }

  private async answer(api: Api, body: any, res: http.ServerResponse): Promise<void> {
    const step = this.takeStep(body?.model) ?? { reply: echoReply(api, body) };
    const reply = new ReplyWriter(api, body, res, `fake-${this.nextId++}`);
    if (!('fault' in step)) return reply.send(step.reply, step.chunks);
    switch (step.fault) {
      case 'status':
        return sendJson(res, step.status, step.body ?? errorBodyFor(step.status, body?.model), step.headers);
      case 'cut':
        return reply.cut(step.chunks ?? ['Partial repl']);
      case 'truncate':
        return reply.truncate(step.chunks ?? ['Partial repl']);
      case 'hang':
        if (step.chunks) reply.stall(step.chunks);
        this.hanging.add(res);
        res.on('close', () => this.hanging.delete(res));
        return this.hangs.bump();
      case 'empty':
        return reply.send('', []);
      case 'delay':
        await new Promise((resolve) => setTimeout(resolve, step.ms));
        if (!res.destroyed) reply.send(step.reply ?? echoReply(api, body));
        return;
      case 'malformed':
        return reply.malformed(step.chunks ?? ['Partial repl']);
      case 'body':
        res.writeHead(200, { 'content-type': step.contentType });
        return void res.end(step.body);
      case 'unstreamed':
        return sendJson(res, 200, reply.whole(step.reply));
      case 'huge':
        return reply.huge(step.pieces, step.pieceChars, () => this.piecesSent++);
    }
  }
}

type Api = 'chat' | 'completion';

/** Writes one reply in the shape of the requested api, streamed (SSE) or whole. */
class ReplyWriter {
  private readonly created = 1700000000;

  constructor(
    private readonly api: Api,
    private readonly request: any,
    private readonly res: http.ServerResponse,
    private readonly id: string,
  ) {}

  send(text: string, chunks = splitWords(text)): void {
    if (!this.request.stream) return sendJson(this.res, 200, this.whole(chunks.join('')));
    this.startStream();
    if (this.api === 'chat') this.event(this.chatChunk({ role: 'assistant', content: '' }, null));
    for (const piece of chunks) this.event(this.piece(piece));
    this.finish(chunks.length);
  }

  /** The end of a proper stream: the finish reason, usage when asked for, [DONE]. */
  private finish(pieceCount: number): void {
    this.event(this.api === 'chat' ? this.chatChunk({}, 'stop') : this.textChunk('', 'stop'));
    if (this.request.stream_options?.include_usage) this.event(this.usageChunk(pieceCount));
    this.res.end('data: [DONE]\n\n');
  }

  /** Streams some pieces, then drops the connection without ending the chunked body. */
  cut(chunks: string[]): void {
    this.startStream();
    for (const piece of chunks) this.event(this.piece(piece));
    // Destroy only once the pieces are flushed, so the client really sees a partial reply. (An SSE comment.)
    this.res.write(': connection cut\n\n', () => this.res.destroy());
  }

  /** Streams some pieces and ends the body properly, as a proxy might when its upstream dies. */
  truncate(chunks: string[]): void {
    this.startStream();
    for (const piece of chunks) this.event(this.piece(piece));
    this.res.end();
  }

  /** Streams some pieces, one event that is not JSON, and a proper end. */
  malformed(chunks: string[]): void {
    this.startStream();
    for (const piece of chunks) this.event(this.piece(piece));
    this.res.write('data: {"choices": [{"delta": {"content": "oops"\n\n');
    this.finish(chunks.length);
  }

  /** Streams `pieces` pieces of `pieceChars` characters, waiting for 'drain' whenever the socket is full. */
  async huge(pieces: number, pieceChars: number, onPiece: () => void): Promise<void> {
    this.startStream();
    const event = `data: ${JSON.stringify(this.piece('x'.repeat(pieceChars)))}\n\n`;
    for (let i = 0; i < pieces && !this.res.destroyed; i++) {
      onPiece();
      if (!this.res.write(event)) await this.writable();
    }
    if (!this.res.destroyed) this.finish(pieces);
  }

  /** Resolves once the socket takes more data again, or is closed. */
  private writable(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.res.off('drain', done).off('close', done);
        resolve();
      };
      this.res.on('drain', done).on('close', done);
    });
  }

  /** Streams some pieces and then goes silent with the connection open. */
  stall(chunks: string[]): void {
    this.startStream();
    for (const piece of chunks) this.event(this.piece(piece));
  }

  private startStream(): void {
    this.res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    this.res.flushHeaders();
  }

  private event(data: unknown): void {
    this.res.write(`data: ${JSON.stringify(data)}\n\n`);
  }

  private piece(text: string): unknown {
    return this.api === 'chat' ? this.chatChunk({ content: text }, null) : this.textChunk(text, null);
  }

  private chatChunk(delta: object, finish: string | null): unknown {
    const choices = [{ index: 0, delta, logprobs: null, finish_reason: finish }];
    return { id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.request.model, choices };
  }

  private textChunk(text: string, finish: string | null): unknown {
    const choices = [{ text, index: 0, logprobs: null, finish_reason: finish }];
    return { id: this.id, object: 'text_completion', created: this.created, model: this.request.model, choices };
  }

  private usageChunk(completionTokens: number): unknown {
    const object = this.api === 'chat' ? 'chat.completion.chunk' : 'text_completion';
    const usage = this.usage(completionTokens);
    return { id: this.id, object, created: this.created, model: this.request.model, choices: [], usage };
  }

  /** The non-streamed completion object holding `text`. */
  whole(text: string): unknown {
    const base = { id: this.id, created: this.created, model: this.request.model, usage: this.usage(splitWords(text).length) };
    if (this.api === 'completion') {
      return { ...base, object: 'text_completion', choices: [{ text, index: 0, logprobs: null, finish_reason: 'stop' }] };
    }
    const message = { role: 'assistant', content: text, refusal: null };
    return { ...base, object: 'chat.completion', choices: [{ index: 0, message, logprobs: null, finish_reason: 'stop' }] };
  }

  /** Deterministic token counts: words of the prompt, pieces of the reply. */
  private usage(completionTokens: number): { prompt_tokens: number; completion_tokens: number; total_tokens: number } {
    const promptTokens = splitWords(promptText(this.api, this.request)).length;
    return { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
  }
}

function promptText(api: Api, body: any): string {
  if (api === 'completion') return String(body?.prompt ?? '');
  const messages: any[] = Array.isArray(body?.messages) ? body.messages : [];
  return messages.map((m) => String(m?.content ?? '')).join('\n');
}

/** The default reply: echoes the last user message (chat) or the prompt's last line (completion). */
function echoReply(api: Api, body: any): string {
  if (api === 'completion') return `Echo: ${String(body?.prompt ?? '').split('\n').at(-1) ?? ''}`;
  const messages: any[] = Array.isArray(body?.messages) ? body.messages : [];
  const lastUser = [...messages].reverse().find((m) => m?.role === 'user');
  return `Echo: ${String(lastUser?.content ?? '')}`;
}

/** Splits text into word pieces that keep their leading whitespace, so they join back exactly. */
function splitWords(text: string): string[] {
  return text.match(/\s*\S+|\s+$/g) ?? [];
}

function errorBodyFor(status: number, model: unknown): unknown {
  const known: Record<number, [string, string, string | null]> = {
    400: ['Invalid request.', 'invalid_request_error', null],
    401: ['Incorrect API key provided: sk-fa***ey. You can find your API key at https://platform.openai.com/account/api-keys.', 'invalid_request_error', 'invalid_api_key'],
    403: ['You are not allowed to use this model.', 'invalid_request_error', null],
    404: [`The model \`${String(model)}\` does not exist or you do not have access to it.`, 'invalid_request_error', 'model_not_found'],
    429: ['Rate limit reached for requests. Please try again in 20s.', 'requests', 'rate_limit_exceeded'],
  };
  const [message, type, code] = known[status] ?? ['The server had an error while processing your request.', 'server_error', null];
  return { error: { message, type, param: null, code } };
}

function sendError(res: http.ServerResponse, status: number, message: string, code: string): void {
  sendJson(res, status, { error: { message, type: 'invalid_request_error', param: null, code } });
}

function sendJson(res: http.ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...headers, 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', () => resolve(''));
  });
}

function parseJson(text: string): any {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Standalone entry: `--port N` (default 0); prints the base URL; FAKE_OPENAI_REPLIES scripts replies. */
export async function runFakeOpenAIMain(argv: string[], env: NodeJS.ProcessEnv): Promise<FakeOpenAI> {
  const portIndex = argv.indexOf('--port');
  const port = portIndex >= 0 ? Number(argv[portIndex + 1]) : 0;
  const replies = env.FAKE_OPENAI_REPLIES ? (JSON.parse(env.FAKE_OPENAI_REPLIES) as FakeStep[]) : [];
  const fake = await startFakeOpenAI({ port, replies });
  process.stdout.write(`${fake.baseURL}\n`);
  const stop = () => void fake.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return fake;
}

// Run as a program (tsx, or a bundle named after this file), not when imported or bundled into another entry.
if (/fakeOpenAI\.(ts|js|cjs|mjs)$/.test(process.argv[1] ?? '')) {
  runFakeOpenAIMain(process.argv.slice(2), process.env).catch((err: unknown) => {
    process.stderr.write(`fakeOpenAI: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
