// RedisChatMessageHistory, as both LangChains keep it: a LIST at `{prefix}{session}` (Python
// langchain_community: prefix `message_store:`; LangChain.js @langchain/redis: the bare session id),
// each add an LPUSH of the message's JSON (so the list is newest first), `.messages` = LRANGE 0 -1
// reversed, EXPIRE after every add when a ttl is set, clear = DEL.
//
// Unlike LangChain (one LPUSH per message), a turn's messages go in one MULTI/EXEC: another writer's
// push lands before or after the whole turn, never inside it, and a connection lost before EXEC
// leaves the list as it was. The client never reconnects by itself (a turn must not hang on a dead
// server): each operation connects once if the last connection is gone, and fails with a kind.

import { createClient, ErrorReply, type RedisClientType } from '@redis/client';
import { cancelledError, isCancelled } from '../../model/errors';
import type { ChatHistoryStore, HistoryMessage, HistoryTarget } from '../types';
import { decidedOption } from '../historyUrl';
import {
  clientUrl,
  COMMAND_TIMEOUT_MS,
  CONNECT_TIMEOUT_MS,
  errorText,
  checkNewMessages,
  readMessages,
  storeError,
  unlessCancelled,
} from './serverStore';
import { refuseReadonly, throwIfCancelled } from './localStore';
import { outcomeUnknown } from './writeOutcome';

type Client = RedisClientType;

export function openRedisHistory(target: HistoryTarget): Promise<ChatHistoryStore> {
  return Promise.resolve(new RedisHistory(target));
}

/** SCAN MATCH pattern for keys starting with `prefix` (glob characters in it taken literally). */
export function prefixPattern(prefix: string): string {
  return `${prefix.replace(/[*?[\]\\]/g, (c) => `\\${c}`)}*`;
}

class RedisHistory implements ChatHistoryStore {
  private client: Client | undefined;
  private connecting: Promise<Client> | undefined;
  private readonly prefix: string;

  constructor(readonly target: HistoryTarget) {
    // historyUrl.ts decides the prefix (its default by dialect).
    this.prefix = decidedOption(target, 'prefix');
  }

  async messages(sessionId: string, signal?: AbortSignal): Promise<HistoryMessage[]> {
    const client = await this.connected(signal);
    // A cancel drops the connection: a written command cannot be taken back, only its answer ignored.
    const read = () => unlessCancelled(client.lRange(this.key(sessionId), 0, -1), signal, () => void this.close());
    const newestFirst = await this.run('read', read, signal);
    return readMessages(this.target, sessionId, newestFirst.reverse());
  }

  async append(sessionId: string, json: readonly string[], signal?: AbortSignal): Promise<void> {
    refuseReadonly(this.target, 'append to the history');
    if (json.length === 0) return;
    checkNewMessages(this.target, json);
    const client = await this.connected(signal);
    const key = this.key(sessionId);
    // In a MULTI, a failed LPUSH would not stop the EXPIRE after it: a foreign key is refused first.
    const type = await this.run('append to', () => client.type(key));
    if (type !== 'list' && type !== 'none') throw storeError(this.target, 'invalid-data', `Cannot append: the session's key ${JSON.stringify(key)} holds a ${type}, not a list, in`);
    // Past this point the turn is written whole or not at all: EXEC is not abandoned half way.
    throwIfCancelled(signal);
    const multi = client.multi().lPush(key, [...json]);
    if (this.target.options.ttl) multi.expire(key, this.target.options.ttl);
    await this.run('append to', () => multi.exec()).catch((error: unknown) => {
      throw outcomeUnknown(error, 'EXEC');
    });
  }

  async clear(sessionId: string): Promise<void> {
    refuseReadonly(this.target, 'clear the history');
    const client = await this.connected();
    await this.run('clear', () => client.del(this.key(sessionId)));
  }

  async sessions(): Promise<string[]> {
    const client = await this.connected();
    const found = new Set<string>();
    const options = { MATCH: prefixPattern(this.prefix), COUNT: 1000, TYPE: 'list' };
    let cursor = '0';
    do {
      const page = await this.run('list the sessions of', () => client.scan(cursor, options));
      for (const key of page.keys) found.add(key.slice(this.prefix.length));
      cursor = page.cursor;
    } while (cursor !== '0');
    return [...found];
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client?.isOpen) client.destroy();
    return Promise.resolve();
  }

  private key(sessionId: string): string {
    return this.prefix + sessionId;
  }

  /** The open client, or a new one connected once (bounded by CONNECT_TIMEOUT_MS; a cancel stops the wait). */
  private async connected(signal?: AbortSignal): Promise<Client> {
    if (this.client?.isReady) return this.client;
    // Operations that start together share one connection attempt.
    this.connecting ??= this.connect().finally(() => (this.connecting = undefined));
    return unlessCancelled(this.connecting, signal, () => undefined);
  }

  private async connect(): Promise<Client> {
    await this.close();
    const client = this.newClient();
    // The failure is reported by the operation that meets it; an unheard 'error' event would crash.
    client.on('error', () => undefined);
    this.client = client; // so that close() during the attempt ends it
    try {
      await client.connect();
    } catch (err) {
      if (client.isOpen) client.destroy();
      throw this.connectFailure(err);
    }
    if (this.client !== client) throw storeError(this.target, 'unreachable', 'Closed while connecting to');
    return client;
  }

  /** node-redis reads the URL here, and throws a plain TypeError for one it cannot use (`redis://host/abc`). */
  private newClient(): Client {
    try {
      return createClient({
        url: clientUrl(this.target),
        socket: { connectTimeout: CONNECT_TIMEOUT_MS, reconnectStrategy: false },
        disableOfflineQueue: true,
        commandOptions: { timeout: COMMAND_TIMEOUT_MS },
      });
    } catch (err) {
      throw storeError(this.target, 'invalid-url', 'Redis cannot use the URL', errorText(err));
    }
  }

  private connectFailure(err: unknown): Error {
    const reason = errorText(err);
    if (err instanceof ErrorReply && /^(WRONGPASS|NOAUTH|NOPERM)/.test(reason)) return storeError(this.target, 'auth', 'Redis refused the credentials for', reason);
    return storeError(this.target, 'unreachable', 'Cannot reach', reason);
  }

  /** Runs one command; a reply error is the data's fault, anything else a lost connection. */
  private async run<T>(action: string, command: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    try {
      return await command();
    } catch (err) {
      if (isCancelled(err) || signal?.aborted) throw cancelledError();
      if (err instanceof ErrorReply) throw this.replyFailure(action, err);
      await this.close();
      throw storeError(this.target, 'connection-lost', `Lost the connection while trying to ${action}`, errorText(err));
    }
  }

  private replyFailure(action: string, err: ErrorReply): Error {
    const reason = errorText(err);
    if (/^(NOAUTH|NOPERM|WRONGPASS)/.test(reason)) return storeError(this.target, 'auth', `Redis refused to ${action}`, reason);
    if (/WRONGTYPE/.test(reason)) return storeError(this.target, 'invalid-data', `Cannot ${action}: the session's key is not a list in`, reason);
    return storeError(this.target, 'invalid-data', `Redis refused to ${action}`, reason);
  }
}
