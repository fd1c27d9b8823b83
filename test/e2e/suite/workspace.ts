// The workspace the harness opened (a fresh copy of test/e2e/workspace-template) and ways to wait on it.
import * as vscode from 'vscode';

export function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the e2e window has no workspace folder open');
  return vscode.Uri.joinPath(folder.uri, name);
}

/** Opens a file of the workspace in an editor, which activates the extension for `.prompt` files. */
export async function openInEditor(name: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(workspaceFile(name));
  return vscode.window.showTextDocument(document);
}

/** Resolves with the file's diagnostics as soon as they satisfy `accept` (now or after a later change). */
export function diagnosticsWhen(
  uri: vscode.Uri,
  accept: (diagnostics: vscode.Diagnostic[]) => boolean,
): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve) => {
    const settle = (): boolean => {
      const diagnostics = vscode.languages.getDiagnostics(uri);
      if (!accept(diagnostics)) return false;
      subscription.dispose();
      resolve(diagnostics);
      return true;
    };
    const subscription = vscode.languages.onDidChangeDiagnostics((event) => {
      if (event.uris.some((changed) => changed.toString() === uri.toString())) settle();
    });
    settle();
  });
}
