// SQLChatMessageHistory (langchain_community `chat_message_histories/sql.py`) on a SQLite file: one table
// (default `message_store`) of (id INTEGER PRIMARY KEY, session_id TEXT, message TEXT), a session's
// messages read ORDER BY id, each message the text `json.dumps(message_to_dict(m))` (DefaultMessageConverter).
// A missing table is created exactly as SQLAlchemy's create_all creates it for SQLite (the DDL below), in
// the same transaction as the first append.
//
// Writes go through SQLite itself (better-sqlite3), never a file rewrite, so the application may write the
// same file at the same time: an append is one BEGIN IMMEDIATE transaction, and when the application
// holds the write lock this store waits for it (retrying on SQLITE_BUSY without blocking the event loop,
// up to busyTimeoutMs) instead of failing. The journal mode (WAL or rollback) is left as the file has it.
//
// better-sqlite3 is a native addon: it is loaded only when a sqlite URL is used, and where it cannot load
// (another Node ABI, e.g. VS Code's Electron), the store fails with kind `unsupported` saying what works.

import { existsSync } from 'node:fs';
import type BetterSqlite3 from 'better-sqlite3';
import { oneLine } from '../../text/excerpt';
import { decodeMessages } from '../messageDicts';
import { decidedOption } from '../historyUrl';
import { HistoryStoreError, type ChatHistoryStore, type HistoryMessage, type HistoryTarget } from '../types';
import { refuseReadonly, storeFailure, throwIfCancelled } from './localStore';

type Binding = typeof BetterSqlite3;
type Database = BetterSqlite3.Database;

export interface SqliteHistoryOptions {
  /** How long a step waits for another connection's write transaction before failing (default 30 s). */
  busyTimeoutMs?: number;
  /** Called whenever a step finds the database locked and starts to wait (a test waits for it). */
  onBusy?: () => void;
  /** Loads the binding; the default requires better-sqlite3 on first use. */
  loadBinding?: () => Binding;
}

export const DEFAULT_BUSY_TIMEOUT_MS = 30_000;
const RETRY_MIN_MS = 2;
const RETRY_MAX_MS = 50;

export function openSqliteHistory(target: HistoryTarget, options: SqliteHistoryOptions = {}): ChatHistoryStore {
  if (target.kind !== 'sqlite' || target.path === undefined) throw new HistoryStoreError('invalid-url', `Not a SQLite history: ${target.display}`);
  return new SqliteHistory(target, target.path, options);
}

class SqliteHistory implements ChatHistoryStore {
  private database: Database | undefined;
  private readonly table: string;

  constructor(
    readonly target: HistoryTarget,
    private readonly path: string,
    private readonly options: SqliteHistoryOptions,
  ) {
    this.table = decidedOption(target, 'table');
  }

  async messages(sessionId: string, signal?: AbortSignal): Promise<HistoryMessage[]> {
    const raws = await this.reading(signal, (db) => {
      const rows = db.prepare(`SELECT message FROM ${quoted(this.table)} WHERE session_id = ? ORDER BY id ASC`).pluck().all(sessionId);
      return rows.map((row, index) => this.messageText(row, index));
    });
    return decodeMessages(raws ?? [], `${this.target.display} session ${JSON.stringify(sessionId)}`);
  }

  async append(sessionId: string, json: readonly string[], signal?: AbortSignal): Promise<void> {
    refuseReadonly(this.target, 'append to the conversation');
    if (json.length === 0) return;
    decodeMessages(json, `${this.target.display} (new messages)`); // nothing invalid is ever stored
    await this.writing(signal, 'append to', (db) => {
      this.createTableIfMissing(db);
      const insert = db.prepare(`INSERT INTO ${quoted(this.table)} (session_id, message) VALUES (?, ?)`);
      for (const message of json) insert.run(sessionId, message);
    });
  }

  async clear(sessionId: string): Promise<void> {
    refuseReadonly(this.target, 'clear the conversation');
    if (!existsSync(this.path)) return;
    await this.writing(undefined, 'clear', (db) => {
      if (this.hasTable(db)) db.prepare(`DELETE FROM ${quoted(this.table)} WHERE session_id = ?`).run(sessionId);
    });
  }

  async sessions(): Promise<string[]> {
    const ids = await this.reading(undefined, (db) =>
      db.prepare(`SELECT DISTINCT session_id FROM ${quoted(this.table)} WHERE session_id IS NOT NULL`).pluck().all(),
    );
    return (ids ?? []).map(String);
  }

  async close(): Promise<void> {
    this.database?.close();
    this.database = undefined;
  }

  /** A read; undefined when there is nothing to read yet (no file, no table): an empty store, never created by reading. */
  private async reading<T>(signal: AbortSignal | undefined, read: (db: Database) => T): Promise<T | undefined> {
    if (!this.database && !existsSync(this.path)) return undefined;
    return this.whenNotBusy(signal, 'read', () => {
      const db = this.open();
      return this.hasTable(db) ? read(db) : undefined;
    });
  }

  /** One write transaction, all or nothing; BEGIN IMMEDIATE takes the write lock up front, so it waits rather than deadlocks. */
  private async writing(signal: AbortSignal | undefined, what: string, write: (db: Database) => void): Promise<void> {
    await this.whenNotBusy(signal, what, () => {
      const db = this.open();
      db.transaction(() => write(db)).immediate();
    });
  }

  /** Runs `step` until it does not meet a lock held by another connection, waiting between tries. */
  private async whenNotBusy<T>(signal: AbortSignal | undefined, what: string, step: () => T): Promise<T> {
    const timeoutMs = this.options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
    const deadline = Date.now() + timeoutMs;
    for (let attempt = 0; ; attempt++) {
      throwIfCancelled(signal);
      try {
        return step();
      } catch (error) {
        if (!isBusy(error)) throw this.failure(what, error);
        if (Date.now() >= deadline) throw new HistoryStoreError('unreachable', `Cannot ${what} ${this.target.display}: another connection kept the database locked for ${Math.round(timeoutMs / 1000)} s`);
        this.options.onBusy?.();
        await delay(Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** attempt));
      }
    }
  }

  private open(): Database {
    if (this.database) return this.database;
    const Binding = loadBinding(this.target, this.options.loadBinding);
    const readonly = this.target.options.readonly;
    // timeout 0: SQLite must not block the event loop in its own busy handler; whenNotBusy waits instead.
    this.database = new Binding(this.path, { readonly, fileMustExist: readonly, timeout: 0 });
    return this.database;
  }

  private hasTable(db: Database): boolean {
    const found = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND lower(name) = lower(?)").pluck().get(this.table);
    if (found === undefined) return false;
    this.checkColumns(db);
    return true;
  }

  /** A table of the same name that is not SQLChatMessageHistory's is refused, never written into. */
  private checkColumns(db: Database): void {
    const columns = new Set(db.prepare(`PRAGMA table_info(${quoted(this.table)})`).all().map((column) => String((column as { name: unknown }).name).toLowerCase()));
    const missing = ['id', 'session_id', 'message'].filter((name) => !columns.has(name));
    if (missing.length > 0) throw new HistoryStoreError('invalid-data', `${this.target.display}: table ${this.table} has no ${missing.join(', ')} column, so it is not a SQLChatMessageHistory table; name another with ?table=`);
  }

  private createTableIfMissing(db: Database): void {
    if (!this.hasTable(db)) db.exec(createTableSql(this.table));
  }

  private messageText(row: unknown, index: number): string {
    if (typeof row === 'string') return row;
    throw new HistoryStoreError('invalid-data', `${this.target.display}: the message at index ${index} is ${row === null ? 'NULL' : `a ${typeof row}`}, not the text of a message dict`);
  }

  private failure(what: string, error: unknown): HistoryStoreError {
    if (error instanceof HistoryStoreError) return error;
    const code = (error as { code?: unknown }).code;
    if (code === 'SQLITE_READONLY') return new HistoryStoreError('unreachable', `Cannot ${what} ${this.target.display}: the database file is read-only for this user`);
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') return new HistoryStoreError('invalid-data', `Cannot ${what} ${this.target.display}: it is not a SQLite database (or it is damaged)`);
    return storeFailure(this.target, what, error);
  }
}

/**
 * SQLAlchemy's CREATE TABLE for the model `Message(id = Column(Integer, primary_key=True), session_id =
 * Column(Text), message = Column(Text))` on SQLite, as its DDL compiler prints it: columns joined by
 * `, \n\t`, the primary key NOT NULL (primary key columns are not nullable) and given as a table
 * constraint; no index. SQLite keeps this text as the table's `sqlite_master.sql`.
 */
export function createTableSql(table: string): string {
  const name = sqlalchemyName(table);
  return `\nCREATE TABLE ${name} (\n\tid INTEGER NOT NULL, \n\tsession_id TEXT, \n\tmessage TEXT, \n\tPRIMARY KEY (id)\n)\n\n`;
}

// SQLAlchemy quotes a name that is a reserved word of the dialect or is not all lower case; the SQLite
// keywords (https://sqlite.org/lang_keywords.html) are the reserved words of its sqlite dialect.
const SQLITE_KEYWORDS = new Set(
  ('abort action add after all alter analyze and as asc attach autoincrement before begin between by cascade case cast check collate column commit conflict ' +
    'constraint create cross current_date current_time current_timestamp database default deferrable deferred delete desc detach distinct drop each else end ' +
    'escape except exclusive exists explain fail for foreign from full glob group having if ignore immediate in index indexed initially inner insert instead ' +
    'intersect into is isnull join key left like limit match natural no not notnull null of offset on or order outer plan pragma primary query raise recursive ' +
    'references regexp reindex release rename replace restrict right rollback row savepoint select set table temp temporary then to transaction trigger union ' +
    'unique update using vacuum values view virtual when where with without').split(' '),
);

function sqlalchemyName(table: string): string {
  return table !== table.toLowerCase() || SQLITE_KEYWORDS.has(table) ? quoted(table) : table;
}

/** historyUrl.ts allows only plain names, so double quotes are all a name needs. */
function quoted(table: string): string {
  return `"${table}"`;
}

let cachedBinding: Binding | undefined;

/** better-sqlite3, checked by opening an in-memory database (its addon loads on first use). */
function loadBinding(target: HistoryTarget, load: (() => Binding) | undefined): Binding {
  if (!load && cachedBinding) return cachedBinding;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a native addon: required only when a sqlite URL is used
    const binding = load ? load() : (require('better-sqlite3') as Binding);
    new binding(':memory:').close();
    if (!load) cachedBinding = binding;
    return binding;
  } catch (error) {
    throw unsupported(target, error);
  }
}

function unsupported(target: HistoryTarget, error: unknown): HistoryStoreError {
  const electron = process.versions['electron'] ? ` (Electron ${process.versions['electron']})` : '';
  // Node's loader errors carry a require stack on later lines: the first two lines say what is wrong.
  const lines = (error instanceof Error ? error.message : String(error)).split('\n').filter((line) => line.trim() !== '' && !/^\s*(Require stack:|- )/.test(line));
  const reason = oneLine(lines.slice(0, 2).join(' ')).slice(0, 240);
  return new HistoryStoreError(
    'unsupported',
    `SQLite histories (${target.display}) need the better-sqlite3 native addon, which cannot be loaded in this process, Node ${process.versions.node} ABI ${process.versions.modules}${electron}: ${reason}. ` +
      "Use the prompt-chain CLI, or the npm package's prompt-chain-language-server run by the Node it was installed with (the VS Code extension does not carry the addon).",
  );
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || (typeof code === 'string' && code.startsWith('SQLITE_BUSY_'));
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
