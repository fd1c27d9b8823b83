// A real PostgreSQL (Debian's `postgresql` package: initdb and postgres under /usr/lib/postgresql/*/bin)
// on 127.0.0.1, on a free port, in a throw-away cluster: ready when it logs "database system is ready to
// accept connections". TCP connections need the password (scram-sha-256), so a wrong one is a real auth
// failure. PostgreSQL refuses to run as root: as root, initdb and postgres run as the `postgres` user
// (which the Debian package creates), in a folder that user owns.

import { chownSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closedPort } from './ports';
import { findBinary, runToEnd, startLogged, stopProcess, type Started, type TestServer } from './serverProcess';

/** `url` is `postgres://postgres:PASSWORD@127.0.0.1:PORT/postgres`; `kill` is the immediate shutdown (recovery on restart). */
export type PostgresServer = TestServer;

const INSTALL = 'install it with `apt-get install -y postgresql` (see README, Set-up)';

function binFolders(): string[] {
  const root = '/usr/lib/postgresql';
  try {
    // Newest major version first.
    return readdirSync(root).sort((a, b) => Number(b) - Number(a)).map((version) => join(root, version, 'bin'));
  } catch {
    return [];
  }
}

/** The uid/gid to run as: the `postgres` user when this process is root, else this process's own. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const entry = readFileSync('/etc/passwd', 'utf8').split('\n').find((line) => line.startsWith('postgres:'));
  if (!entry) throw new Error(`running as root, but there is no postgres user to run PostgreSQL as: ${INSTALL}`);
  const [, , uid, gid] = entry.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

async function initCluster(dir: string, password: string, user: { uid: number; gid: number } | undefined): Promise<void> {
  const pwfile = join(dir, 'pwfile');
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (user) {
    chownSync(dir, user.uid, user.gid);
    chownSync(pwfile, user.uid, user.gid);
  }
  const initdb = findBinary('initdb', binFolders(), INSTALL);
  const args = ['-D', join(dir, 'data'), '-U', 'postgres', '--pwfile', pwfile, '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--no-locale', '--no-sync'];
  await runToEnd(initdb, args, { ...user, cwd: dir });
  rmSync(pwfile);
}

export async function startPostgresServer(password = 'postgres-test-secret'): Promise<PostgresServer> {
  const user = serverUser();
  const dir = mkdtempSync(join(tmpdir(), 'prompt-chain-postgres-'));
  await initCluster(dir, password, user);
  const port = await closedPort();
  const binary = findBinary('postgres', binFolders(), INSTALL);
  // fsync off: the tests kill the server, never the machine, so the OS keeps what was written.
  const args = ['-D', join(dir, 'data'), '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-k', dir, '-c', 'fsync=off'];
  const start = () => startLogged(binary, args, { ...user, cwd: dir }, /database system is ready to accept connections/, /FATAL|could not bind/);
  let server: Started = await start();
  return {
    port,
    password,
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    // SIGQUIT is PostgreSQL's immediate shutdown: every backend is dropped and nothing is checkpointed.
    kill: () => stopProcess(server.child, 'SIGQUIT'),
    restart: async () => {
      server = await start();
    },
    stop: async () => {
      await stopProcess(server.child, 'SIGINT');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
