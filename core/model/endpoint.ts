// Where a model call, and with it the API key, is sent: one rule for every host (the CLI, the language
// server, the extension's status bar). The host passes only what the USER configured (the CLI's --base-url,
// the editor's user-level setting) and its environment; nothing here reads process.env, so each host decides
// what counts as the user's word. A `.prompt` file or a workspace setting is never a source: whoever wrote
// them could otherwise have the key sent to a server of their choosing.

import { endpointLabel, explain, ModelError } from './errors';
import { defaultLocalModel, isLocalModelName, LocalModelNameError, localModelLabel, localModelRef, namesLocalFile, type LocalModelRef } from './local/modelRef';
import { apiKeySource, environmentBaseUrl, type SettingSource } from './settingSource';

export type { SettingSource } from './settingSource';

export const openAIBaseURL = 'https://api.openai.com/v1';
/** Local servers ignore the key, but the SDK will not send a request without one. */
export const placeholderKey = 'not-needed';

export interface EndpointSources {
  /** The endpoint the user configured; empty or absent: OPENAI_BASE_URL, else OpenAI's. */
  baseUrl?: string;
  /**
   * What the host calls `baseUrl` (`--base-url`, the `promptChain.baseUrl` setting), so a message can say
   * where the URL came from and a client can open that setting. Default: an unnamed host setting.
   */
  baseUrlSource?: SettingSource;
  /** The user's key; empty or absent: OPENAI_API_KEY. */
  apiKey?: string;
  /** The host's environment (process.env for a process that runs on the user's behalf). */
  env: Readonly<Record<string, string | undefined>>;
  /** The local model the user configured (`promptChain.localModel`); empty or absent: PROMPT_CHAIN_LOCAL_MODEL, else the default. */
  localModel?: string;
}

/** The label of the in-process model's "endpoint": where a local turn is shown to go. */
export const localEndpointLabel = 'local';

export interface Endpoint {
  /** The base URL requests go to. */
  baseURL: string;
  /** The base URL as shown to the user: no credentials, query or trailing slash. */
  label: string;
  /** The user's key, or the placeholder when there is none. */
  apiKey: string;
  /** OpenAI's own API, which needs a real key. */
  isOpenAI: boolean;
  /** Which of the user's settings decided `baseURL` (the default: the host's own setting, to set it). */
  source: SettingSource;
  /** Where the key is read from (and where a rejected one is corrected). */
  keySource: SettingSource;
  /**
   * Why nothing may be sent: a base URL that is not an http(s) URL or that holds `user:password@` (fetch
   * refuses such URLs, and a key in a URL would end up in logs), or OpenAI's endpoint without a key.
   */
  problem?: ModelError;
  /**
   * The user configured neither a base URL nor a key: every turn runs in-process on `localModel` (a new
   * user's first turn needs no account and no server). A `local…` model name runs there whatever this says.
   */
  local: boolean;
  /** The model `local` means: the user's setting, else PROMPT_CHAIN_LOCAL_MODEL, else the default. */
  localModel: LocalModelRef;
  /** A malformed local model setting: the failure of any call that would run locally. */
  localProblem?: ModelError;
}

export function resolveEndpoint(sources: EndpointSources): Endpoint {
  const configured = nonEmpty(sources.baseUrl);
  const fromEnv = configured ? undefined : nonEmpty(sources.env.OPENAI_BASE_URL);
  const baseURL = configured ?? fromEnv ?? openAIBaseURL;
  const source = baseUrlSourceOf(sources, configured !== undefined, fromEnv !== undefined);
  // The placeholder is never a key, so an endpoint resolved twice resolves the same.
  const apiKey = [sources.apiKey, sources.env.OPENAI_API_KEY].map(nonEmpty).find((key) => key && key !== placeholderKey);
  const label = endpointLabel(baseURL);
  const url = httpURL(baseURL);
  const isOpenAI = url !== undefined && isOpenAIHost(url.hostname);
  // Nothing named an endpoint or a key: the in-process model, rather than OpenAI's endpoint without a key.
  const local = !configured && !fromEnv && !apiKey;
  const { localModel, localProblem } = configuredLocalModel(sources);
  const problem = local ? undefined : problemOf({ baseURL, label, source }, url, isOpenAI && !apiKey);
  return {
    baseURL,
    label: local ? localEndpointLabel : label,
    apiKey: apiKey ?? placeholderKey,
    isOpenAI: !local && isOpenAI,
    source,
    keySource: apiKeySource,
    problem,
    local,
    localModel,
    ...(localProblem && { localProblem }),
  };
}

function configuredLocalModel(sources: EndpointSources): { localModel: LocalModelRef; localProblem?: ModelError } {
  const setting = nonEmpty(sources.localModel) ?? nonEmpty(sources.env.PROMPT_CHAIN_LOCAL_MODEL);
  try {
    return { localModel: localModelRef(undefined, setting) };
  } catch (error) {
    if (!(error instanceof LocalModelNameError)) throw error;
    const where = nonEmpty(sources.localModel) ? 'the promptChain.localModel setting' : 'PROMPT_CHAIN_LOCAL_MODEL';
    return { localModel: defaultLocalModel, localProblem: new ModelError('local-model', `The local model ${error.message} (from ${where}).`) };
  }
}

/** True when a call for `model` runs in-process: a `local…` model name, or an endpoint that is the local model. */
export function runsLocally(model: string | undefined, endpoint: Endpoint): boolean {
  return endpoint.local || isLocalModelName(model);
}

/** The local model a call for `model` runs on: its own `local:…` name, else the endpoint's local model. */
export function localModelFor(model: string | undefined, endpoint: Endpoint): LocalModelRef {
  return namesLocalFile(model) ? localModelRef(model) : endpoint.localModel;
}

/**
 * What stops a call for `model` before anything runs: the endpoint's problem for a remote call; a malformed
 * local model name or setting for a local one.
 */
export function problemFor(model: string | undefined, endpoint: Endpoint): ModelError | undefined {
  if (!runsLocally(model, endpoint)) return endpoint.problem;
  try {
    localModelFor(model, endpoint);
  } catch (error) {
    if (error instanceof LocalModelNameError) return new ModelError('local-model', `The model ${error.message}.`);
    throw error;
  }
  return namesLocalFile(model) ? undefined : endpoint.localProblem;
}

/** Where a call for `model` goes, as shown to the user: `local` in-process, else the endpoint's label. */
export function endpointShown(model: string | undefined, endpoint: Endpoint): string {
  return runsLocally(model, endpoint) ? localEndpointLabel : endpoint.label;
}

/** The model a call runs on, as shown to the user: the file's model, or the local model's label when it runs in-process. */
export function modelShown(model: string | undefined, endpoint: Endpoint): string {
  if (!runsLocally(model, endpoint)) return model ?? '';
  try {
    return localModelLabel(localModelFor(model, endpoint));
  } catch {
    return model ?? localEndpointLabel;
  }
}

/** The one decider of where the base URL came from: the host's setting or flag, OPENAI_BASE_URL, or the default. */
function baseUrlSourceOf(sources: EndpointSources, configured: boolean, fromEnv: boolean): SettingSource {
  const hostSetting = sources.baseUrlSource ?? { kind: 'setting', name: 'baseUrl' };
  if (configured) return hostSetting;
  if (fromEnv) return environmentBaseUrl;
  // Nothing chose it: the setting to name is the one the user would set.
  return { kind: 'default', name: hostSetting.name };
}

/** OpenAI's hosts: api.openai.com and its other *.openai.com names, not look-alikes such as notopenai.com. */
export function isOpenAIHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return host === 'api.openai.com' || host.endsWith('.openai.com');
}

interface ChosenURL {
  baseURL: string;
  label: string;
  source: SettingSource;
}

function problemOf({ baseURL, label, source }: ChosenURL, url: URL | undefined, keyMissing: boolean): ModelError | undefined {
  if (!url) return new ModelError('bad-url', explain.notAnHttpUrl(baseURL, source), { endpoint: label });
  if (url.username || url.password) return new ModelError('bad-url', explain.credentialsInUrl(label, source), { endpoint: label });
  if (keyMissing) return new ModelError('missing-key', explain.missingKey(label), { endpoint: label });
  return undefined;
}

function httpURL(text: string): URL | undefined {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

function nonEmpty(text: string | undefined): string | undefined {
  return text?.trim() || undefined;
}
