// The issue-8 requests of server/src/protocol.ts as typed calls: what a turn of a file needs and where it
// goes (turnInputs), the prompt a turn would send (formatPrompt) and the endpoint's models (listModels).
// Each goes to the running server (started on first need) like the calls in server.ts.

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
import type { PromptChainServer } from './server';

export async function turnInputs(server: PromptChainServer, uri: vscode.Uri): Promise<TurnInputsResult> {
  const client = await server.start();
  const params: TurnInputsParams = { uri: uri.toString() };
  return client.sendRequest<TurnInputsResult>(TurnInputsRequest, params);
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
