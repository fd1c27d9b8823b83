// One chat panel: the webview of one `.prompt` file. It holds the authoritative PanelState, applies each
// event to it and forwards the event to the webview, which applies the same reducer; a webview that
// (re)loads asks for the whole state. What the webview posts is checked before it is acted on.

import * as vscode from 'vscode';
import type { ShowMemoryResult } from '../../../server/src/protocol';
import { errorMessage } from '../errorMessage';
import { fileNameOf } from '../promptTarget';
import { createNonce, panelHtml, panelResourceFolders, panelScriptPath, panelStylePath } from './html';
import { isWebviewToHost, type HostToWebview, type PanelEvent, type PanelState } from './messages';
import { emptyPanelState, reducePanel } from './session';

export const chatPanelViewType = 'promptChain.chatPanel';

/** What a panel asks of the rest of the extension. */
export interface ChatPanelActions {
  send(uri: vscode.Uri, input: string): Promise<void>;
  clearMemory(uri: vscode.Uri): Promise<void>;
  fetchMemory(uri: vscode.Uri): Promise<ShowMemoryResult>;
}

export class ChatPanel implements vscode.Disposable {
  private state: PanelState;
  private stopTurn: (() => void) | undefined;
  private disposed = false;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposeEmitter.event;

  constructor(
    private readonly webviewPanel: vscode.WebviewPanel,
    readonly uri: vscode.Uri,
    extensionUri: vscode.Uri,
    private readonly actions: ChatPanelActions,
    restored?: PanelState,
  ) {
    this.state = restored ?? emptyPanelState(uri.toString(), fileNameOf(uri));
    webviewPanel.title = `Chat · ${fileNameOf(uri)}`;
    webviewPanel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
    webviewPanel.webview.options = webviewOptions(extensionUri);
    webviewPanel.webview.onDidReceiveMessage((message: unknown) => this.onMessage(message), undefined, this.disposables);
    webviewPanel.onDidDispose(() => this.dispose(), undefined, this.disposables);
    webviewPanel.webview.html = pageFor(webviewPanel.webview, extensionUri);
  }

  apply(event: PanelEvent): void {
    this.state = reducePanel(this.state, event);
    this.post(event);
  }

  /**
   * Lets the panel's Stop button cancel the running turn until the returned disposable is disposed; disposing
   * it leaves a later turn's handler in place.
   */
  onStop(stop: () => void): vscode.Disposable {
    this.stopTurn = stop;
    return new vscode.Disposable(() => {
      if (this.stopTurn === stop) this.stopTurn = undefined;
    });
  }

  async refreshMemory(): Promise<void> {
    try {
      this.apply({ type: 'memory', memory: await this.actions.fetchMemory(this.uri) });
    } catch (error) {
      this.apply({ type: 'memoryFailed', message: errorMessage(error) });
    }
  }

  reveal(preserveFocus: boolean): void {
    this.webviewPanel.reveal(undefined, preserveFocus);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disposeEmitter.fire();
    this.disposeEmitter.dispose();
    this.webviewPanel.dispose();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }

  private onMessage(message: unknown): void {
    if (!isWebviewToHost(message)) return;
    switch (message.type) {
      case 'ready':
        this.post({ type: 'snapshot', state: this.state });
        void this.refreshMemory();
        return;
      case 'send':
        this.actions.send(this.uri, message.input).catch((error: unknown) => {
          void vscode.window.showErrorMessage(errorMessage(error));
        });
        return;
      case 'stop':
        this.stopTurn?.();
        return;
      case 'clearMemory':
        void this.actions.clearMemory(this.uri);
        return;
    }
  }

  private post(message: HostToWebview): void {
    // A hidden webview drops messages; it asks for a snapshot when it shows again.
    if (!this.disposed) void this.webviewPanel.webview.postMessage(message);
  }
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableForms: false,
    localResourceRoots: panelResourceFolders.map((folder) => vscode.Uri.joinPath(extensionUri, ...folder)),
  };
}

function pageFor(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  return panelHtml({
    cspSource: webview.cspSource,
    nonce: createNonce(),
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...panelScriptPath)).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...panelStylePath)).toString(),
  });
}
