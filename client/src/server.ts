// The running language server as the rest of the client sees it: started on first need, restarted when the
// API key changes (the server reads it from its environment, once, when it starts), and the three custom
// commands of server/src/protocol.ts as typed calls. Streamed turn progress is routed by turnId.

import * as vscode from 'vscode';
import { ExecuteCommandRequest, type LanguageClient } from 'vscode-languageclient/node';
import {
  Commands,
  TurnProgressNotification,
  type RunTurnParams,
  type RunTurnResult,
  type ShowMemoryResult,
  type TurnProgress,
} from '../../server/src/protocol';
import { readApiKey } from './apiKey';
import { createLanguageClient, stateDir } from './languageClient';

export class PromptChainServer implements vscode.Disposable {
  private starting: Promise<LanguageClient> | undefined;
  private readonly progressListeners = new Map<string, (progress: TurnProgress) => void>();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** The started client; starts it on first call. A failed start is retried by the next call. */
  start(): Promise<LanguageClient> {
    this.starting ??= this.launch().catch((error: unknown) => {
      this.starting = undefined;
      throw error;
    });
    return this.starting;
  }

  /** Never rejects: a failed restart is logged, and the next command tries to start the server again. */
  async restart(reason: string): Promise<void> {
    this.log.info(`Restarting the language server: ${reason}`);
    try {
      await this.stop();
      await this.start();
    } catch (error) {
      this.log.error('The language server did not restart:', error);
    }
  }

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

  runTurn(params: RunTurnParams, token: vscode.CancellationToken): Promise<RunTurnResult> {
    return this.execute<RunTurnResult>(Commands.runTurn, params, token);
  }

  clearMemory(uri: vscode.Uri): Promise<{ cleared: number }> {
    return this.execute<{ cleared: number }>(Commands.clearMemory, { uri: uri.toString() });
  }

  showMemory(uri: vscode.Uri): Promise<ShowMemoryResult> {
    return this.execute<ShowMemoryResult>(Commands.showMemory, { uri: uri.toString() });
  }

  dispose(): void {
    void this.stop();
  }

  private async execute<T>(command: string, argument: object, token?: vscode.CancellationToken): Promise<T> {
    const client = await this.start();
    return (await client.sendRequest(ExecuteCommandRequest.type, { command, arguments: [argument] }, token)) as T;
  }

  private async launch(): Promise<LanguageClient> {
    const client = createLanguageClient(this.context, this.log, await readApiKey(this.context.secrets));
    client.onNotification(TurnProgressNotification, (progress: TurnProgress) => {
      this.progressListeners.get(progress.turnId)?.(progress);
    });
    await vscode.workspace.fs.createDirectory(vscode.Uri.file(stateDir(this.context)));
    await client.start();
    return client;
  }
}

