// Entry point of the VS Code extension: wires the language server, the commands, the chat panels and the
// status bar together. Each piece lives in its own module; this file only connects them.

import * as vscode from 'vscode';
import { apiKeySecret, setApiKey } from './apiKey';
import { installLocalRuntime } from './localRuntime';
import { clearConversationMemory, MemoryDocuments, memoryScheme, showConversationMemory, type MemoryCommandContext } from './memoryCommands';
import { newPromptFile } from './newPromptFile';
import { registerExportImport } from './exportImport';
import { chatPanelViewType } from './panel/chatPanel';
import { ChatPanels } from './panel/chatPanels';
import { previewFormattedPrompt, PreviewDocuments, previewScheme, type PreviewContext } from './preview';
import { requirePromptUri } from './promptTarget';
import { panelInputs, retryLastTurn, runChatTurn, runFailureAction, sendFromPanel, type TurnRunner } from './runTurn';
import { selectModel } from './selectModel';
import { PromptChainServer } from './server';
import { turnInputs } from './serverRequests';
import { ModelStatus } from './statusBar';
import { pickHistorySession, type HistorySessionContext } from './historySession';
import { compareInPanel, replayInPanel, saveAsTestFromPanel } from './sideBySide';
import { registerTestController } from './testing/testController';
import { addHistoryStore, historyStoresSetting, isHistoryPasswordKey, movePasswordsToSecrets } from './historyStoreSettings';

let server: PromptChainServer | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = vscode.window.createOutputChannel('Prompt Chain', { log: true });
  const promptServer = new PromptChainServer(context, log);
  server = promptServer;
  const documents = new MemoryDocuments(promptServer);
  // The panels run turns and clear memory; `runner` and `memory` are declared below and used only later.
  const panels = new ChatPanels(context.extensionUri, {
    send: (panel, request) => sendFromPanel(runner, panel, request),
    retry: (panel) => retryLastTurn(runner, panel),
    runAction: (panel, action) => runFailureAction(runner, panel, action),
    clearMemory: (uri) => clearConversationMemory(memory, uri),
    pickSession: (uri) => pickHistorySession(sessions, uri),
    fetchMemory: (uri) => promptServer.showMemory(uri),
    fetchInputs: (uri) => panelInputs(runner, uri),
    compareModels: (panel, input, variables) => compareInPanel(runner, panel, input, variables),
    replay: (panel, variables) => replayInPanel(runner, panel, variables),
    saveAsTest: (panel, variables) => saveAsTestFromPanel(runner, panel, variables),
  });
  const memory: MemoryCommandContext = { server: promptServer, panels, documents };
  const runner: TurnRunner = {
    server: promptServer,
    panels,
    remembered: context.workspaceState,
    busyFiles: new Set(),
    onDidRunTurn: (uri) => documents.refresh(uri),
  };
  const status = new ModelStatus({
    turnInputs: (uri) => turnInputs(promptServer, uri),
    activePanelUri: () => panels.activeUri(),
    onDidChangeActivePanel: panels.onDidChangeActive,
  });
  const sessions: HistorySessionContext = {
    server: promptServer,
    onDidAttach: async (uri) => {
      documents.refresh(uri);
      status.update();
      await panels.get(uri)?.reloadConversation();
    },
  };
  // The server is stopped by deactivate, whose promise VS Code awaits, not among the subscriptions.
  context.subscriptions.push(
    log,
    panels,
    documents,
    status,
    vscode.workspace.registerTextDocumentContentProvider(memoryScheme, documents),
    vscode.window.registerWebviewPanelSerializer(chatPanelViewType, panels),
    ...registerCommands(context, runner, memory, sessions),
    ...registerPreviewAndFirstRun(context, promptServer),
    ...registerExportImport(promptServer),
    ...registerTestController(promptServer),
    ...restartTriggers(context, promptServer, log),
  );
  // Resolving once the server is up lets callers (and the e2e tests) await a ready extension; a failed start
  // is logged and retried by the next command instead of failing activation.
  // Passwords leave the settings before the server is first started with the stores.
  await movePasswordsToSecrets(context.secrets, log).catch((error: unknown) => log.error('Could not move history store passwords to the keychain:', error));
  await promptServer.start().catch((error: unknown) => log.error('The language server did not start:', error));
}

/** Shuts the language server down (shutdown, exit) before the extension host goes away. */
export async function deactivate(): Promise<void> {
  await server?.stop();
  server = undefined;
}

function registerCommands(context: vscode.ExtensionContext, runner: TurnRunner, memory: MemoryCommandContext, sessions: HistorySessionContext): vscode.Disposable[] {
  const commands: Record<string, (target?: unknown, argument?: unknown) => unknown> = {
    'promptChain.runChatTurn': (target, input) => runChatTurn(runner, target, input),
    'promptChain.openChatPanel': (target) => openChatPanel(runner, target),
    'promptChain.clearConversationMemory': (target, options) => clearConversationMemory(memory, target, options),
    'promptChain.showConversationMemory': (target) => showConversationMemory(target),
    'promptChain.setApiKey': () => setApiKey(context.secrets),
    'promptChain.selectModel': (target) => selectModel(runner.server, target),
    'promptChain.addHistoryStore': () => addHistoryStore(context.secrets),
    'promptChain.pickHistorySession': (target) => pickHistorySession(sessions, target),
    'promptChain.installLocalRuntime': () => installLocalRuntime(),
  };
  return Object.entries(commands).map(([id, run]) => vscode.commands.registerCommand(id, run));
}

/** Preview Formatted Prompt with its read-only documents, and New Prompt File. */
function registerPreviewAndFirstRun(context: vscode.ExtensionContext, promptServer: PromptChainServer): vscode.Disposable[] {
  const preview: PreviewContext = { server: promptServer, documents: new PreviewDocuments(), remembered: context.workspaceState };
  return [
    preview.documents,
    vscode.workspace.registerTextDocumentContentProvider(previewScheme, preview.documents),
    vscode.commands.registerCommand('promptChain.previewFormattedPrompt', (target?: unknown) => previewFormattedPrompt(preview, target)),
    vscode.commands.registerCommand('promptChain.newPromptFile', () => newPromptFile(context.extensionUri)),
  ];
}

function openChatPanel(runner: TurnRunner, target: unknown): void {
  const uri = requirePromptUri(target, 'open its chat panel');
  if (uri) runner.panels.show(uri, false);
}

/**
 * The server reads the key from its environment, once, when it starts. The endpoint needs no restart: the
 * server asks for its settings again after every change (workspace/configuration, filtered by the client), and
 * restarting on a configuration change would race the client's own didChangeConfiguration (trusting a folder
 * whose settings name `promptChain.baseUrl` then failed with "Starting server failed").
 */
function restartTriggers(context: vscode.ExtensionContext, promptServer: PromptChainServer, log: vscode.LogOutputChannel): vscode.Disposable[] {
  return [
    context.secrets.onDidChange((event) => {
      if (event.key === apiKeySecret) void promptServer.restart('the API key changed');
      else if (isHistoryPasswordKey(event.key)) void promptServer.historyStoresChanged();
    }),
    // The stores' URLs go only into the server's environment; a user setting naming a password is moved first.
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration(historyStoresSetting)) return;
      void movePasswordsToSecrets(context.secrets, log)
        .then(() => promptServer.historyStoresChanged())
        .catch((error: unknown) => log.error('Could not update the shared history stores:', error));
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void promptServer.workspaceTrusted()),
  ];
}
