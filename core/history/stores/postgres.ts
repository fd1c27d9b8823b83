// PostgresChatMessageHistory in its two Python layouts:
// - `langchain-postgres` (schema `langchain-postgres`): a table the application names, `(id SERIAL PRIMARY
//   KEY, session_id UUID NOT NULL, message JSONB NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT NOW())`
//   with the index `idx_{table}_session_id`, created by `create_tables` (identifiers quoted); session ids
//   must be UUIDs; the table name must match `^\w+$`.
// - langchain_community's older class (schema `community`): `message_store(id SERIAL PRIMARY KEY,
//   session_id TEXT NOT NULL, message JSONB NOT NULL)`, created unquoted (so the name folds to lower case)
//   but inserted into quoted: only lower-case names work with it, so only those are accepted.
// Both read `SELECT message … WHERE session_id = … ORDER BY id` and insert `json.dumps(message_to_dict(m))`
// as the JSONB value. JSONB keeps the value, not the text: PostgreSQL hands back its own rendering (keys
// ordered by length then bytes, `", "` and `": "`, non-ASCII as UTF-8), which is what `raw` holds. Writes
// send LangChain's exact text, so the stored JSONB is identical to what LangChain would have stored.
//
// An append is one transaction holding SHARE ROW EXCLUSIVE on the table: another writer's rows (ours or
// LangChain's, whose INSERTs wait for the lock) come before or after the whole turn, never inside it, and
// a connection lost before COMMIT leaves the table as it was.

import pg from 'pg';
import { decidedOption } from '../historyUrl';
import { isCancelled } from '../../model/errors';
import { HistoryStoreError, type ChatHistoryStore, type HistoryMessage, type HistoryTarget } from '../types';
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

type Schema = 'langchain-postgres' | 'community';

export function openPostgresHistory(target: HistoryTarget): Promise<ChatHistoryStore> {
  // historyUrl.ts decided the schema and the table, and checked the name by the schema's rule.
  const schema = decidedOption(target, 'schema');
  return Promise.resolve(new PostgresHistory(target, new TableSql(schema, decidedOption(target, 'table'))));
}

// Python's uuid.UUID and PostgreSQL's uuid input both take these forms (hyphens optional, any case, braces).
const UUID_FORM = /^(?:[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}|\{[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\})$/i;

/** The SQL of one layout, with the table's name quoted as psycopg's sql.Identifier quotes it. */
class TableSql {
  readonly create: string[];
  readonly select: string;
  readonly delete: string;
  readonly sessions: string;
  readonly lock: string;
  private readonly insertInto: string;

  constructor(
    readonly schema: Schema,
    table: string,
  ) {
    const name = quoted(table);
    this.create = schema === 'community' ? [communityTable(name)] : [langchainPostgresTable(name), `CREATE INDEX IF NOT EXISTS ${quoted(`idx_${table}_session_id`)} ON ${name} (session_id);`];
    this.select = `SELECT message::text AS message FROM ${name} WHERE session_id = $1 ORDER BY id;`;
    this.delete = `DELETE FROM ${name} WHERE session_id = $1;`;
    this.sessions = `SELECT DISTINCT session_id::text AS session_id FROM ${name};`;
    this.lock = `LOCK TABLE ${name} IN SHARE ROW EXCLUSIVE MODE;`;
    this.insertInto = `INSERT INTO ${name} (session_id, message) VALUES `;
  }

  /** One INSERT of `count` rows, in order: `($1, $2), ($1, $3), …`. */
  insert(count: number): string {
    return this.insertInto + Array.from({ length: count }, (_, i) => `($1, $${i + 2})`).join(', ') + ';';
  }
}

const quoted = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

function langchainPostgresTable(name: string): string {
  return `CREATE TABLE IF NOT EXISTS ${name} (
    id SERIAL PRIMARY KEY,
    session_id UUID NOT NULL,
    message JSONB NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);`;
}

function communityTable(name: string): string {
  return `CREATE TABLE IF NOT EXISTS ${name} (
    id SERIAL PRIMARY KEY,
    session_id TEXT NOT NULL,
    message JSONB NOT NULL
);`;
}

const UNDEFINED_TABLE = '42P01';
const UNIQUE_VIOLATION = '23505';

class PostgresHistory implements ChatHistoryStore {
  private readonly pool: pg.Pool;
  private tableReady = false;

  constructor(
    readonly target: HistoryTarget,
    private readonly sql: TableSql,
  ) {
    this.pool = new pg.Pool({
      connectionString: clientUrl(target),
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      query_timeout: COMMAND_TIMEOUT_MS,
      max: 4,
      allowExitOnIdle: true,
    });
    // An idle connection the server dropped: the next operation connects afresh (or reports why not).
    this.pool.on('error', () => undefined);
  }

  async messages(sessionId: string, signal?: AbortSignal): Promise<HistoryMessage[]> {
    this.checkSession(sessionId);
    const rows = await this.withClient('read', signal, async (client) => {
      const result = await tableMayBeMissing(client.query<{ message: string }>(this.sql.select, [sessionId]));
      return result?.rows ?? [];
    });
    return readMessages(this.target, sessionId, rows.map((row) => row.message));
  }

  async append(sessionId: string, json: readonly string[], signal?: AbortSignal): Promise<void> {
    refuseReadonly(this.target, 'append to the history');
    this.checkSession(sessionId);
    if (json.length === 0) return;
    checkNewMessages(this.target, json);
    let commitSent = false;
    const write = async (client: pg.PoolClient) => {
      throwIfCancelled(signal);
      await this.ensureTable(client);
      // Past this point the turn is written whole or not at all: the transaction is not abandoned.
      throwIfCancelled(signal);
      const insert = async () => {
        await client.query(this.sql.lock);
        await client.query(this.sql.insert(json.length), [sessionId, ...json]);
      };
      await inTransaction(client, insert, () => (commitSent = true));
    };
    await this.withClient('append to', signal, write, 'connecting only').catch((error: unknown) => {
      throw commitSent ? outcomeUnknown(error, 'COMMIT') : error;
    });
  }

  async clear(sessionId: string): Promise<void> {
    refuseReadonly(this.target, 'clear the history');
    this.checkSession(sessionId);
    await this.withClient('clear', undefined, (client) => tableMayBeMissing(client.query(this.sql.delete, [sessionId])));
  }

  async sessions(): Promise<string[]> {
    return this.withClient('list the sessions of', undefined, async (client) => {
      const result = await tableMayBeMissing(client.query<{ session_id: string }>(this.sql.sessions));
      return (result?.rows ?? []).map((row) => row.session_id);
    });
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private checkSession(sessionId: string): void {
    if (this.sql.schema !== 'langchain-postgres' || UUID_FORM.test(sessionId)) return;
    throw new HistoryStoreError('no-session', `Invalid session id for ${this.target.display}: langchain-postgres keeps sessions by UUID, and ${JSON.stringify(sessionId)} is not one (e.g. 8f3c2a4e-5b1d-4c6f-9a7e-0d2b3c4e5f60).`);
  }

  /** Creates the table as LangChain's create_tables does, once per store, only when writing. */
  private async ensureTable(client: pg.PoolClient): Promise<void> {
    if (this.tableReady) return;
    for (const statement of this.sql.create) {
      try {
        await client.query(statement);
      } catch (err) {
        // Two writers creating the table at once: the loser's IF NOT EXISTS still trips the catalog's index.
        if (sqlState(err) !== UNIQUE_VIOLATION) throw err;
      }
    }
    this.tableReady = true;
  }

  /**
   * Checks out a connection (bounded, cancellable), runs `work` on it, and turns failures into kinds.
   * A cancel drops the connection mid-work, unless only `connecting` may be cancelled (a write).
   */
  private async withClient<T>(action: string, signal: AbortSignal | undefined, work: (client: pg.PoolClient) => Promise<T>, cancels: 'connecting only' | 'any step' = 'any step'): Promise<T> {
    const client = await this.checkout(signal);
    const workSignal = cancels === 'any step' ? signal : undefined;
    // A checked-out connection the server drops emits 'error' as well as failing its query: unheard, it would crash.
    const ignore = () => undefined;
    client.on('error', ignore);
    let broken: Error | undefined;
    try {
      return await unlessCancelled(work(client), workSignal, () => (broken = new Error('cancelled')));
    } catch (err) {
      broken ??= err instanceof Error ? err : new Error(String(err));
      if (isCancelled(err)) throw err;
      throw this.queryFailure(action, err);
    } finally {
      // A connection that failed (or was cancelled mid-query) is dropped, not handed to the next caller.
      client.off('error', ignore);
      client.release(broken);
    }
  }

  private async checkout(signal: AbortSignal | undefined): Promise<pg.PoolClient> {
    throwIfCancelled(signal);
    const pending = this.pool.connect();
    try {
      return await unlessCancelled(pending, signal, () => void pending.then((client) => client.release(true), () => undefined));
    } catch (err) {
      if (isCancelled(err)) throw err;
      throw this.connectFailure(err);
    }
  }

  private connectFailure(err: unknown): Error {
    const state = sqlState(err);
    const reason = errorText(err);
    if (state?.startsWith('28')) return storeError(this.target, 'auth', 'PostgreSQL refused the credentials for', reason);
    return storeError(this.target, 'unreachable', 'Cannot reach', reason);
  }

  private queryFailure(action: string, err: unknown): Error {
    const state = sqlState(err);
    const reason = errorText(err);
    if (state === undefined || state.startsWith('57P') || state.startsWith('08')) {
      return storeError(this.target, 'connection-lost', `Lost the connection while trying to ${action}`, reason);
    }
    if (state === '42501' || state.startsWith('28')) return storeError(this.target, 'auth', `PostgreSQL refused to ${action}`, reason);
    return storeError(this.target, 'invalid-data', `PostgreSQL refused to ${action}`, reason);
  }
}

/** A missing table is an empty store (reads never create it): the query's result, or undefined. */
async function tableMayBeMissing<T>(query: Promise<T>): Promise<T | undefined> {
  try {
    return await query;
  } catch (err) {
    if (sqlState(err) === UNDEFINED_TABLE) return undefined;
    throw err;
  }
}

/** `committing` is told just before COMMIT goes out: from then on a lost connection leaves the outcome unknown. */
async function inTransaction(client: pg.PoolClient, work: () => Promise<void>, committing: () => void): Promise<void> {
  await client.query('BEGIN');
  try {
    await work();
    committing();
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/** The SQLSTATE of a server error (its classes, not Node's EPIPE), else undefined (a socket error, a timeout). */
function sqlState(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(?:[0-9][0-9A-Z]|F0|HV|P0|XX)[0-9A-Z]{3}$/.test(code) ? code : undefined;
}
