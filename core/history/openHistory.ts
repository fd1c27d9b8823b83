// HistoryTarget -> the adapter for its kind, each loaded only when a store of its kind is opened (the
// SQLite addon, the Redis and Postgres clients are nobody else's cost).
// (engine branch: the file and SQLite cases; the servers branch adds Redis and Postgres to this dispatch.)

import type * as FileStore from './stores/file';
import type * as SqliteStore from './stores/sqlite';
import { HistoryStoreError, type ChatHistoryStore, type HistoryTarget } from './types';

export async function openHistory(target: HistoryTarget): Promise<ChatHistoryStore> {
  switch (target.kind) {
    case 'file':
      return (require('./stores/file') as typeof FileStore).openFileHistory(target);
    case 'sqlite':
      return (require('./stores/sqlite') as typeof SqliteStore).openSqliteHistory(target);
    default:
      throw new HistoryStoreError('unsupported', `${target.display}: ${target.kind} stores are not available in this build.`);
  }
}
