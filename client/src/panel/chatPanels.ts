// The open chat panels, one per `.prompt` file, and their restoration after a window reload: VS Code hands
// back the state the webview saved (setState), from which the panel is rebuilt for the same file.

import * as vscode from 'vscode';
import { ChatPanel, webviewOptions, chatPanelViewType, type ChatPanelActions } from './chatPanel';
import type { PanelState } from './messages';
import { restorePanelState } from './session';

export class ChatPanels implements vscode.WebviewPanelSerializer, vscode.Disposable {
  private readonly panels = new Map<string, ChatPanel>();

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
  }

  private adopt(webviewPanel: vscode.WebviewPanel, uri: vscode.Uri, restored?: PanelState): ChatPanel {
    const panel = new ChatPanel(webviewPanel, uri, this.extensionUri, this.actions, restored);
    const key = uri.toString();
    this.panels.set(key, panel);
    panel.onDidDispose(() => {
      if (this.panels.get(key) === panel) this.panels.delete(key);
    });
    return panel;
  }
}
