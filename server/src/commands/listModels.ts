// promptChain.listModels { uri } -> ListModelsResult: the models the file's endpoint lists (GET /models,
// cached: modelLists.ts), else the promptChain.models setting. An endpoint that is down or lists nothing is
// not a failure here: the picker still has the configured list to offer. With no endpoint and no key,
// turns run in-process: the list is `local` and each model file in the cache.

import type { ListModelsResult } from '../protocol';
import type { PromptServer } from '../server';
import { endpointOf } from '../endpoint';
import { localModelChoices, localModelsDir } from '../../../core/model/local/cache';
import { argumentObject, requiredString } from './arguments';

export async function listModelsCommand(server: PromptServer, command: string, args: unknown[] | undefined): Promise<ListModelsResult> {
  const uri = requiredString(command, argumentObject(command, args), 'uri');
  const settings = await server.settings.get(uri);
  const endpoint = endpointOf(settings);
  if (endpoint.local) return { models: await localModelChoices(localModelsDir(process.env)), source: 'endpoint' };
  const models = await server.modelLists.get(endpoint);
  return models.length > 0 ? { models, source: 'endpoint' } : { models: [...settings.models], source: 'settings' };
}
