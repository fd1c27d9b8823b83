// promptChain.runTurn { uri, input, variables?, turnId? } -> RunTurnResult: one chat turn through the chain
// engine with the file's stored conversation. The formatted prompt and each piece of the reply are sent
// as TurnProgress notifications while it runs. $/cancelRequest aborts the model call; the engine saves a
// turn only after a complete reply, so a cancelled turn leaves memory as it was.
//
// The API key comes from the server's environment and the endpoint from what the user configured (the
// settings resolve `baseUrl` to it: settings.ts), else OPENAI_BASE_URL, else OpenAI's: neither a `.prompt`
// file nor a workspace's settings can send the key somewhere else.

import type { CancellationToken } from 'vscode-languageserver';
import type { LanguageModel } from '../../../core/chain/types';
import { runTurn } from '../../../core/chain/run';
import { createOpenAIModel } from '../../../core/model/openaiModel';
import { resolveEndpoint } from '../../../core/model/endpoint';
import { ModelError, isCancelled } from '../../../core/model/errors';
import { ChainError } from '../../../core/chain/errors';
import { TurnProgressNotification, type RunTurnParams, type RunTurnResult, type TurnProgress } from '../protocol';
import type { PromptServer } from '../server';
import type { ResolvedSettings } from '../settings';
import { cancelled } from '../runner';
import { argumentObject, optionalString, optionalStringMap, requiredString } from './arguments';
import { loadPromptSource, requestFailed } from './promptSource';

export async function runTurnCommand(
  server: PromptServer,
  command: string,
  args: unknown[] | undefined,
  token: CancellationToken,
): Promise<RunTurnResult> {
  const params = runTurnParams(command, args);
  const source = await loadPromptSource(server, params.uri);
  const model = modelFor(source.settings);
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
      conversation: memory && server.conversations.open(params.uri, memory),
      model,
      signal: abort.signal,
      onPrompt: (prompt, messages) => report({ turnId, kind: 'prompt', prompt, ...(messages && { messages }) }),
      onToken: (text) => report({ turnId, kind: 'token', text }),
    });
    server.storedTurnsChanged();
    return result;
  } catch (error) {
    throw turnFailure(error, abort.signal);
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
  };
}

/** Refused before memory is touched: a base URL that is not one, or OpenAI's endpoint without a key. */
function modelFor(settings: ResolvedSettings): LanguageModel {
  const sources = { baseUrl: settings.baseUrl, baseUrlName: settings.baseUrlName, env: process.env };
  const { baseURL, apiKey, problem } = resolveEndpoint(sources);
  if (problem) throw requestFailed(problem.message, { kind: problem.kind });
  return createOpenAIModel({ apiKey, baseURL, maxReplyChars: settings.maxReplyChars });
}

function abortControllerFor(token: CancellationToken): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  const subscription = token.onCancellationRequested(() => controller.abort());
  return { signal: controller.signal, dispose: () => subscription.dispose() };
}

/**
 * The engine's errors are already one clear sentence (LangChain's own text where it has one); they reach
 * the client as is, with their kind in `data` for clients that react to it (e.g. ask for a missing key).
 * Store failures are answered by the registry, as for every command.
 */
function turnFailure(error: unknown, signal: AbortSignal): unknown {
  if (signal.aborted || isCancelled(error)) return cancelled('The turn was cancelled; nothing was saved to memory.');
  if (error instanceof ChainError) return requestFailed(error.hint ? `${error.message} ${error.hint}` : error.message, { kind: error.kind });
  if (error instanceof ModelError) return requestFailed(error.message, { kind: error.kind });
  return error;
}
