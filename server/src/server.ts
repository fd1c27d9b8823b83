// The language server, whatever the transport: LSP wiring over the pure language service (service/) and
// the chain engine (core/). It owns the per-document caches and the per-resource settings; every handler
// it registers answers through runner.ts, so no request can take the server down.

import { TextDocuments, CodeLensRefreshRequest, DidChangeConfigurationNotification } from 'vscode-languageserver';
import type { Connection, InitializeParams, InitializeResult, RemoteConsole } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { version } from '../../package.json';
import { clientSupport, serverCapabilities, type ClientSupport } from './capabilities';
import { SettingsCache, settingsSection } from './settings';
import { DocumentContexts } from './documentContexts';
import { Conversations } from './conversations';
import { HistoryAttachments } from './historyAttachments';
import { WorkspaceTrustedNotification } from './protocol';
import { WorkspaceRoots } from './workspaceRoots';
import { useEncoderSource } from '../../core/tokens/tokenCounter';
import { workerEncoders } from './tokenizer/workerEncoders';
import { registerPullDiagnostics, registerPushDiagnostics, type Diagnostics } from './validation';
import { registerFeatures, offeredFeatures } from './features';
import { registerCommands } from './commands/registry';
import { readInitializationOptions } from './initializationOptions';
import { runSafeInBackground } from './runner';
import { displaySafe } from '../../core/text/displaySafe';
import { ModelLists } from './modelLists';
import { LocalModels } from './localModels';
import { registerTurnInputs } from './turnInputs';
import { TestFiles } from './testFiles';
import { isTestFilePath } from '../../core/testing/testPaths';

export const serverName = 'prompt-chain-language-server';

/** The server object: everything a handler needs, created once the client said what it supports. */
export interface PromptServer {
  readonly connection: Connection;
  readonly documents: TextDocuments<TextDocument>;
  readonly client: ClientSupport;
  readonly settings: SettingsCache;
  readonly contexts: DocumentContexts;
  readonly roots: WorkspaceRoots;
  readonly conversations: Conversations;
  readonly diagnostics: Diagnostics;
  /** The open `*.prompt-test.yaml` files: parsed, checked against their prompts. */
  readonly testFiles: TestFiles;
  /** The models each endpoint lists, cached (Select Model, completion of `model:`). */
  readonly modelLists: ModelLists;
  /** The in-process models (node-llama-cpp), loaded on the first local turn. */
  readonly localModels: LocalModels;
  /** A turn was stored or memory cleared: turn counts in hovers, code lenses and budgets changed. */
  storedTurnsChanged(): void;
}

export function startServer(connection: Connection): void {
  showLogLinesSafely(connection.console);
  // Token counts come from workers: loading a tokenizer's tables never holds up a request.
  useEncoderSource(workerEncoders({ bundleDir: __dirname }));
  const documents = new TextDocuments(TextDocument);
  let server: PromptServer | undefined;
  connection.onInitialize((params): InitializeResult => {
    server = createPromptServer(connection, documents, params);
    return { capabilities: serverCapabilities(server.client, offeredFeatures()), serverInfo: { name: serverName, version } };
  });
  connection.onInitialized(() => {
    const initialized = server;
    if (initialized) void runSafeInBackground(connection.console, 'finishing initialization', () => onInitialized(initialized));
  });
  documents.listen(connection);
  connection.listen();
}

function createPromptServer(connection: Connection, documents: TextDocuments<TextDocument>, params: InitializeParams): PromptServer {
  const log = connection.console;
  const client = clientSupport(params.capabilities);
  const options = readInitializationOptions(params.initializationOptions, (message) => log.warn(message));
  const roots = new WorkspaceRoots(params);
  const settings = new SettingsCache(connection, client.configuration, options.userEndpoint);
  const histories = new HistoryAttachments(process.env, options.workspaceTrusted, options.stateDir, (message) => log.warn(message));
  const conversations = new Conversations(roots, options.stateDir, histories, (message) => log.warn(message));
  const contexts = new DocumentContexts(documents, settings, conversations, log);
  const testFiles = new TestFiles(documents, settings);
  const host = { connection, documents, contexts, testFiles };
  const diagnostics = client.pullDiagnostics
    ? registerPullDiagnostics(host, client.diagnosticsRefresh)
    : registerPushDiagnostics(host, options.diagnosticsDelayMs);
  const server: PromptServer = {
    ...host,
    client,
    settings,
    roots,
    conversations,
    diagnostics,
    modelLists: new ModelLists((message) => log.warn(message)),
    localModels: new LocalModels(connection, client.workDoneProgress),
    storedTurnsChanged: () => {
      contexts.forgetStoredTurns();
      refreshViews(server, { tokens: false });
    },
  };
  wireLifecycle(server);
  registerFeatures(server);
  registerCommands(server);
  registerTurnInputs(server);
  return server;
}

function wireLifecycle(server: PromptServer): void {
  const { connection, documents, settings, contexts, conversations } = server;
  documents.onDidClose((event) => {
    contexts.forget(event.document.uri);
    server.testFiles.forget(event.document.uri);
    conversations.forget(event.document.uri);
    settings.forget(event.document.uri);
  });
  recheckTestFilesOnPromptEdits(server);
  connection.onDidChangeConfiguration((params) => {
    settings.onDidChange(params);
    refreshViews(server, { tokens: true });
  });
  connection.onNotification(WorkspaceTrustedNotification, () => {
    conversations.histories.trust();
    server.storedTurnsChanged();
  });
  // Connections to shared stores end with the server, not with the process being killed.
  connection.onShutdown(() => conversations.close());
}

async function onInitialized(server: PromptServer): Promise<void> {
  // Only after initialize: the library registers for folder changes once it has filled in the capabilities.
  if (server.client.workspaceFolders) server.connection.workspace.onDidChangeWorkspaceFolders((event) => server.roots.onDidChange(event));
  // VS Code only sends didChangeConfiguration to servers that registered for it.
  if (server.client.configurationChangeRegistration) {
    await server.connection.client.register(DidChangeConfigurationNotification.type, { section: settingsSection });
  }
}

/** How long a prompt's edits settle before the open test files are checked against it again. */
const testFileRefreshDelayMs = 300;

/** A prompt edited while test files are open (they may name it): their diagnostics are asked for again. */
function recheckTestFilesOnPromptEdits(server: PromptServer): void {
  let pending: NodeJS.Timeout | undefined;
  server.documents.onDidChangeContent((change) => {
    if (isTestFilePath(change.document.uri) || !server.documents.keys().some(isTestFilePath)) return;
    clearTimeout(pending);
    pending = setTimeout(() => server.diagnostics.refreshTestFiles(), testFileRefreshDelayMs);
  });
}

/** Asks the client to fetch again what may have changed, for each view it can refresh. */
function refreshViews(server: PromptServer, changed: { tokens: boolean }): void {
  const { connection, client } = server;
  server.diagnostics.refreshAll();
  const refresh = (what: string, request: () => Promise<unknown>) => void runSafeInBackground(connection.console, `asking the client to refresh ${what}`, request);
  if (client.codeLensRefresh) refresh('code lenses', () => connection.sendRequest(CodeLensRefreshRequest.type));
  if (changed.tokens && client.semanticTokensRefresh) refresh('semantic tokens', () => connection.languages.semanticTokens.refresh());
}

/**
 * Log lines quote file text, paths, settings and servers' errors, and may be read on a terminal (a server
 * started by hand with --stdio): every line, whoever logs it, is shown terminal-safe, like the CLI's output.
 */
function showLogLinesSafely(log: RemoteConsole): void {
  for (const level of ['error', 'warn', 'info', 'log', 'debug'] as const) {
    const send = log[level].bind(log);
    log[level] = (message: string) => send(displaySafe(message));
  }
}
