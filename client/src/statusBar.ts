// The status bar item "Prompt Chain: gpt-4o-mini · localhost:11434" for the `.prompt` file the user works on:
// the focused `.prompt` editor, or the file of the focused chat panel. The model and the endpoint come from the
// server's turnInputs, the same answer a turn is run by, so the item cannot name one endpoint while turns go
// to another. It asks again when the file, its editor or panel, or a promptChain setting changes. Click: Select
// Model for that file.

import * as vscode from 'vscode';
import { errorMessage } from './errorMessage';
import { historyStatusText, modelStatusText, unknownStatusText, type StatusText } from './modelStatusText';
import { fileNameOf, promptLanguageId } from './promptTarget';
import type { TurnInputsResult } from '../../server/src/protocol';

/** What the item needs from the rest of the extension. */
export interface ModelStatusSources {
  /** The server's turnInputs for a file. */
  turnInputs(uri: vscode.Uri): Promise<Pick<TurnInputsResult, 'model' | 'endpoint' | 'history' | 'historyProblem'>>;
  /** The file of the focused chat panel, if one has focus, and when that changes. */
  activePanelUri(): vscode.Uri | undefined;
  onDidChangeActivePanel: vscode.Event<unknown>;
}

/**
 * Typing, settings and visible-editor changes ask again this long after the last one: the server has the new
 * text or settings by then (its didChange / didChangeConfiguration go out first), and typing asks once a pause.
 */
const settleMs = 300;

export class ModelStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('promptChain.model', vscode.StatusBarAlignment.Right, 100);
  /** `team · 8f3c…`: the shared history session the same answer names; hidden for the local conversation. */
  private readonly historyItem = vscode.window.createStatusBarItem('promptChain.history', vscode.StatusBarAlignment.Right, 99);
  private readonly subscriptions: vscode.Disposable[];
  private pendingUpdate: ReturnType<typeof setTimeout> | undefined;
  /** Counts the questions asked: an answer to an older one (another file, older text) is dropped. */
  private asked = 0;
  private shown: string | undefined;

  constructor(private readonly sources: ModelStatusSources) {
    this.item.name = 'Prompt Chain Model';
    this.historyItem.name = 'Prompt Chain Shared History';
    this.subscriptions = [
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      sources.onDidChangeActivePanel(() => this.update()),
      vscode.window.onDidChangeVisibleTextEditors(() => this.updateSoon()),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.document.uri.toString() === this.shown) this.updateSoon();
      }),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('promptChain')) this.updateSoon();
      }),
    ];
    this.update();
  }

  update(): void {
    clearTimeout(this.pendingUpdate);
    const asked = ++this.asked;
    const uri = this.fileInFocus();
    if (!uri) {
      this.shown = undefined;
      this.item.hide();
      this.historyItem.hide();
      return;
    }
    if (uri.toString() !== this.shown) {
      // never another file's model or session, even for a moment
      this.item.hide();
      this.historyItem.hide();
    }
    this.shown = uri.toString();
    void this.textFor(uri).then((status) => {
      if (asked === this.asked) this.show(uri, status);
    });
  }

  dispose(): void {
    clearTimeout(this.pendingUpdate);
    this.asked++;
    for (const subscription of this.subscriptions) subscription.dispose();
    this.item.dispose();
    this.historyItem.dispose();
  }

  private updateSoon(): void {
    clearTimeout(this.pendingUpdate);
    this.pendingUpdate = setTimeout(() => this.update(), settleMs);
  }

  private async textFor(uri: vscode.Uri): Promise<{ model: StatusText; history?: StatusText }> {
    try {
      const facts = await this.sources.turnInputs(uri);
      return { model: modelStatusText(fileNameOf(uri), facts), history: historyStatusText(fileNameOf(uri), facts) };
    } catch (error) {
      return { model: unknownStatusText(fileNameOf(uri), errorMessage(error)) };
    }
  }

  private show(uri: vscode.Uri, status: { model: StatusText; history?: StatusText }): void {
    this.item.text = status.model.text;
    this.item.tooltip = status.model.tooltip;
    this.item.command = { command: 'promptChain.selectModel', title: 'Select Model', arguments: [uri] };
    this.item.show();
    if (!status.history) return this.historyItem.hide();
    this.historyItem.text = status.history.text;
    this.historyItem.tooltip = status.history.tooltip;
    this.historyItem.command = { command: 'promptChain.pickHistorySession', title: 'Pick Shared History Session', arguments: [uri] };
    this.historyItem.show();
  }

  /**
   * The focused chat panel's file; else the active editor's, when it is a `.prompt`; else — while something
   * other than a text editor has focus — a visible `.prompt` editor's.
   */
  private fileInFocus(): vscode.Uri | undefined {
    const panel = this.sources.activePanelUri();
    if (panel) return panel;
    const active = vscode.window.activeTextEditor;
    if (active) return active.document.languageId === promptLanguageId ? active.document.uri : undefined;
    return vscode.window.visibleTextEditors.find((editor) => editor.document.languageId === promptLanguageId)?.document.uri;
  }
}
