// A TCP relay on 127.0.0.1 between a client and a real server, which can stop a request part way: once
// the client sends a given command (Redis EXEC, Postgres COMMIT), the bytes before it are passed on and
// the rest is held, and `holdAt` resolves. The test then kills the server while the client waits for its
// answer (a crash in the middle of a write, at a known point, without timing guesses), or acts and then
// lets the request go on (`release`).

import { once } from 'node:events';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  /** Holds the first client->server chunk containing `marker` from its start on; resolves when it happens. */
  holdAt(marker: string): Promise<void>;
  /** Sends on what is held, and forwards again. */
  release(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let hold: { marker: Buffer; reached: () => void } | undefined;
  const releases: (() => void)[] = [];
  const server: Server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => socket.destroy());
      socket.on('close', () => sockets.delete(socket));
    }
    let held: Buffer[] | undefined;
    client.on('data', (chunk: Buffer) => {
      if (held) return void held.push(chunk);
      const at = hold ? chunk.indexOf(hold.marker) : -1;
      if (at < 0) return void upstream.write(chunk);
      held = [chunk.subarray(at)];
      releases.push(() => {
        for (const part of held ?? []) upstream.write(part);
        held = undefined;
      });
      upstream.write(chunk.subarray(0, at));
      const { reached } = hold!;
      hold = undefined;
      reached();
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    holdAt: (marker) => new Promise<void>((reached) => (hold = { marker: Buffer.from(marker), reached })),
    release: () => releases.splice(0).forEach((release) => release()),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
