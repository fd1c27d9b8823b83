// promptChain.runTurn { uri, input, variables?, turnId?, replaceLast? } -> RunTurnResult: one chat turn
// through the chain engine with the file's stored conversation (with replaceLast, in place of its last
// turn). The formatted prompt and each piece of the reply are sent as TurnProgress notifications while
// it runs. $/cancelRequest aborts the model call; the engine saves a
// turn only after a complete reply, so a cancelled turn leaves memory as it was.
//
// A file with error diagnostics is refused first (nothing read, sent or stored), then an endpoint that
// cannot be used (not an http(s) URL, OpenAI's without a key). Every failure is answered with its kind
// (failures.ts), the setting it names coming from where the value really came from (endpoint.ts).

import type { CancellationToken } from 'vscode-languageserver';
import { runTurn } from '../../../core/chain/run';
import { TurnProgressNotification, type RunTurnParams, type RunTurnResult, type TurnProgress } from '../protocol';
import type { PromptServer } from '../server';
import { isStoreFailure } from '../storeFailures';
import { cancelledCommand } from '../runner';
import { sourceEndpoint } from './sourceEndpoint';
import { engineFailure } from '../failures';
import { argumentObject, optionalString, optionalStringMap, optionalTurn, requiredString } from './arguments';
import { loadPromptSource, refuseErrors } from './promptSource';
import { abortControllerFor } from './abortOnCancel';

export async function runTurnCommand(
  server: PromptServer,
  command: string,
  args: unknown[] | undefined,
  token: CancellationToken,
): Promise<RunTurnResult> {
  const params = runTurnParams(command, args);
  const source = await loadPromptSource(server, params.uri);
  await refuseErrors(source);
  // Refused before memory is touched: a base URL that is not one, or OpenAI's endpoint without a key.
  const { model, sources } = sourceEndpoint(server, source);
  const memory = source.config.memory;
  const turnId = params.turnId ?? params.uri;
  const report = (progress: TurnProgress) => void server.connection.sendNotification(TurnProgressNotification, progress);
  const abort = abortControllerFor(token);
  try {
    const result = await runTurn({
      prompt: source.prompt,
      config: source.config,
      input: params.input,
      variables: params.variables,
      conversation: memory && (await server.conversations.open(params.uri, memory)).conversation,
      replaceLast: params.replaceLast,
      model,
      signal: abort.signal,
      onPrompt: (prompt, messages) => report({ turnId, kind: 'prompt', prompt, ...(messages && { messages }) }),
      onToken: (text) => report({ turnId, kind: 'token', text }),
    });
    server.storedTurnsChanged();
    return result;
  } catch (error) {
    // A cancel that lands as the turn fails for another reason is still the user's cancel.
    if (abort.signal.aborted) throw cancelledCommand('The turn was cancelled; nothing was saved to memory.');
    // The store's failures are answered (and logged) by the registry, as for every command.
    throw isStoreFailure(error) ? error : engineFailure(error, sources);
  } finally {
    abort.dispose();
  }
}

function runTurnParams(command: string, args: unknown[] | undefined): RunTurnParams {
  const object = argumentObject(command, args);
  return {
    uri: requiredString(command, object, 'uri'),
    input: requiredString(command, object, 'input'),
    variables: optionalStringMap(command, object, 'variables'),
    turnId: optionalString(command, object, 'turnId'),
    replaceLast: optionalTurn(command, object, 'replaceLast'),
  };
}
