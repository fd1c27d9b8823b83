// Contracts of shared chat histories: the stores a LangChain application keeps its conversations in
// (RedisChatMessageHistory, PostgresChatMessageHistory, SQLChatMessageHistory, FileChatMessageHistory),
// read and written in LangChain's own message-dict formats, so the application and Prompt Chain share
// one conversation. A store is named by a URL (historyUrl.ts) that only user configuration or the
// environment may give, never a file or workspace settings: it can hold credentials.
//
// The pieces: historyUrl.ts (URL -> HistoryTarget, and the one redacted form to show), messageDicts.ts
// (LangChain's dicts <-> HistoryMessage, both dialects, byte-exact), stores/*.ts (one adapter per kind),
// openHistory.ts (HistoryTarget -> ChatHistoryStore), historyConversation.ts (a session of a store as the
// chain engine's Conversation).

export type HistoryKind = 'redis' | 'postgres' | 'sqlite' | 'file';

/**
 * The two ways LangChain writes a message dict. `python`: langchain_core `message_to_dict` written with
 * `json.dumps` defaults (`{"type": "human", "data": {"content": ..., "additional_kwargs": {}, ...}}`,
 * `", "` and `": "` separators, non-ASCII as `\uXXXX`). `js`: LangChain.js `toDict()` (via
 * `mapChatMessagesToStoredMessages`) written with `JSON.stringify`.
 */
export type MessageDialect = 'python' | 'js';

/** The URL's query options, checked by historyUrl.ts (the one decider of their defaults). */
export interface HistoryOptions {
  /** Redis: the key prefix (Python default `message_store:`; LangChain.js: none). */
  prefix?: string;
  /** Postgres and SQLite: the table (default `message_store`; langchain-postgres tables are named by the app). */
  table?: string;
  /** Postgres: `langchain-postgres` (session_id UUID, created_at) or `community` (session_id TEXT). */
  schema?: 'langchain-postgres' | 'community';
  /** The dialect new messages are written in when the session holds none yet (else: the session's own). */
  dialect?: MessageDialect;
  /** Redis: seconds; EXPIRE on every add, as LangChain does. */
  ttl?: number;
  /** Never write: a turn runs and shows its reply, but appends nothing; clear is refused. */
  readonly: boolean;
}

/** A parsed history URL. `url` holds the credentials: never print it, never log it — print `display`. */
export interface HistoryTarget {
  kind: HistoryKind;
  /** The URL as given (with its password): for the adapter only. */
  url: string;
  /** The URL with any password replaced by `***`: the one form messages, status bars and logs show. */
  display: string;
  /** sqlite and file: the absolute path. */
  path?: string;
  options: HistoryOptions;
}

/** LangChain message types a store can hold (`_getType()` / the dict's `type`). */
export type HistoryMessageType = 'human' | 'ai' | 'system' | 'tool' | 'function' | 'chat' | 'generic' | 'developer' | 'remove';

/** One message as read from a store: what the chain needs, plus what writing it back needs. */
export interface HistoryMessage {
  type: HistoryMessageType;
  /** The text (a list content's text parts joined, as LangChain's `.text` reads them). */
  content: string;
  /** ChatMessage's role (type `chat`). */
  role?: string;
  /** The dialect the dict was written in. */
  dialect: MessageDialect;
  /** The stored JSON exactly as read, so `memory export` and show lose nothing. */
  raw: string;
}

/** What a store adapter does for one store. Every failure is a HistoryStoreError. */
export interface ChatHistoryStore {
  readonly target: HistoryTarget;
  /** The session's messages, oldest first, as LangChain's `.messages` returns them. */
  messages(sessionId: string, signal?: AbortSignal): Promise<HistoryMessage[]>;
  /**
   * Appends in order, all or nothing (Redis MULTI, one SQL transaction, an atomic file replace under a
   * lock); another writer's concurrent append keeps both, whole. Each message is written as `json`, the
   * exact text LangChain would store (messageDicts.ts encodes it). Refused when readonly.
   */
  append(sessionId: string, json: readonly string[], signal?: AbortSignal): Promise<void>;
  /** Deletes the session's messages (LangChain's `clear()`). Refused when readonly. */
  clear(sessionId: string): Promise<void>;
  /**
   * The session ids the store holds (Redis: SCAN on the prefix; SQL: DISTINCT session_id; file: the one),
   * in no particular order: openHistory.ts `listStoreSessions` decides the order hosts show.
   */
  sessions(): Promise<string[]>;
  /** Closes connections; the store is not used after. */
  close(): Promise<void>;
}

/** The stable kinds a history failure is reported under (CLI prints it, the server sends `data.kind` = 'history'). */
export type HistoryErrorKind =
  | 'invalid-url'
  | 'unreachable'
  | 'auth'
  | 'readonly'
  | 'invalid-data'
  | 'unsupported'
  | 'connection-lost'
  | 'untrusted'
  | 'unknown-store'
  | 'no-session';

/** One line for the person (naming the store by its display URL, never the password) and its kind. */
export class HistoryStoreError extends Error {
  override readonly name = 'HistoryStoreError';
  constructor(
    readonly kind: HistoryErrorKind,
    message: string,
  ) {
    super(message);
  }
}
