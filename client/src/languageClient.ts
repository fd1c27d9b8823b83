// Builds the language client for the bundled server (dist/server.js over node-ipc). Two things here are
// about trust: the API key goes only into the server's environment, and the configuration the server reads
// has its `baseUrl` replaced by the user-level value, so no workspace can redirect the key. Because of that
// rewrite the client may tell the server `configurationIsUserLevel`: without it the server would ignore
// `baseUrl` from workspace/configuration, as it must for editors that cannot make that promise. The shared
// history stores' URLs (with their passwords) travel like the key: in the environment only.

import * as vscode from 'vscode';
import { LanguageClient, ResponseError, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import type { InitializationOptions } from '../../server/src/protocol';
import { serverEnvironment, userLevelBaseUrl, withUserLevelBaseUrl } from './endpoint';
import { promptLanguageId } from './promptTarget';
import { HISTORY_STORES_VARIABLE } from '../../core/history/names';
import { TEST_FILE_SUFFIX } from '../../core/testing/types';

export const clientId = 'promptChain';

/** What only the server's environment carries: the API key and the shared-history stores' full URLs. */
export interface ServerSecrets {
  apiKey: string | undefined;
  /** PROMPT_CHAIN_HISTORY_STORES (historyStores.ts); undefined: the editor's own environment's, if any. */
  historyStores: string | undefined;
}

export function createLanguageClient(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, secrets: ServerSecrets): LanguageClient {
  const module = vscode.Uri.joinPath(context.extensionUri, 'dist', 'server.js').fsPath;
  const env = serverEnvironment(process.env, secrets.apiKey);
  if (secrets.historyStores) env[HISTORY_STORES_VARIABLE] = secrets.historyStores;
  const options = { env };
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options },
    debug: { module, transport: TransportKind.ipc, options: { ...options, execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  // Trust only grows during a session (granting it); the client tells the server then (WorkspaceTrustedNotification).
  const initializationOptions: InitializationOptions = { stateDir: stateDir(context), configurationIsUserLevel: true, workspaceTrusted: vscode.workspace.isTrusted };
  const clientOptions: LanguageClientOptions = {
    // test files are YAML to VS Code; the server checks them against their prompts
    documentSelector: [{ language: promptLanguageId }, { scheme: 'file', pattern: `**/*${TEST_FILE_SUFFIX}` }],
    outputChannel: log,
    initializationOptions,
    middleware: { workspace: { configuration: userLevelEndpointOnly } },
  };
  return new LanguageClient(clientId, 'Prompt Chain', serverOptions, clientOptions);
}

/** Where conversations are stored: this workspace's storage, or the global one for a lone file. */
export function stateDir(context: vscode.ExtensionContext): string {
  return (context.storageUri ?? context.globalStorageUri).fsPath;
}

type ConfigurationMiddleware = NonNullable<NonNullable<LanguageClientOptions['middleware']>['workspace']>['configuration'];

const userLevelEndpointOnly: ConfigurationMiddleware = async (params, token, next) => {
  const values = await next(params, token);
  if (values instanceof ResponseError || !Array.isArray(values)) return values;
  const baseUrl = userLevelBaseUrl(vscode.workspace.getConfiguration('promptChain').inspect('baseUrl'));
  return withUserLevelBaseUrl(params.items, values, baseUrl);
};
