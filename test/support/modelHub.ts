// A stand-in for huggingface.co's file downloads, on 127.0.0.1 (HF_ENDPOINT points at it): real HTTP, with
// Range requests, the hub's X-Linked-Etag checksum header, and hooks to cut or hold a body mid-way. Each
// test sets `handle`; `sendFile` answers as the hub does. Every request is recorded with its headers.

import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HubRequest {
  url: string;
  headers: IncomingHttpHeaders;
}

export type HubHandler = (request: IncomingMessage, response: ServerResponse) => void;

export interface ModelHub {
  /** `http://127.0.0.1:PORT`, the value of HF_ENDPOINT. */
  url: string;
  requests: HubRequest[];
  handle: HubHandler;
  close(): Promise<void>;
}

export async function startModelHub(): Promise<ModelHub> {
  const hub: ModelHub = {
    url: '',
    requests: [],
    handle: (_request, response) => response.writeHead(404).end(),
    close: () => closeServer(server),
  };
  const server: Server = createServer((request, response) => {
    hub.requests.push({ url: request.url ?? '', headers: request.headers });
    hub.handle(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  hub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return hub;
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

export interface SendOptions {
  /** The X-Linked-Etag sent (default: the bytes' own sha256, quoted as the hub does); null sends none. */
  linkedEtag?: string | null;
  /** Write this many bytes of the body, then cut the connection. */
  cutAfter?: number;
  /** Write this many bytes, then wait for `release` before the rest. */
  holdAfter?: number;
  release?: Promise<void>;
  /** Ignore Range (answer 200 with the whole file), as some servers do. */
  ignoreRange?: boolean;
}

/** Answers a GET for `bytes` as the hub does: 200 whole, or 206 from a `Range: bytes=N-`. */
export function sendFile(request: IncomingMessage, response: ServerResponse, bytes: Buffer, options: SendOptions = {}): void {
  const range = /^bytes=(\d+)-$/.exec(request.headers.range ?? '');
  const start = range && !options.ignoreRange ? Number(range[1]) : 0;
  const etag = options.linkedEtag === undefined ? `"${sha256(bytes)}"` : options.linkedEtag;
  const etagHeader: Record<string, string> = etag === null ? {} : { 'x-linked-etag': etag };
  if (start >= bytes.length && start > 0) {
    response.writeHead(416, { 'content-range': `bytes */${bytes.length}`, ...etagHeader }).end();
    return;
  }
  const headers: Record<string, string> = { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length - start), 'accept-ranges': 'bytes', ...etagHeader };
  if (start > 0) headers['content-range'] = `bytes ${start}-${bytes.length - 1}/${bytes.length}`;
  response.writeHead(start > 0 ? 206 : 200, headers);
  const body = bytes.subarray(start);
  if (options.cutAfter !== undefined) {
    response.write(body.subarray(0, options.cutAfter), () => response.socket?.destroy());
  } else if (options.holdAfter !== undefined) {
    response.write(body.subarray(0, options.holdAfter));
    void (options.release ?? new Promise<void>(() => undefined)).then(() => response.end(body.subarray(options.holdAfter)));
  } else {
    response.end(body);
  }
}

/** A model file of `size` bytes: the GGUF magic, then random bytes (the download does not read them). */
export function generatedModel(size: number): Buffer {
  return Buffer.concat([Buffer.from('GGUF'), randomBytes(size - 4)]);
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The hub path of a file: `/owner/repo/resolve/main/file`. */
export function resolvePath(repo: string, file: string, revision = 'main'): string {
  return `/${repo}/resolve/${revision}/${file}`;
}
