// HistoryTarget -> the adapter for its kind. Each adapter is required when a store of its kind is opened,
// so nothing loads a driver it does not use (pg, the Redis client; sqlite.ts loads its addon itself).

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
