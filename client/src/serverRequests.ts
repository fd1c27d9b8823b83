// The issue-8 requests of server/src/protocol.ts as typed calls: what a turn of a file needs and where it
// goes (turnInputs), the prompt a turn would send (formatPrompt) and the endpoint's models (listModels).
// Each goes to the running server (started on first need) like the calls in server.ts. These are the only
// callers of these requests: the panel's turn flow, the preview, the status bar and Select Model all ask here.

import type * as vscode from 'vscode';
import { ExecuteCommandRequest } from 'vscode-languageclient/node';
import {
  Commands,
  TurnInputsRequest,
  type FormatPromptParams,
  type FormatPromptResult,
  type ListModelsResult,
  type TurnInputsParams,
  type TurnInputsResult,
} from '../../server/src/protocol';
import { fileNameOf } from './promptTarget';
import type { PromptChainServer } from './server';
import { isTurnInputsResult } from './turnInputs';

/** The server's answer, checked field by field; a failure, or an answer of another shape, rejects. */
export async function turnInputs(server: PromptChainServer, uri: vscode.Uri): Promise<TurnInputsResult> {
  const client = await server.start();
  const params: TurnInputsParams = { uri: uri.toString() };
  const result: unknown = await client.sendRequest(TurnInputsRequest, params);
  if (isTurnInputsResult(result)) return result;
  throw new Error(`Prompt Chain: the language server's answer about what a turn of ${fileNameOf(uri)} needs was not understood; reload the window so that client and server are the same version.`);
}

export function formatPrompt(server: PromptChainServer, params: FormatPromptParams): Promise<FormatPromptResult> {
  return execute<FormatPromptResult>(server, Commands.formatPrompt, params);
}

export function listModels(server: PromptChainServer, uri: vscode.Uri): Promise<ListModelsResult> {
  return execute<ListModelsResult>(server, Commands.listModels, { uri: uri.toString() });
}

async function execute<T>(server: PromptChainServer, command: string, argument: object): Promise<T> {
  const client = await server.start();
  return (await client.sendRequest(ExecuteCommandRequest.type, { command, arguments: [argument] })) as T;
}
