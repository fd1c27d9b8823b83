// promptChain/turnInputs { uri } -> TurnInputsResult: what a turn of the file needs, answered from the
// engine's own deciders (core/chain/inputKey.ts turnInputsOf: the input key and the other variables as
// preparePrompt gathers them; core/model/endpoint.ts: where it goes and which setting said so) and the
// diagnostics the editor shows, so a client asks for exactly what the turn takes and knows it will be
// refused while errors remain.

import { turnInputsOf } from '../../core/chain/inputKey';
import type { MemoryConfig } from '../../core/chain/types';
import { HistoryStoreError } from '../../core/history/types';
import { TurnInputsRequest, type TurnInputsParams, type TurnInputsResult } from './protocol';
import type { PromptServer } from './server';
import { endpointOf } from './endpoint';
import { endpointShown, modelShown } from '../../core/model/endpoint';
import { runCommandSafely } from './runner';
import { argumentObject, requiredString } from './commands/arguments';
import { errorDiagnostics, loadPromptSource } from './commands/promptSource';

export function registerTurnInputs(server: PromptServer): void {
  server.connection.onRequest(TurnInputsRequest, (params: unknown) =>
    runCommandSafely(server.connection.console, TurnInputsRequest, () => turnInputs(server, params)),
  );
}

async function turnInputs(server: PromptServer, params: unknown): Promise<TurnInputsResult> {
  const { uri } = turnInputsParams(params);
  const source = await loadPromptSource(server, uri);
  const { inputKey, variables } = turnInputsOf(source.prompt.body, source.config);
  const endpoint = endpointOf(source.settings);
  return {
    inputKey,
    variables,
    errors: errorDiagnostics(source),
    model: modelShown(source.config.model ?? source.settings.defaultModel, endpoint),
    endpoint: { label: endpointShown(source.config.model, endpoint), source: endpoint.source },
    ...historyOf(server, uri, source.config.memory),
  };
}

/** The shared history a turn would use, decided as the turn decides it; its problem instead when it has one. */
function historyOf(server: PromptServer, uri: string, memory: MemoryConfig | undefined): Pick<TurnInputsResult, 'history' | 'historyProblem'> {
  if (!memory) return { history: null };
  try {
    return { history: server.conversations.sharedHistoryOf(uri, memory)?.view ?? null };
  } catch (error) {
    if (error instanceof HistoryStoreError) return { history: null, historyProblem: error.message };
    throw error;
  }
}

function turnInputsParams(params: unknown): TurnInputsParams {
  return { uri: requiredString(TurnInputsRequest, argumentObject(TurnInputsRequest, [params]), 'uri') };
}
