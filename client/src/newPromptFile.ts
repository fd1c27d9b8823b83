// New Prompt File: one of the two prompts of LangChain's "Memory in LLMChain" notebook (promptTemplates.ts),
// opened as an untitled `.prompt` document named after the example, in the first workspace folder, so Save
// suggests that name and the language server checks it at once. The text is the packaged examples/ file's.

import * as vscode from 'vscode';
import { freeFileName, promptTemplates, type PromptTemplate } from './promptTemplates';

export async function newPromptFile(extensionUri: vscode.Uri): Promise<vscode.TextEditor | undefined> {
  const picked = await vscode.window.showQuickPick(
    promptTemplates.map((template) => ({ label: template.label, detail: template.detail, template })),
    { title: 'Prompt Chain: New Prompt File', placeHolder: 'Start from an example of LangChain\'s "Memory in LLMChain"' },
  );
  if (!picked) return undefined;
  const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri, 'examples', picked.template.file)));
  const document = await vscode.workspace.openTextDocument(await untitledUri(picked.template));
  const edit = new vscode.WorkspaceEdit();
  edit.insert(document.uri, new vscode.Position(0, 0), text);
  await vscode.workspace.applyEdit(edit);
  return vscode.window.showTextDocument(document);
}

/** `untitled:` beside the workspace's files, under a name no file there (or open untitled document) has. */
async function untitledUri(template: PromptTemplate): Promise<vscode.Uri> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!folder) return vscode.Uri.from({ scheme: 'untitled', path: freeFileName(template.file, new Set(openUntitledNames())) });
  const entries = await vscode.workspace.fs.readDirectory(folder).then(undefined, () => []);
  const taken = new Set([...entries.map(([name]) => name), ...openUntitledNames()]);
  return vscode.Uri.joinPath(folder, freeFileName(template.file, taken)).with({ scheme: 'untitled' });
}

function openUntitledNames(): string[] {
  return vscode.workspace.textDocuments
    .filter((document) => document.uri.scheme === 'untitled')
    .map((document) => document.uri.path.slice(document.uri.path.lastIndexOf('/') + 1));
}
