// promptChain.formatPrompt { uri, input, variables? } -> FormatPromptResult: the prompt a turn would send
// now, with the stored memory filled in, formatted by the turn's own steps (core/chain/run.ts previewTurn),
// so it is byte for byte what runTurn sends and what LangChain's verbose trace prints. Nothing is sent,
// nothing is stored; refused like runTurn on a file with errors.

import { previewTurn } from '../../../core/chain/run';
import type { FormatPromptParams, FormatPromptResult } from '../protocol';
import type { PromptServer } from '../server';
import { isStoreFailure } from '../storeFailures';
import { endpointOf, failureSources } from '../endpoint';
import { engineFailure } from '../failures';
import { argumentObject, optionalStringMap, requiredString } from './arguments';
import { loadPromptSource, refuseErrors } from './promptSource';

export async function formatPromptCommand(server: PromptServer, command: string, args: unknown[] | undefined): Promise<FormatPromptResult> {
  const params = formatPromptParams(command, args);
  const source = await loadPromptSource(server, params.uri);
  await refuseErrors(source);
  const memory = source.config.memory;
  try {
    return await previewTurn({
      prompt: source.prompt,
      config: source.config,
      input: params.input,
      variables: params.variables,
      conversation: memory && (await server.conversations.open(params.uri, memory)).conversation,
    });
  } catch (error) {
    // The store's failures are answered (and logged) by the registry, as for every command.
    if (isStoreFailure(error)) throw error;
    throw engineFailure(error, failureSources(endpointOf(source.settings), source.prompt, source.config));
  }
}

function formatPromptParams(command: string, args: unknown[] | undefined): FormatPromptParams {
  const object = argumentObject(command, args);
  return {
    uri: requiredString(command, object, 'uri'),
    input: requiredString(command, object, 'input'),
    variables: optionalStringMap(command, object, 'variables'),
  };
}
