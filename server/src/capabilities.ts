// What the client can do (read once from initialize) and what the server offers in return. Every optional
// LSP message the server sends is guarded by one of these flags: a client that never announced a request
// must never receive it.

import {
  TextDocumentSyncKind,
  type ClientCapabilities,
  type SemanticTokensLegend,
  type ServerCapabilities,
} from 'vscode-languageserver';
import { Commands } from './protocol';

export interface ClientSupport {
  /** workspace/configuration: settings per resource. */
  configuration: boolean;
  /** The server may register for didChangeConfiguration (VS Code only sends it to servers that do). */
  configurationChangeRegistration: boolean;
  /** textDocument/diagnostic: the client pulls diagnostics; otherwise the server pushes them. */
  pullDiagnostics: boolean;
  diagnosticsRefresh: boolean;
  codeLensRefresh: boolean;
  semanticTokensRefresh: boolean;
  workspaceFolders: boolean;
  /** window/workDoneProgress/create: the server may show progress it starts itself (a model download). */
  workDoneProgress: boolean;
}

export function clientSupport(capabilities: ClientCapabilities | undefined): ClientSupport {
  const { workspace, textDocument, window } = capabilities ?? {};
  return {
    workDoneProgress: window?.workDoneProgress === true,
    configuration: workspace?.configuration === true,
    configurationChangeRegistration: workspace?.didChangeConfiguration?.dynamicRegistration === true,
    pullDiagnostics: textDocument?.diagnostic !== undefined,
    diagnosticsRefresh: workspace?.diagnostics?.refreshSupport === true,
    codeLensRefresh: workspace?.codeLens?.refreshSupport === true,
    semanticTokensRefresh: workspace?.semanticTokens?.refreshSupport === true,
    workspaceFolders: workspace?.workspaceFolders === true,
  };
}

export interface OfferedFeatures {
  semanticTokensLegend: SemanticTokensLegend;
  completionTriggerCharacters: string[];
}

export function serverCapabilities(support: ClientSupport, offered: OfferedFeatures): ServerCapabilities {
  return {
    textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
    completionProvider: { triggerCharacters: offered.completionTriggerCharacters, resolveProvider: false },
    hoverProvider: true,
    definitionProvider: true,
    referencesProvider: true,
    renameProvider: { prepareProvider: true },
    documentSymbolProvider: true,
    foldingRangeProvider: true,
    codeActionProvider: { codeActionKinds: ['quickfix'] },
    codeLensProvider: { resolveProvider: false },
    semanticTokensProvider: { legend: offered.semanticTokensLegend, full: true, range: false },
    executeCommandProvider: { commands: Object.values(Commands) },
    ...(support.pullDiagnostics && { diagnosticProvider: { interFileDependencies: false, workspaceDiagnostics: false } }),
    ...(support.workspaceFolders && { workspace: { workspaceFolders: { supported: true, changeNotifications: true } } }),
  };
}
