// The named shared-history stores of the user's `promptChain.historyStores` setting (name -> URL), and the
// passwords those URLs held, which live in SecretStorage instead. Only the user-level value counts (the
// setting is application-scoped; a workspace can never add or redirect a store). The server gets the full
// URLs only through its environment, `PROMPT_CHAIN_HISTORY_STORES` (the CLI's variable, same JSON shape),
// never in a message, so no trace of the protocol can show a password. Pure: the VS Code wiring is in
// historyStoreSettings.ts.

import { passwordParameter, redactUrl, urlCredentials, withoutPasswordParameter } from '../../core/history/historyUrl';
import { STORE_NAME_PATTERN } from '../../core/history/names';

/** The SecretStorage key of a store's password. */
export function historyPasswordSecret(name: string): string {
  return `${historyPasswordPrefix}${name}`;
}
export const historyPasswordPrefix = 'promptChain.historyStore.password:';

/** The stores of the user-level setting value; entries that are not `name: "URL"` are left out, each with why. */
export function userLevelStores(inspected: { globalValue?: unknown } | undefined): { stores: Record<string, string>; problems: string[] } {
  const value = inspected?.globalValue;
  const stores: Record<string, string> = {};
  const problems: string[] = [];
  if (value === undefined || value === null) return { stores, problems };
  if (typeof value !== 'object' || Array.isArray(value)) return { stores, problems: ['promptChain.historyStores must be an object of store names to URLs.'] };
  for (const [name, url] of Object.entries(value)) {
    if (!STORE_NAME_PATTERN.test(name)) problems.push(`promptChain.historyStores: ${JSON.stringify(name.slice(0, 60))} is not a store name (letters, digits, "_", "." and "-").`);
    else if (typeof url !== 'string' || url.trim() === '') problems.push(`promptChain.historyStores.${name} must be a URL string.`);
    else stores[name] = url.trim();
  }
  return { stores, problems };
}

/**
 * The URL without its password, the rest byte for byte as written, and the password in the userinfo's
 * form (percent-encoded), as historyUrl.ts finds it. A `password=` parameter (the Postgres driver's) is
 * moved too, re-encoded for the userinfo, where the drivers read it the same; a URL with both is left
 * as it is, with the problem (which never quotes the URL).
 */
export function splitPassword(url: string): { url: string; password?: string; problem?: string } {
  const credentials = urlCredentials(url);
  const inUserInfo = credentials?.password || undefined;
  const parameter = passwordParameter(url);
  if (inUserInfo !== undefined && parameter !== undefined) return { url, problem: 'holds two passwords (user:password@ and password=): keep one' };
  if (credentials && inUserInfo !== undefined) return { url: credentials.user === '' ? credentials.head + credentials.rest : `${credentials.head}${credentials.user}@${credentials.rest}`, password: inUserInfo };
  if (parameter === undefined) return { url };
  const decoded = decodedParameter(parameter);
  if (decoded === undefined) return { url, problem: 'holds a password= parameter with a % that is not a percent-escape: write % as %25' };
  const rest = withoutPasswordParameter(url);
  return decoded === '' ? { url: rest } : { url: rest, password: encodeURIComponent(decoded) };
}

/** A query value as URLSearchParams (and so the drivers) reads it: `+` is a space. */
function decodedParameter(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** The URL with the stored password put back; a URL that already holds one keeps its own. */
export function withPassword(url: string, password: string | undefined): string {
  const credentials = urlCredentials(url);
  if (!credentials || !password || credentials.password || passwordParameter(url) !== undefined) return url;
  return `${credentials.head}${credentials.user}:${password}@${credentials.rest}`;
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
