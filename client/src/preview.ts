// Preview Formatted Prompt: the prompt the next turn of a file would send — LangChain's verbose trace up to
// "Prompt after formatting:" with the stored conversation filled in — asked of the server's formatPrompt and
// shown read-only beside the file, as the server wrote it. Nothing is sent to the model and nothing stored.
// The human input is asked for; every other variable takes the value remembered from the file's last turn
// (asked for only when it has none and the file gives it no default).

import * as vscode from 'vscode';
import type { FormatPromptResult, TurnInputsResult } from '../../server/src/protocol';
import { failureOf } from './errorMessage';
import { problemsNotice, refusedProblems } from './fileProblems';
import { fileNameOf, requirePromptUri } from './promptTarget';
import { formatPrompt, turnInputs } from './serverRequests';
import type { PromptChainServer } from './server';
import { rememberedValues, rememberValues } from './turnInputs';

export const previewScheme = 'prompt-chain-preview';

/** The preview documents: one per `.prompt` file, its text the trace of the latest preview. */
export class PreviewDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly traces = new Map<string, string>();
  private readonly changes = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changes.event;

  static uriFor(promptUri: vscode.Uri): vscode.Uri {
    // The path does not end in `.prompt`: the preview is plain text, not a file for the language server.
    return vscode.Uri.from({ scheme: previewScheme, path: `/${fileNameOf(promptUri)} (formatted prompt)`, query: promptUri.toString() });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.traces.get(uri.toString()) ?? 'This preview is from an earlier window: run Prompt Chain: Preview Formatted Prompt again.\n';
  }

  async show(promptUri: vscode.Uri, result: FormatPromptResult): Promise<void> {
    const uri = PreviewDocuments.uriFor(promptUri);
    this.traces.set(uri.toString(), result.trace);
    this.changes.fire(uri);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: false });
  }

  dispose(): void {
    this.changes.dispose();
  }
}

export interface PreviewContext {
  server: PromptChainServer;
  documents: PreviewDocuments;
  /** Workspace state: the variable values remembered from earlier turns. */
  remembered: vscode.Memento;
}

export async function previewFormattedPrompt(context: PreviewContext, target?: unknown): Promise<void> {
  const uri = requirePromptUri(target, 'preview its formatted prompt');
  if (!uri) return;
  try {
    const needs = await turnInputs(context.server, uri);
    if (needs.errors.length > 0) return void showProblems(uri, needs.errors.length);
    const title = `Preview Formatted Prompt · ${fileNameOf(uri)}`;
    const input = await askInput(title, needs.inputKey);
    if (input === undefined) return;
    const variables = await variableValues(context.remembered, title, uri, needs.variables);
    if (!variables) return;
    await context.documents.show(uri, await formatPrompt(context.server, { uri: uri.toString(), input, variables }));
  } catch (error) {
    const failure = failureOf(error);
    const problems = refusedProblems(failure);
    if (problems !== undefined) return void showProblems(uri, problems);
    void vscode.window.showErrorMessage(failure.message);
  }
}

function askInput(title: string, inputKey: string | null): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title,
    prompt: `${inputKey ? `Human input, the value of {${inputKey}}` : 'Human input'}. Nothing is sent to the model.`,
    placeHolder: 'Hi there my friend',
    ignoreFocusOut: true,
  });
}

/**
 * The values of the other variables, as the chat panel's turn form remembers them per file (turnInputs.ts):
 * a preview uses the values of the last turn, and a value asked for here is there for the next turn.
 */
async function variableValues(
  remembered: vscode.Memento,
  title: string,
  uri: vscode.Uri,
  variables: TurnInputsResult['variables'],
): Promise<Record<string, string> | undefined> {
  const saved = rememberedValues(remembered, uri.toString());
  const asked: [string, string][] = [];
  const values: [string, string][] = [];
  for (const { name, required } of variables) {
    let value = Object.hasOwn(saved, name) ? saved[name] : undefined;
    if (value === undefined && required) {
      value = await askVariable(title, name);
      if (value === undefined) return undefined;
      asked.push([name, value]);
    }
    if (value !== undefined) values.push([name, value]);
  }
  // fromEntries: a variable named `__proto__` is a value like any other.
  if (asked.length > 0) await rememberValues(remembered, uri.toString(), Object.fromEntries(asked));
  return Object.fromEntries(values);
}

function askVariable(title: string, name: string): Thenable<string | undefined> {
  return vscode.window.showInputBox({ title, prompt: `Value of {${name}}, remembered for this file's turns`, ignoreFocusOut: true });
}

async function showProblems(uri: vscode.Uri, count: number): Promise<void> {
  const { message, actions } = problemsNotice(fileNameOf(uri), count, 'preview');
  const choice = await vscode.window.showErrorMessage(`Prompt Chain: ${message}`, ...actions.map((action) => action.label));
  if (actions.find((action) => action.label === choice)?.id === 'showProblems') await vscode.commands.executeCommand('workbench.actions.view.problems');
}
