// The named shared-history stores of the user's `promptChain.historyStores` setting (name -> URL), and the
// passwords those URLs held, which live in SecretStorage instead. Only the user-level value counts (the
// setting is application-scoped; a workspace can never add or redirect a store). The server gets the full
// URLs only through its environment, `PROMPT_CHAIN_HISTORY_STORES` (the CLI's variable, same JSON shape),
// never in a message, so no trace of the protocol can show a password. Pure: the VS Code wiring is in
// historyStoreSettings.ts.

import { redactUrl } from '../../core/history/historyUrl';

/** The environment variable the server (and the CLI) read the named stores from: a JSON object name -> URL. */
export const historyStoresVariable = 'PROMPT_CHAIN_HISTORY_STORES';

/** The SecretStorage key of a store's password. */
export function historyPasswordSecret(name: string): string {
  return `${historyPasswordPrefix}${name}`;
}
export const historyPasswordPrefix = 'promptChain.historyStore.password:';

/** The names a `.prompt` file's `memory.history` can take (the front matter's rule). */
export const storeNamePattern = /^[A-Za-z0-9_.-]+$/;

/** The stores of the user-level setting value; entries that are not `name: "URL"` are left out, each with why. */
export function userLevelStores(inspected: { globalValue?: unknown } | undefined): { stores: Record<string, string>; problems: string[] } {
  const value = inspected?.globalValue;
  const stores: Record<string, string> = {};
  const problems: string[] = [];
  if (value === undefined || value === null) return { stores, problems };
  if (typeof value !== 'object' || Array.isArray(value)) return { stores, problems: ['promptChain.historyStores must be an object of store names to URLs.'] };
  for (const [name, url] of Object.entries(value)) {
    if (!storeNamePattern.test(name)) problems.push(`promptChain.historyStores: ${JSON.stringify(name.slice(0, 60))} is not a store name (letters, digits, "_", "." and "-").`);
    else if (typeof url !== 'string' || url.trim() === '') problems.push(`promptChain.historyStores.${name} must be a URL string.`);
    else stores[name] = url.trim();
  }
  return { stores, problems };
}

/** A URL's authority split around its password: `scheme://user` + `:password` + `@host…`, exactly as written. */
interface Authority {
  /** `redis://user` (no colon, no password). */
  head: string;
  password: string | undefined;
  /** `host:port/path?query`, after the `@` (or the whole remainder when there was no user part). */
  tail: string;
  hadUserInfo: boolean;
}

function authorityOf(url: string): Authority | undefined {
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(url)?.[0];
  if (!scheme) return undefined;
  const rest = url.slice(scheme.length);
  const authorityEnd = rest.search(/[/?#]/);
  const authority = authorityEnd < 0 ? rest : rest.slice(0, authorityEnd);
  // The last `@` ends the user part, as URL parsers read it, so a raw `@` in a password stays in the password.
  const at = authority.lastIndexOf('@');
  if (at < 0) return { head: scheme, password: undefined, tail: rest, hadUserInfo: false };
  const userInfo = authority.slice(0, at);
  const colon = userInfo.indexOf(':');
  const user = colon < 0 ? userInfo : userInfo.slice(0, colon);
  return { head: scheme + user, password: colon < 0 ? undefined : userInfo.slice(colon + 1), tail: rest.slice(at + 1), hadUserInfo: true };
}

/** The URL without its password (the rest byte for byte as written), and the password (still percent-encoded). */
export function splitPassword(url: string): { url: string; password?: string } {
  const authority = authorityOf(url);
  if (!authority || authority.password === undefined || authority.password === '') return { url };
  const user = authority.head.slice(authority.head.indexOf('//') + 2);
  return { url: user === '' ? authority.head + authority.tail : `${authority.head}@${authority.tail}`, password: authority.password };
}

/** The URL with the stored password put back; a URL that already holds one keeps its own. */
export function withPassword(url: string, password: string | undefined): string {
  const authority = authorityOf(url);
  if (!authority || !password || (authority.password !== undefined && authority.password !== '')) return url;
  return `${authority.head}:${password}@${authority.tail}`;
}

/** What the server's environment carries: every store's full URL; undefined when the user has none. */
export function historyStoresEnvironment(stores: Record<string, string>, passwords: Record<string, string | undefined>): string | undefined {
  if (Object.keys(stores).length === 0) return undefined;
  return JSON.stringify(Object.fromEntries(Object.entries(stores).map(([name, url]) => [name, withPassword(url, passwords[name])])));
}

/** A store's URL for messages: any password it still holds as `***`, by the rule the server's messages use. */
export function displayStoreUrl(url: string): string {
  return redactUrl(url);
}
