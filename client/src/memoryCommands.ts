// Clear Conversation Memory and Show Conversation Memory. The stored conversation is shown as a read-only
// virtual document that is refreshed after every turn and clear.

import * as vscode from 'vscode';
import { errorMessage } from './errorMessage';
import { memoryText } from './memoryText';
import type { ChatPanels } from './panel/chatPanels';
import { fileNameOf, requirePromptUri } from './promptTarget';
import type { PromptChainServer } from './server';
import type { HistoryAttachment } from '../../server/src/protocol';

export const memoryScheme = 'prompt-chain-memory';

export class MemoryDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changes = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changes.event;

  constructor(private readonly server: PromptChainServer) {}

  static uriFor(promptUri: vscode.Uri): vscode.Uri {
    return vscode.Uri.from({ scheme: memoryScheme, path: `/${fileNameOf(promptUri)} (memory)`, query: promptUri.toString() });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const promptUri = vscode.Uri.parse(uri.query);
    try {
      return memoryText(fileNameOf(promptUri), await this.server.showMemory(promptUri));
    } catch (error) {
      return `${errorMessage(error)}\n`;
    }
  }

  /** The memory of `promptUri` may have changed: refresh its document if it is open. */
  refresh(promptUri: vscode.Uri): void {
    this.changes.fire(MemoryDocuments.uriFor(promptUri));
  }

  dispose(): void {
    this.changes.dispose();
  }
}

export interface MemoryCommandContext {
  server: PromptChainServer;
  panels: ChatPanels;
  documents: MemoryDocuments;
}

export async function showConversationMemory(target?: unknown): Promise<void> {
  const uri = requirePromptUri(target, 'show its conversation memory');
  if (!uri) return;
  const document = await vscode.workspace.openTextDocument(MemoryDocuments.uriFor(uri));
  await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: true });
}

/**
 * Clear Conversation Memory, from the panel's Clear, the code lens or the palette: asks first (a modal: the
 * turns are gone for good), then marks the place in the file's chat panel. A script may pass
 * `{ confirm: false }` as the second argument.
 */
export async function clearConversationMemory(context: MemoryCommandContext, target?: unknown, options?: unknown): Promise<void> {
  const uri = requirePromptUri(target, 'clear its conversation memory');
  if (!uri) return;
  try {
    const memory = await context.server.showMemory(uri);
    const stored = memory.turns.length;
    if (stored === 0) return void vscode.window.showInformationMessage(`Prompt Chain: ${fileNameOf(uri)} has no stored turns to clear.`);
    if (!skipsConfirmation(options) && !(await confirmClear(uri, stored, memory.history))) return;
    const { cleared } = await context.server.clearMemory(uri);
    const panel = context.panels.get(uri);
    panel?.markCleared(cleared);
    if (!panel?.visible) void vscode.window.showInformationMessage(`Prompt Chain: cleared ${turns(cleared)} of ${fileNameOf(uri)}.`);
  } catch (error) {
    void vscode.window.showErrorMessage(errorMessage(error));
  }
  context.documents.refresh(uri);
  await context.panels.get(uri)?.refreshMemory();
}

async function confirmClear(uri: vscode.Uri, stored: number, history: HistoryAttachment | undefined): Promise<boolean> {
  const clear = 'Clear';
  // A shared history's session belongs to the application too: clearing deletes it there, for everyone.
  const question = history
    ? `Delete session ${history.sessionId} from ${history.store} (${history.display})?`
    : `Clear the stored conversation of ${fileNameOf(uri)}?`;
  const what = history ? `${stored} ${stored === 1 ? 'entry' : 'entries'} of the shared history will be deleted for every application that reads it` : `${turns(stored)} will be forgotten`;
  const choice = await vscode.window.showWarningMessage(question, { modal: true, detail: `${what}, and the next turn starts a new conversation. This cannot be undone.` }, clear);
  return choice === clear;
}

function skipsConfirmation(options: unknown): boolean {
  return typeof options === 'object' && options !== null && (options as { confirm?: unknown }).confirm === false;
}

function turns(count: number): string {
  return `${count} ${count === 1 ? 'turn' : 'turns'}`;
}
