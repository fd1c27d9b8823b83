// The `promptChain` settings of each resource. Fetched with workspace/configuration when the client
// supports it (VS Code, Neovim, Helix do), cached per uri until the client says they changed. A client
// without it may push them in didChangeConfiguration; otherwise the defaults apply. Whatever a client
// sends is untrusted shape: each value is checked and a wrong one falls back to its default.
//
// `baseUrl` decides where the API key goes, so it is not taken from these settings as they come: Neovim and
// Helix answer them from configuration a project can ship (`.nvim.lua`, `.helix/languages.toml`). It is the
// user's endpoint from initializationOptions, unless the client vouches that its answers are user-level.

import type { Connection, DidChangeConfigurationParams } from 'vscode-languageserver';
import { largestMaxReplyChars } from '../../core/model/limits';
import type { SettingSource } from '../../core/model/settingSource';
import { defaultSettings, type InitializationOptions, type PromptChainSettings } from './protocol';
import type { LocalWindows } from '../../core/tokens/contextWindows';
import { localModelFor, modelShown, problemFor, resolveEndpoint, runsLocally } from '../../core/model/endpoint';
import { localContextSize } from '../../core/model/local/localModel';
import { TrainedContexts } from '../../core/model/local/ggufInfo';
import type { ServiceSettings } from '../../service/context';
import { formatError } from './runner';
import { folderOfDocument } from './workspaceRoots';

export const settingsSection = 'promptChain';

/** Where the user wants turns sent, as the client said at start-up (InitializationOptions). */
export type UserEndpoint = Required<Pick<InitializationOptions, 'baseUrl' | 'configurationIsUserLevel'>>;

/** A resource's settings once the server has put the user's endpoint in them. */
export interface ResolvedSettings extends PromptChainSettings {
  /**
   * The user's own setting `baseUrl` stands for (resolveEndpoint's `baseUrlSource`): the `promptChain.baseUrl`
   * setting, or `initializationOptions.baseUrl`. When `baseUrl` is '' it still names the setting to set.
   */
  baseUrlSource: SettingSource;
}

export class SettingsCache {
  private readonly byUri = new Map<string, Promise<ResolvedSettings>>();
  private pushed: ResolvedSettings;
  private warnedIgnoredBaseUrl = false;

  constructor(
    private readonly connection: Connection,
    private readonly clientAnswersConfiguration: boolean,
    private readonly userEndpoint: UserEndpoint,
  ) {
    this.pushed = this.withUserEndpoint(defaultSettings);
  }

  get(uri: string): Promise<ResolvedSettings> {
    if (!this.clientAnswersConfiguration) return Promise.resolve(this.pushed);
    let settings = this.byUri.get(uri);
    if (!settings) {
      settings = this.fetch(uri);
      this.byUri.set(uri, settings);
    }
    return settings;
  }

  /** didChangeConfiguration: every cached value may be stale; a pushing client sends the new values along. */
  onDidChange(params: DidChangeConfigurationParams | null | undefined): void {
    this.byUri.clear();
    const pushedSection = (params?.settings as Record<string, unknown> | null | undefined)?.[settingsSection];
    if (pushedSection !== undefined) this.pushed = this.withUserEndpoint(normalizeSettings(pushedSection));
  }

  forget(uri: string): void {
    this.byUri.delete(uri);
  }

  private async fetch(uri: string): Promise<ResolvedSettings> {
    try {
      const section: unknown = await this.connection.workspace.getConfiguration({ scopeUri: uri, section: settingsSection });
      return this.withUserEndpoint(normalizeSettings(section));
    } catch (error) {
      this.connection.console.error(formatError(`Could not read the ${settingsSection} settings of ${uri}; using defaults`, error));
      return this.withUserEndpoint(defaultSettings);
    }
  }

  private withUserEndpoint(settings: PromptChainSettings): ResolvedSettings {
    const { baseUrl, baseUrlSource } = userBaseUrl(settings.baseUrl, this.userEndpoint);
    if (settings.baseUrl && settings.baseUrl !== baseUrl && !this.warnedIgnoredBaseUrl) {
      this.warnedIgnoredBaseUrl = true;
      this.connection.console.warn(
        `Ignoring ${settingsSection}.baseUrl from the editor's settings: they may come from a project's own configuration, so the endpoint your API key is sent to is taken only from initializationOptions.baseUrl or OPENAI_BASE_URL.`,
      );
    }
    return { ...settings, baseUrl, baseUrlSource };
  }
}

/**
 * The endpoint the user chose: the configured one only from a client that vouches it is user-level,
 * else initializationOptions.baseUrl; '' leaves it to OPENAI_BASE_URL, else OpenAI (resolveEndpoint).
 */
export function userBaseUrl(configured: string, endpoint: UserEndpoint): { baseUrl: string; baseUrlSource: SettingSource } {
  if (endpoint.configurationIsUserLevel && configured) return { baseUrl: configured, baseUrlSource: baseUrlSetting };
  if (endpoint.baseUrl) return { baseUrl: endpoint.baseUrl, baseUrlSource: { kind: 'setting', name: 'initializationOptions.baseUrl' } };
  // Nothing configured: the setting the user would set is the editor's own (VS Code's), else the start-up option.
  return { baseUrl: '', baseUrlSource: endpoint.configurationIsUserLevel ? baseUrlSetting : { kind: 'setting', name: 'initializationOptions.baseUrl' } };
}

const baseUrlSetting: SettingSource = { kind: 'setting', name: `${settingsSection}.baseUrl` };

/** The settings a client sent, each value checked; anything missing or of the wrong type takes its default. */
export function normalizeSettings(raw: unknown): PromptChainSettings {
  const section = isRecord(raw) ? raw : {};
  const trace = isRecord(section.trace) ? section.trace : {};
  return {
    defaultModel: nonEmptyString(section.defaultModel) ?? defaultSettings.defaultModel,
    defaultCompletionModel: nonEmptyString(section.defaultCompletionModel) ?? defaultSettings.defaultCompletionModel,
    defaultMemoryKey: nonEmptyString(section.defaultMemoryKey) ?? defaultSettings.defaultMemoryKey,
    models: stringList(section.models) ?? defaultSettings.models,
    baseUrl: typeof section.baseUrl === 'string' ? section.baseUrl.trim() : defaultSettings.baseUrl,
    contextWindow: positiveInteger(section.contextWindow) ?? defaultSettings.contextWindow,
    maxReplyChars: replyCap(section.maxReplyChars) ?? defaultSettings.maxReplyChars,
    localModel: typeof section.localModel === 'string' ? section.localModel.trim() : defaultSettings.localModel,
    trace: { server: traceLevel(trace.server) ?? defaultSettings.trace.server },
  };
}

/** The part of the settings the pure language service reads. */
export function toServiceSettings(settings: PromptChainSettings): ServiceSettings {
  const { defaultModel, defaultCompletionModel, defaultMemoryKey, models, contextWindow } = settings;
  return { defaultModel, defaultCompletionModel, defaultMemoryKey, models, contextWindow, local: localWindowsOf(settings) };
}

/** The context each local model file was trained for, read from its header once per version of the file. */
const trainedContexts = new TrainedContexts();

/** The in-process models' windows for the context-window rules, by the endpoint rule turns follow. */
function localWindowsOf(settings: PromptChainSettings): LocalWindows {
  const endpoint = resolveEndpoint({ baseUrl: settings.baseUrl, env: process.env, localModel: settings.localModel });
  return {
    of(model, documentUri) {
      if (!runsLocally(model, endpoint) || problemFor(model, endpoint)) return undefined;
      const trained = trainedContexts.of(localModelFor(model, endpoint), folderOfDocument(documentUri));
      return { contextWindow: localContextSize(trained), label: modelShown(model, endpoint) };
    },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : undefined;
}

function positiveInteger(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

function replyCap(value: unknown): number | undefined {
  const cap = positiveInteger(value);
  return cap !== undefined && cap <= largestMaxReplyChars ? cap : undefined;
}

function traceLevel(value: unknown): PromptChainSettings['trace']['server'] | undefined {
  return value === 'off' || value === 'messages' || value === 'verbose' ? value : undefined;
}
