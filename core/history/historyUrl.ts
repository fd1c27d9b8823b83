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

/** Prompt Chain's own query options, of every kind: the database client must not read them as its own. */
export const STORE_OPTION_NAMES = ['prefix', 'table', 'schema', 'dialect', 'ttl', 'readonly'] as const;
type OptionName = (typeof STORE_OPTION_NAMES)[number];

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

const PASSWORD_PARAMETER = /([?&]password=)[^&#]*/gi;
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;

/** Parses a store URL (from user configuration or the environment only) against the host's folder. */
export function parseHistoryUrl(text: string, cwd: string): HistoryTarget {
  const url = text.trim();
  const display = redactUrl(url);
  const fail = (reason: string) => new HistoryStoreError('invalid-url', `Invalid history URL ${quotedExcerpt(display, 200)}: ${reason}`);
  const scheme = SCHEME.exec(url)?.[1]?.toLowerCase();
  const kind = scheme === undefined ? undefined : SCHEMES[scheme];
  if (kind === undefined) throw fail('expected redis://, rediss://, postgres://, postgresql://, sqlite:PATH or file:PATH');
  const local = kind === 'sqlite' || kind === 'file';
  // First: until the userinfo is known to hold no raw `?` or `#`, the query cannot be told from a password.
  if (!local) checkServerUrl(url, fail);
  const [beforeQuery, query = ''] = splitQuery(url);
  const target: HistoryTarget = { kind, url, display, options: readOptions(kind, query, fail) };
  if (local) target.path = localPath(kind, beforeQuery.slice(scheme!.length + 1), cwd, fail);
  return target;
}

/** A URL's userinfo as written: where its user and password are, decided here for every reader. */
export interface UrlCredentials {
  /** `scheme://` as written. */
  head: string;
  /** The user as written ('' for none). */
  user: string;
  /** The password as written (still percent-encoded); undefined when the userinfo has no `:`. */
  password?: string;
  /** Everything after the userinfo's `@` (after `//` when there is none): `host[:port][/path][?query][#fragment]`. */
  rest: string;
  hasUserInfo: boolean;
}

/**
 * The credentials of a `scheme://` URL. For a server URL the userinfo runs up to the LAST `@`, wherever
 * it is: a password may hold a raw `/`, `?`, `#`, `@` or `:`, and finding too much is safe (it is only
 * hidden, and parseHistoryUrl refuses what URL parsers would read otherwise). A sqlite: or file: URL
 * has no password, so its authority ends at the first `/` (a path may hold `@`).
 */
export function urlCredentials(text: string): UrlCredentials | undefined {
  const head = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(text)?.[0];
  if (head === undefined) return undefined;
  const afterHead = text.slice(head.length);
  const authority = isLocalScheme(head) ? afterHead.slice(0, endOfAuthority(afterHead)) : afterHead;
  const at = authority.lastIndexOf('@');
  if (at < 0) return { head, user: '', rest: afterHead, hasUserInfo: false };
  const userInfo = afterHead.slice(0, at);
  const colon = userInfo.indexOf(':');
  const found: UrlCredentials = { head, user: colon < 0 ? userInfo : userInfo.slice(0, colon), rest: afterHead.slice(at + 1), hasUserInfo: true };
  if (colon >= 0) found.password = userInfo.slice(colon + 1);
  return found;
}

function endOfAuthority(afterHead: string): number {
  const end = afterHead.search(/[/?#]/);
  return end < 0 ? afterHead.length : end;
}

function isLocalScheme(text: string): boolean {
  const scheme = SCHEME.exec(text)?.[1]?.toLowerCase();
  return scheme === 'sqlite' || scheme === 'file';
}

/** The `password=` query parameter's value as written (a Postgres driver option), if the URL has one. */
export function passwordParameter(text: string): string | undefined {
  const match = /[?&]password=([^&#]*)/i.exec(text);
  return match?.[1];
}

/** The URL without its `password=` parameter(s), the rest as written. */
export function withoutPasswordParameter(text: string): string {
  return text.replace(/([?&])password=[^&#]*&?/gi, '$1').replace(/[?&](?=#|$)/, '');
}

/**
 * The URL with its password (in the userinfo or a `password=` parameter) as `***`: the one form shown.
 * A server URL that cannot be parsed shows its scheme and `***` only: no reading of it is sure to hide it.
 */
export function redactUrl(text: string): string {
  const scheme = SCHEME.exec(text)?.[0];
  if (!isLocalScheme(text) && !URL.canParse(text)) return scheme === undefined ? '***' : `${scheme}${text.startsWith('//', scheme.length) ? '//' : ''}***`;
  const credentials = urlCredentials(text);
  const withoutUserPassword = credentials?.password ? `${credentials.head}${credentials.user}:***@${credentials.rest}` : text;
  return withoutUserPassword.replace(PASSWORD_PARAMETER, '$1***');
}

/** Every form the URL's password may take in a driver's message: as written, decoded, as URL parsers encode it. */
export function passwordForms(text: string): string[] {
  const written = [urlCredentials(text)?.password, passwordParameter(text)].filter((form): form is string => form !== undefined && form !== '');
  const forms = new Set(written);
  for (const form of written) {
    forms.add(safeDecode(form.replace(/\+/g, ' ')) ?? form);
    forms.add(safeDecode(form) ?? form);
  }
  if (URL.canParse(text)) forms.add(new URL(text).password);
  forms.delete('');
  // The longest first, so that a form inside another is not replaced half way.
  return [...forms].sort((a, b) => b.length - a.length);
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** An option parseHistoryUrl always decides for the target's kind (the adapters ask, never default it). */
export function decidedOption<K extends 'prefix' | 'table' | 'schema'>(target: HistoryTarget, name: K): NonNullable<HistoryOptions[K]> {
  const value = target.options[name];
  if (value === undefined) throw new HistoryStoreError('invalid-url', `${target.display} has no ${name}: its target was not made by parseHistoryUrl`);
  return value as NonNullable<HistoryOptions[K]>;
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
  return (STORE_OPTION_NAMES as readonly string[]).includes(name);
}

function queryPairs(query: string, fail: (reason: string) => HistoryStoreError): [string, string][] {
  if (query === '') return [];
  return query.split('&').filter((pair) => pair !== '').map((pair) => {
    const equals = pair.indexOf('=');
    const [name, value] = equals < 0 ? [pair, ''] : [pair.slice(0, equals), pair.slice(equals + 1)];
    const decodedName = decodeComponent(name.replace(/\+/g, ' '), fail);
    // A value is never quoted: a Postgres URL's `password=` is one.
    const decodedValue = safeDecode(value.replace(/\+/g, ' '));
    if (decodedValue === undefined) throw fail(`bad percent-escape in the value of ${quotedExcerpt(decodedName, 40)}`);
    return [decodedName, decodedValue];
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
  if (kind === 'postgres') options.schema = schemaOption(given.get('schema') ?? 'langchain-postgres', fail);
  if (kind === 'postgres' || kind === 'sqlite') options.table = tableOption(given.get('table') ?? DEFAULT_TABLE, options.schema ?? 'sqlite', fail);
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

// The one table-name rule. The community PostgresChatMessageHistory refuses all but lower-case
// [a-z_][a-z0-9_]*; langchain-postgres takes Python's `\w+` (Unicode letters and digits) and quotes it.
// Postgres keeps 63 bytes of a name (it would silently cut a longer one); SQLite takes plain names.
const TABLE_RULES: Readonly<Record<'community' | 'langchain-postgres' | 'sqlite', { pattern: RegExp; says: string }>> = {
  community: { pattern: /^[a-z_][a-z0-9_]*$/, says: 'lower-case letters, digits and _, not starting with a digit, as the community PostgresChatMessageHistory requires' },
  'langchain-postgres': { pattern: /^[\p{L}\p{N}_]+$/u, says: "letters, digits and _, as langchain-postgres's PostgresChatMessageHistory requires" },
  sqlite: { pattern: /^[A-Za-z_][A-Za-z0-9_]*$/, says: 'a plain SQL name (ASCII letters, digits and _, not starting with a digit)' },
};

function tableOption(value: string, rule: keyof typeof TABLE_RULES, fail: (reason: string) => HistoryStoreError): string {
  const { pattern, says } = TABLE_RULES[rule];
  if (!pattern.test(value) || Buffer.byteLength(value) > 63) throw fail(`table must be ${says}, at most 63 bytes, not ${quotedExcerpt(value, 40)}`);
  return value;
}

function schemaOption(value: string, fail: (reason: string) => HistoryStoreError): NonNullable<HistoryOptions['schema']> {
  if (value === 'langchain-postgres' || value === 'community') return value;
  throw fail(`schema must be langchain-postgres or community, not ${quotedExcerpt(value, 40)}`);
}

/** sqlite: and file: paths, absolute. */
function localPath(kind: 'sqlite' | 'file', rest: string, cwd: string, fail: (reason: string) => HistoryStoreError): string {
  // A local file has no user or password; a userinfo would otherwise become part of the path, and shown.
  if (urlCredentials(`${kind}:${rest}`)?.hasUserInfo) throw fail(`a ${kind}: URL takes no user or password`);
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

/**
 * The drivers (node-redis, pg) read the URL with WHATWG's parser and decodeURIComponent the password:
 * what they would read otherwise than urlCredentials, or could not read, is refused here, before any
 * connection, and no reason quotes the userinfo.
 */
function checkServerUrl(url: string, fail: (reason: string) => HistoryStoreError): void {
  const credentials = urlCredentials(url);
  if (credentials?.hasUserInfo && /[/?#]/.test(`${credentials.user}:${credentials.password ?? ''}`)) {
    throw fail('the user or password holds a raw /, ? or # (or an @ comes after the host): percent-encode them (/ as %2F, ? as %3F, # as %23, @ as %40)');
  }
  if (credentials?.password !== undefined && safeDecode(credentials.password) === undefined) {
    throw fail('the password holds a % that is not a percent-escape: write % as %25');
  }
  // An empty host is allowed: `postgres:///app` is libpq's local socket, `redis://` redis's localhost.
  if (!URL.canParse(url)) throw fail('not a valid URL (a password with @, /, : or # must be percent-encoded)');
}
