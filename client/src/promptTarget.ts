// Which `.prompt` file a command acts on: the argument it was given (a Uri from the editor title or the
// chat panel, a URI string from a server code lens), else the active `.prompt` editor.

import * as vscode from 'vscode';

// Not `prompt`: VS Code's built-in prompt-basics extension owns that id (Copilot's *.prompt.md files) and
// would validate our files as Copilot prompt files.
export const promptLanguageId = 'langchain-prompt';

export function promptUriOf(argument: unknown): vscode.Uri | undefined {
  if (argument instanceof vscode.Uri) return argument;
  if (typeof argument === 'string' && argument !== '') return vscode.Uri.parse(argument);
  const document = vscode.window.activeTextEditor?.document;
  return document?.languageId === promptLanguageId ? document.uri : undefined;
}

/** The command's file, or undefined after telling the user that a `.prompt` file is needed. */
export function requirePromptUri(argument: unknown, action: string): vscode.Uri | undefined {
  const uri = promptUriOf(argument);
  if (!uri) void vscode.window.showWarningMessage(`Prompt Chain: open a .prompt file to ${action}.`);
  return uri;
}

export function fileNameOf(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1) || uri.toString();
}
