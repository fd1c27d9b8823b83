// The open chat panels, one per `.prompt` file, and their restoration after a window reload: VS Code hands
// back the state the webview saved (setState), from which the panel is rebuilt for the same file.

import * as vscode from 'vscode';
import { ChatPanel, webviewOptions, chatPanelViewType, type ChatPanelActions } from './chatPanel';
import type { PanelState } from './messages';
import { restorePanelState } from './session';

export class ChatPanels implements vscode.WebviewPanelSerializer, vscode.Disposable {
  private readonly panels = new Map<string, ChatPanel>();
  private active: vscode.Uri | undefined;
  private readonly activeChanges = new vscode.EventEmitter<vscode.Uri | undefined>();
  /** Fires with the file of the chat panel that now has focus, or undefined when none has (the status bar follows it). */
  readonly onDidChangeActive = this.activeChanges.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly actions: ChatPanelActions,
  ) {}

  /** The file's panel, created beside the editor when there is none. */
  show(uri: vscode.Uri, preserveFocus: boolean): ChatPanel {
    const existing = this.get(uri);
    if (existing) {
      existing.reveal(preserveFocus);
      return existing;
    }
    const webviewPanel = vscode.window.createWebviewPanel(
      chatPanelViewType,
      'Chat',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus },
      webviewOptions(this.extensionUri),
    );
    return this.adopt(webviewPanel, uri);
  }

  /** The file's panel as it is (a hidden one stays hidden), or a new one beside the editor. */
  existingOrNew(uri: vscode.Uri): ChatPanel {
    return this.get(uri) ?? this.show(uri, true);
  }

  get(uri: vscode.Uri): ChatPanel | undefined {
    return this.panels.get(uri.toString());
  }

  /** The file of the chat panel that has focus, if one has. */
  activeUri(): vscode.Uri | undefined {
    return this.active;
  }

  deserializeWebviewPanel(webviewPanel: vscode.WebviewPanel, saved: unknown): Promise<void> {
    const state = restorePanelState(saved);
    if (!state || this.panels.has(state.uri)) {
      webviewPanel.dispose();
      return Promise.resolve();
    }
    this.adopt(webviewPanel, vscode.Uri.parse(state.uri), state);
    return Promise.resolve();
  }

  dispose(): void {
    for (const panel of [...this.panels.values()]) panel.dispose();
    this.activeChanges.dispose();
  }

  private adopt(webviewPanel: vscode.WebviewPanel, uri: vscode.Uri, restored?: PanelState): ChatPanel {
    const panel = new ChatPanel(webviewPanel, uri, this.extensionUri, this.actions, restored);
    const key = uri.toString();
    this.panels.set(key, panel);
    const viewState = webviewPanel.onDidChangeViewState(() => this.setActive(uri, webviewPanel.active));
    panel.onDidDispose(() => {
      viewState.dispose();
      this.setActive(uri, false);
      if (this.panels.get(key) === panel) this.panels.delete(key);
    });
    this.setActive(uri, webviewPanel.active);
    return panel;
  }

  /** One panel losing focus after another gained it leaves the other one active. */
  private setActive(uri: vscode.Uri, active: boolean): void {
    const next = active ? uri : this.active?.toString() === uri.toString() ? undefined : this.active;
    if (next?.toString() === this.active?.toString()) return;
    this.active = next;
    this.activeChanges.fire(next);
  }
}
