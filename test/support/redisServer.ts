// A real redis-server (Debian's `redis-server` package) on 127.0.0.1, on a free port, with a throw-away
// folder: ready when it logs "Ready to accept connections". It keeps an append-only file synced on every
// write, so a test can kill it (SIGKILL) in the middle of a request, start it again on the same folder and
// port, and see exactly what had been committed.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closedPort } from './ports';
import { findBinary, startLogged, stopProcess, type Started, type TestServer } from './serverProcess';

/** `url` is `redis://:PASSWORD@127.0.0.1:PORT`; `kill` is SIGKILL (no shutdown save). */
export type RedisServer = TestServer;

const INSTALL = 'install it with `apt-get install -y redis-server` (see README, Set-up)';

export async function startRedisServer(password = 'redis-test-secret'): Promise<RedisServer> {
  const binary = findBinary('redis-server', ['/usr/bin', '/usr/local/bin'], INSTALL);
  const dir = mkdtempSync(join(tmpdir(), 'prompt-chain-redis-'));
  const port = await closedPort();
  const args = [
    '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--requirepass', password,
    '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--daemonize', 'no', '--loglevel', 'notice',
  ];
  const start = () => startLogged(binary, args, {}, /Ready to accept connections/, /# (Failed|Fatal|Can't)|Address already in use/);
  let server: Started = await start();
  return {
    port,
    password,
    url: `redis://:${encodeURIComponent(password)}@127.0.0.1:${port}`,
    kill: () => stopProcess(server.child, 'SIGKILL'),
    restart: async () => {
      server = await start();
    },
    stop: async () => {
      await stopProcess(server.child, 'SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
