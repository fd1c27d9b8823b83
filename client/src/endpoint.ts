// Where chat turns, and with them the API key, are sent. Only the user decides: the `promptChain.baseUrl`
// value from user (or remote machine) settings, else OPENAI_BASE_URL, else OpenAI. A workspace, trusted or
// not, and a `.prompt` file can never name the endpoint. The server applies that rule (core/model/endpoint);
// this client vouches for it by answering `baseUrl` with the user-level value only, and says so in
// initializationOptions (`configurationIsUserLevel`). Pure: the VS Code wiring is in languageClient.ts.

import { endpointLabel } from '../../core/model/errors';
import { resolveEndpoint } from '../../core/model/endpoint';

/** The user-level value out of `getConfiguration('promptChain').inspect('baseUrl')`; '' when unset. */
export function userLevelBaseUrl(inspected: { globalValue?: unknown } | undefined): string {
  const value = inspected?.globalValue;
  return typeof value === 'string' ? value.trim() : '';
}

/** The endpoint the server will use, by the rule it uses (for display). */
export function effectiveBaseUrl(userBaseUrl: string, env: Record<string, string | undefined>): string {
  return resolveEndpoint({ baseUrl: userBaseUrl, env }).baseURL;
}

/** `host:port` of an endpoint for the status bar; the text itself when it is not a URL. */
export function endpointHost(baseUrl: string): string {
  try {
    return new URL(baseUrl).host || baseUrl;
  } catch {
    return baseUrl;
  }
}

/** The endpoint for display, without any credentials written into the URL. */
export function displayEndpoint(baseUrl: string): string {
  return endpointLabel(baseUrl);
}

/** What the server asked for in one workspace/configuration item. */
export interface ConfigurationItemLike {
  section?: string | null;
}

/**
 * Rewrites a workspace/configuration answer so that every `baseUrl` in it is the user-level value, whatever
 * the workspace or folder settings say. Handles the three ways a server can ask: the `promptChain`
 * section, the `promptChain.baseUrl` key, or the whole configuration.
 */
export function withUserLevelBaseUrl(items: readonly ConfigurationItemLike[], values: readonly unknown[], baseUrl: string): unknown[] {
  return values.map((value, index) => {
    const section = items[index]?.section ?? '';
    if (section === 'promptChain.baseUrl') return baseUrl;
    if (section === 'promptChain') return isRecord(value) ? { ...value, baseUrl } : value;
    if (section === '' && isRecord(value) && isRecord(value.promptChain)) {
      return { ...value, promptChain: { ...value.promptChain, baseUrl } };
    }
    return value;
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The language server's environment: the key from SecretStorage when one is stored, else whatever
 * OPENAI_API_KEY the editor was started with. The key travels only here, never in settings or messages.
 */
export function serverEnvironment(env: Record<string, string | undefined>, storedKey: string | undefined): Record<string, string | undefined> {
  return storedKey ? { ...env, OPENAI_API_KEY: storedKey } : { ...env };
}
