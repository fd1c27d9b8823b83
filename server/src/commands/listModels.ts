// promptChain.listModels { uri } -> ListModelsResult: the models the file's endpoint lists (GET /models,
// cached: modelLists.ts), else the promptChain.models setting. An endpoint that is down or lists nothing is
// not a failure here: the picker still has the configured list to offer. The local models come last
// (`local` and each model file in the cache); with no endpoint configured they are the whole list.

import type { ListModelsResult } from '../protocol';
import type { PromptServer } from '../server';
import { endpointOf } from '../endpoint';
import { listCachedModels, localModelsDir } from '../../../core/model/local/cache';
import { localModelPrefix } from '../../../core/model/local/modelRef';
import { argumentObject, requiredString } from './arguments';

export async function listModelsCommand(server: PromptServer, command: string, args: unknown[] | undefined): Promise<ListModelsResult> {
  const uri = requiredString(command, argumentObject(command, args), 'uri');
  const settings = await server.settings.get(uri);
  const endpoint = endpointOf(settings);
  const local = [localModelPrefix, ...(await listCachedModels(localModelsDir(process.env)).catch(() => [])).filter((model) => !model.partial).map((model) => model.name)];
  if (endpoint.local) return { models: local, source: 'endpoint' };
  const models = await server.modelLists.get(endpoint);
  return models.length > 0 ? { models: [...models, ...local], source: 'endpoint' } : { models: [...settings.models, ...local], source: 'settings' };
}
