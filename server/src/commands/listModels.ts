// promptChain.listModels { uri } -> ListModelsResult: the models the file's endpoint lists (GET /models,
// cached: modelLists.ts), else the promptChain.models setting. An endpoint that is down or lists nothing is
// not a failure here: the picker still has the configured list to offer.

import type { ListModelsResult } from '../protocol';
import type { PromptServer } from '../server';
import { endpointOf } from '../endpoint';
import { argumentObject, requiredString } from './arguments';

export async function listModelsCommand(server: PromptServer, command: string, args: unknown[] | undefined): Promise<ListModelsResult> {
  const uri = requiredString(command, argumentObject(command, args), 'uri');
  const settings = await server.settings.get(uri);
  const models = await server.modelLists.get(endpointOf(settings));
  return models.length > 0 ? { models, source: 'endpoint' } : { models: [...settings.models], source: 'settings' };
}
