// One chat panel: the webview of one `.prompt` file. It holds the authoritative PanelState, applies each
// event to it and forwards the event to the webview, which applies the same reducer; a webview that
// (re)loads asks for the whole state. What the webview posts is checked before it is acted on.

import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { ShowMemoryResult } from '../../../server/src/protocol';
import { errorMessage } from '../errorMessage';
import type { FailureAction, FailureActionId } from '../failureActions';
import { fileNameOf } from '../promptTarget';
import { createNonce, panelHtml, panelResourceFolders, panelScriptPath, panelStylePath } from './html';
import { isOpenableLink } from './links';
import { isWebviewToHost, type HostToWebview, type InputsView, type Notice, type PanelEvent, type PanelState, type WebviewToHost } from './messages';
import { emptyPanelState, reducePanel } from './session';

export const chatPanelViewType = 'promptChain.chatPanel';

export type PanelSend = Extract<WebviewToHost, { type: 'send' }>;

/** What a panel asks of the rest of the extension. */
export interface ChatPanelActions {
  send(panel: ChatPanel, request: PanelSend): Promise<void>;
  retry(panel: ChatPanel): Promise<void>;
  runAction(panel: ChatPanel, action: FailureAction): Promise<void>;
  clearMemory(uri: vscode.Uri): Promise<void>;
  /** Session…: the user picks the file's conversation (a shared history's session, or the local one). */
  pickSession(uri: vscode.Uri): Promise<void>;
  fetchMemory(uri: vscode.Uri): Promise<ShowMemoryResult>;
  /** What the next turn needs; undefined when the server cannot say. */
  fetchInputs(uri: vscode.Uri): Promise<InputsView | undefined>;
  /** Compare models…: `input` on the models the user picks, memory untouched. */
  compareModels(panel: ChatPanel, input: string, variables: Record<string, string>): Promise<void>;
  /** Replay conversation with…: the stored turns again on the model the user picks. */
  replay(panel: ChatPanel, variables: Record<string, string>): Promise<void>;
  /** Save as test: the stored conversation into the prompt's test file. */
  saveAsTest(panel: ChatPanel, variables: Record<string, string>): Promise<void>;
}

export class ChatPanel implements vscode.Disposable {
  private panelState: PanelState;
  private stopTurn: (() => void) | undefined;
  private history: Promise<void> | undefined;
  private inputsRefresh: Promise<void> | undefined;
  private inputsStale = false;
  private focusWhenReady: { draft?: string } | undefined;
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
    this.panelState = restored ?? emptyPanelState(uri.toString(), fileNameOf(uri));
    webviewPanel.title = `Chat · ${fileNameOf(uri)}`;
    webviewPanel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
    webviewPanel.webview.options = webviewOptions(extensionUri);
    webviewPanel.webview.onDidReceiveMessage((message: unknown) => this.onMessage(message), undefined, this.disposables);
    webviewPanel.onDidDispose(() => this.dispose(), undefined, this.disposables);
    // The server re-validates after every edit: new diagnostics mean the file's inputs may have changed too.
    vscode.languages.onDidChangeDiagnostics((event) => {
      if (event.uris.some((changed) => changed.toString() === uri.toString())) void this.refreshInputs();
    }, undefined, this.disposables);
    webviewPanel.webview.html = pageFor(webviewPanel.webview, extensionUri);
  }

  get state(): PanelState {
    return this.panelState;
  }

  get visible(): boolean {
    return !this.disposed && this.webviewPanel.visible;
  }

  apply(event: PanelEvent): void {
    this.panelState = reducePanel(this.panelState, event);
    this.post(event);
  }

  say(notice: Notice | undefined): void {
    this.apply({ type: 'notice', notice });
  }

  markCleared(count: number): void {
    this.apply({ type: 'cleared', id: randomUUID(), count });
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

  /** Resolves once the turns stored before this panel opened are in its transcript (turns wait for it). */
  whenHistoryLoaded(): Promise<void> {
    if (this.panelState.historyLoaded) return Promise.resolve();
    this.history ??= this.refreshMemory();
    return this.history;
  }

  async refreshMemory(): Promise<void> {
    try {
      this.apply({ type: 'memory', memory: await this.actions.fetchMemory(this.uri) });
    } catch (error) {
      this.apply({ type: 'memoryFailed', message: errorMessage(error) });
    }
  }

  /** The file's memory is another conversation now: the transcript shows its stored turns instead. */
  async reloadConversation(): Promise<void> {
    try {
      this.apply({ type: 'conversationChanged', memory: await this.actions.fetchMemory(this.uri) });
    } catch (error) {
      this.apply({ type: 'memoryFailed', message: errorMessage(error) });
    }
    await this.refreshInputs();
  }

  /** One request at a time; a change meanwhile asks again once it is answered. */
  refreshInputs(): Promise<void> {
    if (this.inputsRefresh) {
      this.inputsStale = true;
      return this.inputsRefresh;
    }
    this.inputsRefresh = this.fetchInputs().finally(() => {
      this.inputsRefresh = undefined;
      if (this.inputsStale) {
        this.inputsStale = false;
        void this.refreshInputs();
      }
    });
    return this.inputsRefresh;
  }

  reveal(preserveFocus: boolean): void {
    this.webviewPanel.reveal(undefined, preserveFocus);
  }

  /** Brings the user to the input box (▶, the code lens, the palette), once the page listens. */
  focusInput(draft?: string): void {
    this.reveal(false);
    this.focusWhenReady = { draft };
    this.post({ type: 'focusInput', draft });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disposeEmitter.fire();
    this.disposeEmitter.dispose();
    this.webviewPanel.dispose();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }

  private async fetchInputs(): Promise<void> {
    const inputs = await this.actions.fetchInputs(this.uri).catch(() => undefined);
    if (inputs) this.apply({ type: 'inputs', inputs });
  }

  private onMessage(message: unknown): void {
    if (!isWebviewToHost(message)) return;
    switch (message.type) {
      case 'ready':
        return this.onReady();
      case 'send':
        return this.run(() => this.actions.send(this, message));
      case 'retry':
        return this.run(() => this.actions.retry(this));
      case 'stop':
        return this.stopTurn?.();
      case 'clearMemory':
        return this.run(() => this.actions.clearMemory(this.uri));
      case 'pickSession':
        return this.run(() => this.actions.pickSession(this.uri));
      case 'action':
        return this.requestAction(message.action);
      case 'openLink':
        if (isOpenableLink(message.href)) void vscode.env.openExternal(vscode.Uri.parse(message.href, true));
        return;
      case 'copy':
        void vscode.env.clipboard.writeText(message.text);
        return;
      case 'compareModels':
        return this.run(() => this.actions.compareModels(this, message.input, message.variables));
      case 'replay':
        return this.run(() => this.actions.replay(this, message.variables));
      case 'saveAsTest':
        return this.run(() => this.actions.saveAsTest(this, message.variables));
    }
  }

  private onReady(): void {
    this.post({ type: 'snapshot', state: this.panelState });
    if (this.focusWhenReady) this.post({ type: 'focusInput', ...this.focusWhenReady });
    this.focusWhenReady = undefined;
    void this.whenHistoryLoaded().then(() => this.refreshMemory());
    void this.refreshInputs();
  }

  /** Only an action the panel is offering right now is carried out (from its buttons, or a notification's). */
  requestAction(id: FailureActionId): void {
    const action = offeredActions(this.panelState).find((offered) => offered.id === id);
    if (action) this.run(() => this.actions.runAction(this, action));
  }

  private run(task: () => Promise<void>): void {
    task().catch((error: unknown) => this.say({ message: errorMessage(error), actions: [] }));
  }

  private post(message: HostToWebview): void {
    // A hidden webview drops messages; it asks for a snapshot when it shows again.
    if (!this.disposed) void this.webviewPanel.webview.postMessage(message);
  }
}

/** The notice's actions and those of the last turn's failure: the only buttons on screen. */
function offeredActions(state: PanelState): FailureAction[] {
  const last = state.entries.at(-1);
  const turnActions = last?.kind === 'turn' ? (last.actions ?? []) : [];
  return [...(state.notice?.actions ?? []), ...turnActions];
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
