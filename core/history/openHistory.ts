// HistoryTarget -> the adapter for its kind. Each adapter is required when a store of its kind is opened,
// so nothing loads a driver it does not use (pg, the Redis client; sqlite.ts loads its addon itself).
// Also the one decider of the order sessions are listed in (the CLI's `memory sessions`, the panel's picker).

import type * as FileStore from './stores/file';
import type * as PostgresStore from './stores/postgres';
import type * as RedisStore from './stores/redis';
import type * as SqliteStore from './stores/sqlite';
import type { ChatHistoryStore, HistoryTarget } from './types';

export async function openHistory(target: HistoryTarget): Promise<ChatHistoryStore> {
  switch (target.kind) {
    case 'redis':
      return (require('./stores/redis') as typeof RedisStore).openRedisHistory(target);
    case 'postgres':
      return (require('./stores/postgres') as typeof PostgresStore).openPostgresHistory(target);
    case 'sqlite':
      return Promise.resolve((require('./stores/sqlite') as typeof SqliteStore).openSqliteHistory(target));
    case 'file':
      return Promise.resolve((require('./stores/file') as typeof FileStore).openFileHistory(target));
  }
}

/**
 * The store's session ids, sorted by code unit: every host and every kind lists them alike. Adapters hand
 * them back in no particular order (SCAN and DISTINCT have none; Redis cannot tell which is latest).
 */
export async function listStoreSessions(target: HistoryTarget): Promise<string[]> {
  const store = await openHistory(target);
  try {
    return (await store.sessions()).sort();
  } finally {
    await store.close().catch(() => undefined);
  }
}
