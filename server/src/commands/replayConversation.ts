// promptChain.replayConversation { uri, model?, variables?, runId } -> ReplayResult: the stored conversation's
// inputs run again in order from an empty memory, on another model or the prompt as edited, each turn sent
// to the client as a ComparisonProgress once complete. The stored conversation is read, never written.

import type { CancellationToken } from 'vscode-languageserver';
import { ComparisonCancelled } from '../../../core/testing/compareModels';
import { replayConversation, type ReplayResult } from '../../../core/testing/replayConversation';
import { ComparisonProgressNotification, type ComparisonProgress, type ReplayConversationParams } from '../protocol';
import type { PromptServer } from '../server';
import { cancelledCommand } from '../runner';
import { abortControllerFor } from './abortOnCancel';
import { argumentObject, invalidArgument, optionalString, optionalStringMap, requiredString } from './arguments';
import { conversationOf, fileNameOf, loadPromptSource, refuseErrors, requestFailed } from './promptSource';
import { sourceEndpoint } from './sourceEndpoint';

export async function replayConversationCommand(server: PromptServer, command: string, args: unknown[] | undefined, token: CancellationToken): Promise<ReplayResult> {
  const params = replayParams(command, args);
  const source = await loadPromptSource(server, params.uri);
  await refuseErrors(source, 'replaying its conversation');
  const { model, sources } = sourceEndpoint(server, source);
  const { conversation } = await conversationOf(server, source);
  const abort = abortControllerFor(token);
  try {
    const entries = await conversation.load(abort.signal);
    if (!entries.some((entry) => !('lone' in entry))) throw requestFailed(`${fileNameOf(params.uri)} has no stored turn to replay: send a message first.`, { kind: 'memory', reason: 'nothing-stored' });
    return await replayConversation({
      prompt: source.prompt,
      config: params.model === undefined ? source.config : { ...source.config, model: params.model },
      entries,
      ...(params.variables && { variables: params.variables }),
      model,
      signal: abort.signal,
      sources,
      onTurn: (turn) => void server.connection.sendNotification(ComparisonProgressNotification, { runId: params.runId, kind: 'turn', turn } satisfies ComparisonProgress),
    });
  } catch (error) {
    if (error instanceof ComparisonCancelled) throw cancelledCommand('The replay was cancelled; memory was not touched.');
    throw error;
  } finally {
    abort.dispose();
  }
}

function replayParams(command: string, args: unknown[] | undefined): ReplayConversationParams {
  const object = argumentObject(command, args);
  const model = optionalString(command, object, 'model');
  if (model !== undefined && model.trim() === '') throw invalidArgument(command, 'needs "model" as a model name, or no "model" for the file\'s');
  const variables = optionalStringMap(command, object, 'variables');
  return { uri: requiredString(command, object, 'uri'), ...(model !== undefined && { model }), ...(variables && { variables }), runId: requiredString(command, object, 'runId') };
}
