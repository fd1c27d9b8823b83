// The status bar item for `.prompt` editors: `$(hubot) model · endpoint host`. Clicking it runs Select Model.

import * as vscode from 'vscode';
import { displayEndpoint, effectiveBaseUrl, endpointHost, userLevelBaseUrl } from './endpoint';
import { promptModel } from './promptFacts';
import { promptDefaults, promptLanguageId } from './promptTarget';

export class ModelStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('promptChain.model', vscode.StatusBarAlignment.Right, 100);
  private readonly subscriptions: vscode.Disposable[];
  private pendingUpdate: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    this.item.name = 'Prompt Chain Model';
    this.item.command = 'promptChain.selectModel';
    this.subscriptions = [
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      // Switching tabs fires this event just before the active-editor one, whose update() cancels this one:
      // one parse per switch. Alone (an editor closed while a panel has focus) it updates 300 ms later.
      vscode.window.onDidChangeVisibleTextEditors(() => this.updateSoon()),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.document === vscode.window.activeTextEditor?.document) this.updateSoon();
      }),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('promptChain')) this.update();
      }),
    ];
    this.update();
  }

  update(): void {
    clearTimeout(this.pendingUpdate);
    const document = promptDocumentInView();
    if (!document) {
      this.item.hide();
      return;
    }
    const model = promptModel(document.getText(), promptDefaults(document.uri));
    const endpoint = effectiveBaseUrl(userLevelBaseUrl(vscode.workspace.getConfiguration('promptChain').inspect('baseUrl')), process.env);
    this.item.text = `$(hubot) ${model} · ${endpointHost(endpoint)}`;
    this.item.tooltip = `Prompt Chain: chat turns use ${model} at ${displayEndpoint(endpoint)}. Click to select the model.`;
    this.item.show();
  }

  dispose(): void {
    clearTimeout(this.pendingUpdate);
    for (const subscription of this.subscriptions) subscription.dispose();
    this.item.dispose();
  }

  /** Typing re-parses at most every 300 ms; an update() meanwhile makes this one unnecessary. */
  private updateSoon(): void {
    clearTimeout(this.pendingUpdate);
    this.pendingUpdate = setTimeout(() => this.update(), 300);
  }
}

/**
 * The `.prompt` the user is working on: the active editor's, or — while a panel such as the chat panel
 * has focus and there is no active text editor — a visible `.prompt` editor's.
 */
function promptDocumentInView(): vscode.TextDocument | undefined {
  const active = vscode.window.activeTextEditor;
  if (active) return active.document.languageId === promptLanguageId ? active.document : undefined;
  return vscode.window.visibleTextEditors.find((editor) => editor.document.languageId === promptLanguageId)?.document;
}
