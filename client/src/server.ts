// The running language server as the rest of the client sees it: started on first need, restarted when the
// API key or the shared-history stores change (the server reads both from its environment, once, when it
// starts), and the custom commands of server/src/protocol.ts as typed calls. Streamed turn progress is
// routed by turnId.

import * as vscode from 'vscode';
import { ExecuteCommandRequest, type LanguageClient } from 'vscode-languageclient/node';
import {
  Commands,
  TurnProgressNotification,
  ComparisonProgressNotification,
  type ComparisonProgress,
  type CompareModelsParams,
  type ReplayConversationParams,
  type SaveAsTestParams,
  type SaveAsTestResult,
  type RunTurnParams,
  type RunTurnResult,
  type ShowMemoryResult,
  type TurnProgress,
  type HistoryAttachment,
  type ListHistorySessionsResult,
  WorkspaceTrustedNotification,
} from '../../server/src/protocol';
import type { ModelReply } from '../../core/testing/compareModels';
import type { ReplayResult } from '../../core/testing/replayConversation';
import { readApiKey } from './apiKey';
import { createLanguageClient, stateDir, type ServerSecrets } from './languageClient';
import { historyStoresForServer } from './historyStoreSettings';

export class PromptChainServer {
  /** The client being started or running; every start and restart goes through it, so only one server runs. */
  private starting: Promise<LanguageClient> | undefined;
  private readonly progressListeners = new Map<string, (progress: TurnProgress) => void>();
  private readonly comparisonListeners = new Map<string, (progress: ComparisonProgress) => void>();
  /** The stores the running server was started with: a restart is needed only when they differ. */
  private launchedStores: string | undefined;
  /** The last check of the stores (historyStoresChanged); never rejects. */
  private storesCheck: Promise<void> = Promise.resolve();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /**
   * The started client; starts it on first call. A failed start is retried by the next call. A check of
   * changed stores (historyStoresChanged) is waited for first, so a command sent right after the user added
   * a store reaches a server that has it.
   */
  async start(): Promise<LanguageClient> {
    await this.storesCheck;
    this.starting ??= this.track(this.launch());
    return this.starting;
  }

  /** Never rejects: a failed restart is logged, and the next command tries to start the server again. */
  async restart(reason: string): Promise<void> {
    this.log.info(`Restarting the language server: ${reason}`);
    // Commands arriving meanwhile wait for the new server instead of launching one beside the stopping one.
    this.starting = this.track(this.stop().then(() => this.launch()));
    await this.starting.catch((error: unknown) => this.log.error('The language server did not restart:', error));
  }

  /** Stops the server (the extension's deactivate awaits it); the next command starts a new one. */
  async stop(): Promise<void> {
    const starting = this.starting;
    this.starting = undefined;
    const client = await starting?.catch(() => undefined);
    if (client?.isRunning()) await client.stop();
  }

  /** Listens to the progress of one turn until the returned disposable is disposed. */
  onTurnProgress(turnId: string, listener: (progress: TurnProgress) => void): vscode.Disposable {
    this.progressListeners.set(turnId, listener);
    return new vscode.Disposable(() => this.progressListeners.delete(turnId));
  }

  /** Listens to the results of one comparison or replay until the returned disposable is disposed. */
  onComparisonProgress(runId: string, listener: (progress: ComparisonProgress) => void): vscode.Disposable {
    this.comparisonListeners.set(runId, listener);
    return new vscode.Disposable(() => this.comparisonListeners.delete(runId));
  }

  compareModels(params: CompareModelsParams, token: vscode.CancellationToken): Promise<ModelReply[]> {
    return this.execute<ModelReply[]>(Commands.compareModels, params, token);
  }

  replayConversation(params: ReplayConversationParams, token: vscode.CancellationToken): Promise<ReplayResult> {
    return this.execute<ReplayResult>(Commands.replayConversation, params, token);
  }

  saveAsTest(params: SaveAsTestParams): Promise<SaveAsTestResult> {
    return this.execute<SaveAsTestResult>(Commands.saveAsTest, params);
  }

  runTurn(params: RunTurnParams, token: vscode.CancellationToken): Promise<RunTurnResult> {
    return this.execute<RunTurnResult>(Commands.runTurn, params, token);
  }

  clearMemory(uri: vscode.Uri): Promise<{ cleared: number }> {
    return this.execute<{ cleared: number }>(Commands.clearMemory, { uri: uri.toString() });
  }

  showMemory(uri: vscode.Uri): Promise<ShowMemoryResult> {
    return this.execute<ShowMemoryResult>(Commands.showMemory, { uri: uri.toString() });
  }

  listHistorySessions(uri: vscode.Uri, store?: string): Promise<ListHistorySessionsResult> {
    return this.execute<ListHistorySessionsResult>(Commands.listHistorySessions, { uri: uri.toString(), ...(store !== undefined && { store }) });
  }

  attachHistorySession(uri: vscode.Uri, store: string | null, sessionId: string | null): Promise<HistoryAttachment | null> {
    return this.execute<HistoryAttachment | null>(Commands.attachHistorySession, { uri: uri.toString(), store, sessionId });
  }

  /** The stores' URLs or passwords may have changed: restarts the server when what it would get differs. */
  historyStoresChanged(): Promise<void> {
    const check = this.storesCheck.then(async () => {
      if ((await historyStoresForServer(this.context.secrets)) !== this.launchedStores) await this.restart('the shared history stores changed');
    });
    this.storesCheck = check.catch((error: unknown) => this.log.error('Could not check the shared history stores:', error));
    return this.storesCheck;
  }

  /** The user trusted the workspace: a running server may attach shared histories from now on. */
  async workspaceTrusted(): Promise<void> {
    const client = await this.starting?.catch(() => undefined);
    if (client?.isRunning()) await client.sendNotification(WorkspaceTrustedNotification);
  }

  private async execute<T>(command: string, argument: object, token?: vscode.CancellationToken): Promise<T> {
    const client = await this.start();
    return (await client.sendRequest(ExecuteCommandRequest.type, { command, arguments: [argument] }, token)) as T;
  }

  /** Forgets a start that failed, so that the next command tries again, unless a restart has replaced it. */
  private track(launching: Promise<LanguageClient>): Promise<LanguageClient> {
    const tracked: Promise<LanguageClient> = launching.catch((error: unknown) => {
      if (this.starting === tracked) this.starting = undefined;
      throw error;
    });
    return tracked;
  }

  private async launch(): Promise<LanguageClient> {
    await vscode.workspace.fs.createDirectory(vscode.Uri.file(stateDir(this.context)));
    const secrets: ServerSecrets = { apiKey: await readApiKey(this.context.secrets), historyStores: await historyStoresForServer(this.context.secrets) };
    this.launchedStores = secrets.historyStores;
    const client = createLanguageClient(this.context, this.log, secrets);
    client.onNotification(TurnProgressNotification, (progress: TurnProgress) => {
      this.progressListeners.get(progress.turnId)?.(progress);
    });
    client.onNotification(ComparisonProgressNotification, (progress: ComparisonProgress) => {
      this.comparisonListeners.get(progress.runId)?.(progress);
    });
    try {
      await client.start();
    } catch (error) {
      // A client whose initialize failed leaves its server process running; dispose() ends it (and rejects,
      // as the client never ran: that is no news).
      await client.dispose().catch(() => undefined);
      throw error;
    }
    return client;
  }
}
