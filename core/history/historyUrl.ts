// A history store's URL -> HistoryTarget: the one decider of the store kind, the path of a file store,
// the query options and their defaults, and the redacted form every message shows.
//
//   redis://[user:password@]host[:port][/db]     rediss:// (TLS)          Prompt Chain options: prefix, dialect, ttl, readonly
//   postgres://… or postgresql://…               (libpq URL)              table, schema, dialect, readonly
//   sqlite:PATH   sqlite:///PATH (SQLAlchemy's form: relative)   sqlite:////abs/PATH   sqlite:/abs/PATH   table, dialect, readonly
//   file:PATH     file:///abs/PATH (a file URL)   file:/abs/PATH                                          dialect, readonly
//
// SQLite paths follow SQLAlchemy, so the URL an application passes to SQLChatMessageHistory
// (`sqlite:///chat.db`, relative to its working folder) names the same file here, relative to `cwd`.
// Any other query parameter of a Postgres URL (sslmode, application_name, …) is the driver's and is left
// in the URL; other kinds have no driver options, so an unknown name there is an error listing the known.
// No message ever holds the password: errors name the URL by its display form.

import { isAbsolute, resolve } from 'node:path';
import { quotedExcerpt } from '../text/excerpt';
import { HistoryStoreError, type HistoryKind, type HistoryOptions, type HistoryTarget, type MessageDialect } from './types';

/** RedisChatMessageHistory's `key_prefix` default (langchain_community); @langchain/redis keys by the bare session id. */
export const PYTHON_REDIS_PREFIX = 'message_store:';
/** SQLChatMessageHistory's and the community PostgresChatMessageHistory's `table_name` default. */
export const DEFAULT_TABLE = 'message_store';

type OptionName = 'prefix' | 'table' | 'schema' | 'dialect' | 'ttl' | 'readonly';

const KNOWN_OPTIONS: Readonly<Record<HistoryKind, readonly OptionName[]>> = {
  redis: ['prefix', 'dialect', 'ttl', 'readonly'],
  postgres: ['table', 'schema', 'dialect', 'readonly'],
  sqlite: ['table', 'dialect', 'readonly'],
  file: ['dialect', 'readonly'],
};

const SCHEMES: Readonly<Record<string, HistoryKind>> = {
  redis: 'redis',
  rediss: 'redis',
  postgres: 'postgres',
  postgresql: 'postgres',
  sqlite: 'sqlite',
  file: 'file',
};

// Postgres folds unquoted names to lower case and allows 63 bytes; SQLite takes the same plain names.
const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const PASSWORD_PARAMETER = /([?&]password=)[^&#]*/gi;

/** Parses a store URL (from user configuration or the environment only) against the host's folder. */
export function parseHistoryUrl(text: string, cwd: string): HistoryTarget {
  const url = text.trim();
  const display = redactUrl(url);
  const fail = (reason: string) => new HistoryStoreError('invalid-url', `Invalid history URL ${quotedExcerpt(display, 200)}: ${reason}`);
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url)?.[1]?.toLowerCase();
  const kind = scheme === undefined ? undefined : SCHEMES[scheme];
  if (kind === undefined) throw fail('expected redis://, rediss://, postgres://, postgresql://, sqlite:PATH or file:PATH');
  const [beforeQuery, query = ''] = splitQuery(url);
  const options = readOptions(kind, query, fail);
  const target: HistoryTarget = { kind, url, display, options };
  if (kind === 'sqlite' || kind === 'file') target.path = localPath(kind, beforeQuery.slice(scheme!.length + 1), cwd, fail);
  else checkServerUrl(url, fail);
  return target;
}

/** The URL with its password (in the authority or a `password=` parameter) as `***`: the one form shown. */
export function redactUrl(text: string): string {
  const authority = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/?#]*)/.exec(text);
  let redacted = text;
  if (authority) {
    const [, head, host] = authority as unknown as [string, string, string];
    const at = host.lastIndexOf('@');
    const colon = host.indexOf(':');
    if (at >= 0 && colon >= 0 && colon < at) redacted = `${head}${host.slice(0, colon)}:***${host.slice(at)}${text.slice(head.length + host.length)}`;
  }
  return redacted.replace(PASSWORD_PARAMETER, '$1***');
}

function splitQuery(url: string): [string, string | undefined] {
  const withoutFragment = url.split('#', 1)[0] ?? '';
  const mark = withoutFragment.indexOf('?');
  return mark < 0 ? [withoutFragment, undefined] : [withoutFragment.slice(0, mark), withoutFragment.slice(mark + 1)];
}

function readOptions(kind: HistoryKind, query: string, fail: (reason: string) => HistoryStoreError): HistoryOptions {
  const known = KNOWN_OPTIONS[kind];
  const given = new Map<OptionName, string>();
  for (const [name, value] of queryPairs(query, fail)) {
    if (!(known as readonly string[]).includes(name)) {
      if (kind === 'postgres' && !isOptionName(name)) continue; // the driver's (sslmode, …)
      throw fail(`unknown option ${quotedExcerpt(name, 40)} for a ${kind} store (known: ${known.join(', ')})`);
    }
    if (given.has(name as OptionName)) throw fail(`option ${name} is given twice`);
    given.set(name as OptionName, value);
  }
  return withDefaults(kind, given, fail);
}

function isOptionName(name: string): name is OptionName {
  return (['prefix', 'table', 'schema', 'dialect', 'ttl', 'readonly'] as readonly string[]).includes(name);
}

function queryPairs(query: string, fail: (reason: string) => HistoryStoreError): [string, string][] {
  if (query === '') return [];
  return query.split('&').filter((pair) => pair !== '').map((pair) => {
    const equals = pair.indexOf('=');
    const [name, value] = equals < 0 ? [pair, ''] : [pair.slice(0, equals), pair.slice(equals + 1)];
    const form = (part: string) => decodeComponent(part.replace(/\+/g, ' '), fail);
    return [form(name), form(value)];
  });
}

function decodeComponent(text: string, fail: (reason: string) => HistoryStoreError): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw fail(`bad percent-escape in ${quotedExcerpt(text, 40)}`);
  }
}

/** Each option checked, and the defaults that depend on the kind and the dialect decided here. */
function withDefaults(kind: HistoryKind, given: ReadonlyMap<OptionName, string>, fail: (reason: string) => HistoryStoreError): HistoryOptions {
  const dialect = given.has('dialect') ? dialectOption(given.get('dialect')!, fail) : undefined;
  const options: HistoryOptions = { readonly: given.has('readonly') ? booleanOption(given.get('readonly')!, fail) : false };
  if (dialect) options.dialect = dialect;
  if (kind === 'redis') {
    options.prefix = given.get('prefix') ?? (dialect === 'js' ? '' : PYTHON_REDIS_PREFIX);
    if (given.has('ttl')) options.ttl = ttlOption(given.get('ttl')!, fail);
  }
  if (kind === 'postgres' || kind === 'sqlite') options.table = tableOption(given.get('table') ?? DEFAULT_TABLE, fail);
  if (kind === 'postgres') options.schema = schemaOption(given.get('schema') ?? 'langchain-postgres', fail);
  return options;
}

function dialectOption(value: string, fail: (reason: string) => HistoryStoreError): MessageDialect {
  if (value === 'python' || value === 'js') return value;
  throw fail(`dialect must be python or js, not ${quotedExcerpt(value, 40)}`);
}

function booleanOption(value: string, fail: (reason: string) => HistoryStoreError): boolean {
  const lower = value.toLowerCase();
  if (lower === '' || lower === '1' || lower === 'true') return true; // `?readonly` alone means it
  if (lower === '0' || lower === 'false') return false;
  throw fail(`readonly must be 1, true, 0 or false, not ${quotedExcerpt(value, 40)}`);
}

function ttlOption(value: string, fail: (reason: string) => HistoryStoreError): number {
  // Redis EXPIRE takes a whole number of seconds; LangChain passes the ttl to it as given.
  if (!/^[1-9][0-9]{0,9}$/.test(value)) throw fail(`ttl must be a whole number of seconds above 0, not ${quotedExcerpt(value, 40)}`);
  return Number(value);
}

function tableOption(value: string, fail: (reason: string) => HistoryStoreError): string {
  if (!TABLE_NAME.test(value)) throw fail(`table must be a plain SQL name (letters, digits, _; at most 63), not ${quotedExcerpt(value, 40)}`);
  return value;
}

function schemaOption(value: string, fail: (reason: string) => HistoryStoreError): NonNullable<HistoryOptions['schema']> {
  if (value === 'langchain-postgres' || value === 'community') return value;
  throw fail(`schema must be langchain-postgres or community, not ${quotedExcerpt(value, 40)}`);
}

/** sqlite: and file: paths, absolute. */
function localPath(kind: 'sqlite' | 'file', rest: string, cwd: string, fail: (reason: string) => HistoryStoreError): string {
  const path = kind === 'sqlite' ? sqlitePath(rest) : filePath(rest, fail);
  if (path === '') throw fail(kind === 'sqlite' ? 'no database file (an in-memory SQLite database cannot be shared)' : 'no file path');
  if (path.includes('\0')) throw fail('the path holds a NUL character');
  return isAbsolute(path) ? resolve(path) : resolve(cwd, path);
}

/** SQLAlchemy: `sqlite:///rel`, `sqlite:////abs`; `sqlite:rel` and `sqlite:/abs` as plain paths. */
function sqlitePath(rest: string): string {
  if (rest.startsWith('//')) {
    const afterHost = rest.slice(2);
    return afterHost.startsWith('/') ? afterHost.slice(1) : afterHost;
  }
  return rest;
}

/** RFC 8089: `file:///abs`, `file://localhost/abs`, `file:/abs`; and `file:rel` relative to the folder. */
function filePath(rest: string, fail: (reason: string) => HistoryStoreError): string {
  let path = rest;
  if (rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    const host = slash < 0 ? rest.slice(2) : rest.slice(2, slash);
    if (host !== '' && host !== 'localhost') throw fail(`a file on another host (${quotedExcerpt(host, 40)}) cannot be opened`);
    path = slash < 0 ? '' : rest.slice(slash);
  }
  return decodeComponent(path, fail);
}

/** The drivers parse the rest; what they could not parse is refused here, before any connection. */
function checkServerUrl(url: string, fail: (reason: string) => HistoryStoreError): void {
  // An empty host is allowed: `postgres:///app` is libpq's local socket, `redis://` redis's localhost.
  if (!URL.canParse(url)) throw fail('not a valid URL (a password with @, /, : or # must be percent-encoded)');
}
