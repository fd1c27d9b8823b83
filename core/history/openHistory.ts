// HistoryTarget -> the adapter for its kind. Each adapter is required when a store of its kind is opened,
// so nothing loads a driver it does not use (pg, the Redis client, the SQLite addon).

import { decodeMessages } from './messageDicts';
import type * as PostgresStore from './stores/postgres';
import type * as RedisStore from './stores/redis';
import { HistoryStoreError, type ChatHistoryStore, type HistoryTarget } from './types';

export async function openHistory(target: HistoryTarget): Promise<ChatHistoryStore> {
  switch (target.kind) {
    case 'redis':
      return (require('./stores/redis') as typeof RedisStore).openRedisHistory(target, decodeMessages);
    case 'postgres':
      return (require('./stores/postgres') as typeof PostgresStore).openPostgresHistory(target, decodeMessages);
    case 'sqlite':
    case 'file':
      // stores/sqlite.ts (openSqliteHistory) and stores/file.ts (openFileHistory) come with the codec branch.
      return Promise.reject(new HistoryStoreError('unsupported', `${target.display}: ${target.kind} stores are not available in this build.`));
  }
}
