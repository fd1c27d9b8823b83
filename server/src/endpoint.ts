// Where a file's turns go, resolved by the rule every host shares (core/model/endpoint.ts): the user's
// endpoint from the settings (settings.ts resolved `baseUrl` to it), else OPENAI_BASE_URL, else OpenAI's.
// The key is OPENAI_API_KEY from the server's environment, which the VS Code client fills from
// SecretStorage; neither a `.prompt` file nor a workspace's settings can send it elsewhere.

import type { FailureSources } from '../../core/chain/failure';
import { resolveEndpoint, type Endpoint } from '../../core/model/endpoint';
import type { SettingSource } from '../../core/model/settingSource';
import type { PromptDocument } from '../../core/format/model';
import type { ChainConfig } from '../../core/chain/types';
import type { ResolvedSettings } from './settings';
import { settingsSection } from './settings';

export function endpointOf(settings: ResolvedSettings): Endpoint {
  return resolveEndpoint({ baseUrl: settings.baseUrl, baseUrlSource: settings.baseUrlSource, env: process.env, localModel: settings.localModel });
}

/** The settings a failure of this file's turn may send the user to. */
export function failureSources(endpoint: Endpoint, prompt: PromptDocument, config: ChainConfig): FailureSources {
  const model = modelSetting(prompt, config);
  return { endpoint: endpoint.source, apiKey: endpoint.keySource, ...(model && { model }) };
}

/** The setting that chose the model, when the file's front matter names none. */
function modelSetting(prompt: PromptDocument, config: ChainConfig): SettingSource | undefined {
  if (prompt.frontMatter?.model) return undefined;
  const name = config.api === 'completion' ? 'defaultCompletionModel' : 'defaultModel';
  return { kind: 'setting', name: `${settingsSection}.${name}` };
}
