// The VS Code side of `promptChain.historyStores`: a password written into a store's URL is moved into
// SecretStorage (the OS keychain) and the user setting is rewritten without it, telling the user once;
// "Add Shared History Store…" asks name, URL and password; the server's environment gets the full URLs
// (historyStores.ts). Only user-level settings are read or written: the setting is application-scoped.

import * as vscode from 'vscode';
import {
  displayStoreUrl,
  historyPasswordPrefix,
  historyPasswordSecret,
  historyStoresEnvironment,
  splitPassword,
  userLevelStores,
} from './historyStores';
import { STORE_NAME_PATTERN } from '../../core/history/names';

const section = 'promptChain';
const key = 'historyStores';
export const historyStoresSetting = `${section}.${key}`;

function inspectStores(): { globalValue?: unknown } | undefined {
  return vscode.workspace.getConfiguration(section).inspect(key);
}

/** The value of PROMPT_CHAIN_HISTORY_STORES for the server: the user's stores with their stored passwords. */
export async function historyStoresForServer(secrets: vscode.SecretStorage): Promise<string | undefined> {
  const { stores } = userLevelStores(inspectStores());
  const passwords: Record<string, string | undefined> = {};
  for (const name of Object.keys(stores)) passwords[name] = await secrets.get(historyPasswordSecret(name));
  return historyStoresEnvironment(stores, passwords);
}

/**
 * Moves every password in the user setting into SecretStorage, then rewrites the setting without them.
 * The secret is stored first: should the rewrite fail, the URL still works and nothing is lost.
 */
export async function movePasswordsToSecrets(secrets: vscode.SecretStorage, log: vscode.LogOutputChannel): Promise<void> {
  const { stores, problems } = userLevelStores(inspectStores());
  for (const problem of problems) log.warn(problem);
  const moved: string[] = [];
  const rewritten = { ...(inspectStores()?.globalValue as Record<string, unknown> | undefined) };
  for (const [name, url] of Object.entries(stores)) {
    const split = splitPassword(url);
    // Both `user:password@` and a `password=` parameter are moved; a URL that cannot be split says why.
    if (split.problem !== undefined) log.warn(`promptChain.historyStores.${name} ${split.problem}; its password stays in your settings until then.`);
    if (split.password === undefined) continue;
    await secrets.store(historyPasswordSecret(name), split.password);
    rewritten[name] = split.url;
    moved.push(`${name} (${displayStoreUrl(split.url)})`);
  }
  if (moved.length === 0) return;
  await vscode.workspace.getConfiguration(section).update(key, rewritten, vscode.ConfigurationTarget.Global);
  void vscode.window.showInformationMessage(
    `Prompt Chain: the password of history store ${moved.join(', ')} was moved from your settings to the OS keychain.`,
  );
}

/** True when a secret change concerns a history store's password. */
export function isHistoryPasswordKey(secretKey: string): boolean {
  return secretKey.startsWith(historyPasswordPrefix);
}

/** "Prompt Chain: Add Shared History Store…": name, URL, then (for a server URL) the password. */
export async function addHistoryStore(secrets: vscode.SecretStorage): Promise<void> {
  const name = await askStoreName();
  if (name === undefined) return;
  const url = await askStoreUrl(name);
  if (url === undefined) return;
  const split = splitPassword(url);
  if (split.problem !== undefined) {
    void vscode.window.showErrorMessage(`Prompt Chain: the URL of history store ${name} ${split.problem}.`);
    return;
  }
  // A typed password goes into the URL percent-encoded, as one written there would be.
  const typed = split.password === undefined && isServerUrl(url) ? await askPassword(name) : undefined;
  if (typed === null) return;
  const password = split.password ?? (typed ? encodeURIComponent(typed) : undefined);
  if (password) await secrets.store(historyPasswordSecret(name), password);
  else await secrets.delete(historyPasswordSecret(name));
  const current = inspectStores()?.globalValue;
  const stores = typeof current === 'object' && current !== null && !Array.isArray(current) ? current : {};
  await vscode.workspace.getConfiguration(section).update(key, { ...stores, [name]: split.url }, vscode.ConfigurationTarget.Global);
  void vscode.window.showInformationMessage(
    `Prompt Chain: history store ${name} is ${displayStoreUrl(split.url)}${password ? ' (password in the OS keychain)' : ''}. A .prompt file attaches to it with \`memory: { history: ${name} }\`, or pick a session in its chat panel.`,
  );
}

function askStoreName(): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: 'Prompt Chain: Add Shared History Store (1/3)',
    prompt: 'A name for the store: .prompt files name it in `memory: { history: NAME }`.',
    placeHolder: 'team',
    ignoreFocusOut: true,
    validateInput: (value) => (STORE_NAME_PATTERN.test(value.trim()) ? undefined : 'Letters, digits, "_", "." and "-" only.'),
  }).then((value) => value?.trim());
}

function askStoreUrl(name: string): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: `Prompt Chain: Add Shared History Store ${name} (2/3)`,
    prompt: 'The store: redis://host:6379, postgres://user@host/db?table=T, sqlite:/path/chat.db or file:/path/history.json (options: prefix, table, schema, dialect, ttl, readonly).',
    placeHolder: 'redis://127.0.0.1:6379',
    ignoreFocusOut: true,
    validateInput: (value) => (/^(rediss?|postgres(ql)?):\/\/\S+$|^(sqlite|file):\S+$/.test(value.trim()) ? undefined : 'A redis://, rediss://, postgres://, sqlite: or file: URL.'),
  }).then((value) => value?.trim());
}

/** The password, '' for none, null when the user cancelled. */
async function askPassword(name: string): Promise<string | null> {
  const password = await vscode.window.showInputBox({
    title: `Prompt Chain: Add Shared History Store ${name} (3/3)`,
    prompt: 'The password, kept in the OS keychain (never in settings). Leave empty for none.',
    password: true,
    ignoreFocusOut: true,
  });
  return password === undefined ? null : password;
}

function isServerUrl(url: string): boolean {
  return /^(rediss?|postgres(ql)?):\/\//.test(url);
}
