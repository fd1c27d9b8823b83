// promptChain.compareModels { uri, input, variables?, models, runId } -> ModelReply[]: the input on each
// model as the file's next turn would run it, the stored conversation read into a scratch copy per model
// and never written. Each column goes to the client as a ComparisonProgress once complete.

import type { CancellationToken } from 'vscode-languageserver';
import { compareModels, ComparisonCancelled, type ModelReply } from '../../../core/testing/compareModels';
import { ComparisonProgressNotification, maxComparedModels, type ComparisonProgress, type CompareModelsParams } from '../protocol';
import type { PromptServer } from '../server';
import { cancelledCommand } from '../runner';
import { abortControllerFor } from './abortOnCancel';
import { argumentObject, invalidArgument, optionalStringMap, requiredString, requiredStringList } from './arguments';
import { loadPromptSource, refuseErrors } from './promptSource';
import { sourceEndpoint } from './sourceEndpoint';

export async function compareModelsCommand(server: PromptServer, command: string, args: unknown[] | undefined, token: CancellationToken): Promise<ModelReply[]> {
  const params = compareParams(command, args);
  const source = await loadPromptSource(server, params.uri);
  await refuseErrors(source, 'comparing models');
  const { model, sources } = sourceEndpoint(server, source);
  const memory = source.config.memory;
  const conversation = memory && (await server.conversations.open(params.uri, memory)).conversation;
  const report = (progress: ComparisonProgress) => void server.connection.sendNotification(ComparisonProgressNotification, progress);
  const abort = abortControllerFor(token);
  try {
    return await compareModels({
      prompt: source.prompt,
      config: source.config,
      input: params.input,
      ...(params.variables && { variables: params.variables }),
      models: params.models,
      model,
      ...(conversation && { conversation }),
      signal: abort.signal,
      sources,
      onReply: (reply, column) => report({ runId: params.runId, kind: 'reply', column, reply }),
    });
  } catch (error) {
    if (error instanceof ComparisonCancelled) throw cancelledCommand('The comparison was cancelled; memory was not touched.');
    throw error;
  } finally {
    abort.dispose();
  }
}

function compareParams(command: string, args: unknown[] | undefined): CompareModelsParams {
  const object = argumentObject(command, args);
  const models = [...new Set(requiredStringList(command, object, 'models'))];
  if (models.length === 0 || models.length > maxComparedModels || models.some((name) => name.trim() === '')) {
    throw invalidArgument(command, `needs "models" as 1 to ${maxComparedModels} model names, none empty`);
  }
  const variables = optionalStringMap(command, object, 'variables');
  return { uri: requiredString(command, object, 'uri'), input: requiredString(command, object, 'input'), ...(variables && { variables }), models, runId: requiredString(command, object, 'runId') };
}
