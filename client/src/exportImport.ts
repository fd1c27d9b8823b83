// Prompt Chain: Export… and Import…. The server does the work (promptChain.exportFile / importFile, by the
// one dispatcher in core/interop); this asks what to do and shows the result. Export opens an untitled
// editor (saved wherever the user chooses, so nothing is ever overwritten); Import writes the new `.prompt`
// beside the source under the name core gives it, or the first free numbered name, then opens it.

import * as vscode from 'vscode';
import { ExecuteCommandRequest } from 'vscode-languageclient/node';
import { codeStyles, exportFormatInfo, exportFormats, importedFileName } from '../../core/interop/formats';
import { exportCommand, importCommand, type CodeStyle, type ExportFormat, type Exported } from '../../core/interop/types';
import { Commands, type ExportFileParams, type ImportFileResult } from '../../server/src/protocol';
import { errorMessage, failureOf } from './errorMessage';
import { fileNameOf, requirePromptUri } from './promptTarget';
import type { PromptChainServer } from './server';

/** The editor language of each exported file. */
const languages: Readonly<Record<ExportFormat, string>> = {
  'langchain-json': 'json',
  'langchain-yaml': 'yaml',
  python: 'python',
  typescript: 'typescript',
};

/** Tried names for the new file before giving up: chat.prompt, chat-2.prompt ... chat-99.prompt. */
const maxAttempts = 99;

export function registerExportImport(server: PromptChainServer): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(exportCommand, (target?: unknown, format?: unknown, style?: unknown) => exportPromptFile(server, target, format, style)),
    vscode.commands.registerCommand(importCommand, (target?: unknown) => importPromptFile(server, target)),
  ];
}

/** Export…: `format` and `style` may be passed by a script or a test; otherwise they are picked. */
export async function exportPromptFile(server: PromptChainServer, target?: unknown, format?: unknown, style?: unknown): Promise<void> {
  const uri = requirePromptUri(target, 'export it');
  if (!uri) return;
  const params = await exportChoice(uri, format, style);
  if (!params) return;
  try {
    const exported = await execute<Exported>(server, Commands.exportFile, params);
    const document = await vscode.workspace.openTextDocument({ language: languages[params.format], content: exported.text });
    await vscode.window.showTextDocument(document, { preview: false });
    if (exported.notCarried.length > 0) {
      void vscode.window.showInformationMessage(`Prompt Chain: ${params.format} does not carry: ${exported.notCarried.join('; ')}`);
    }
  } catch (error) {
    void showFailure(error);
  }
}

/** Import…: the source file is the argument (the quick fix's URI string) or picked. */
export async function importPromptFile(server: PromptChainServer, target?: unknown): Promise<void> {
  const source = sourceUriOf(target) ?? (await pickSource());
  if (!source) return;
  try {
    const imported = await execute<ImportFileResult>(server, Commands.importFile, { uri: source.toString() });
    const written = await writeBeside(source, imported.text);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(written), { preview: false });
    void vscode.window.showInformationMessage(importSummary(source, written, imported));
  } catch (error) {
    void showFailure(error);
  }
}

async function exportChoice(uri: vscode.Uri, format: unknown, style: unknown): Promise<ExportFileParams | undefined> {
  const chosenFormat = exportFormats.find((info) => info.format === format)?.format ?? (await pickFormat(uri));
  if (!chosenFormat) return undefined;
  if (!exportFormatInfo(chosenFormat).takesStyle) return { uri: uri.toString(), format: chosenFormat };
  const chosenStyle = codeStyles.find((info) => info.style === style)?.style ?? (await pickStyle());
  return chosenStyle ? { uri: uri.toString(), format: chosenFormat, style: chosenStyle } : undefined;
}

async function pickFormat(uri: vscode.Uri): Promise<ExportFormat | undefined> {
  const items = exportFormats.map((info) => ({ label: info.format, detail: info.description, format: info.format }));
  return (await vscode.window.showQuickPick(items, { title: `Export ${fileNameOf(uri)} as`, placeHolder: 'the format' }))?.format;
}

async function pickStyle(): Promise<CodeStyle | undefined> {
  const items = codeStyles.map((info) => ({ label: info.style, detail: info.description, style: info.style }));
  return (await vscode.window.showQuickPick(items, { title: 'Code style', placeHolder: 'classic or modern' }))?.style;
}

function sourceUriOf(target: unknown): vscode.Uri | undefined {
  if (target instanceof vscode.Uri) return target;
  return typeof target === 'string' && target !== '' ? vscode.Uri.parse(target) : undefined;
}

async function pickSource(): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title: 'Import a prompt into a .prompt file',
    openLabel: 'Import',
    canSelectMany: false,
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    filters: { 'Prompts (LangChain JSON/YAML, Prompty, Dotprompt)': ['json', 'yaml', 'yml', 'prompty', 'prompt'], 'All files': ['*'] },
  });
  return picked?.[0];
}

/** The first name core's rule gives that is not taken; never replaces a file. */
async function writeBeside(source: vscode.Uri, text: string): Promise<vscode.Uri> {
  const folder = vscode.Uri.joinPath(source, '..');
  for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
    const target = vscode.Uri.joinPath(folder, importedFileName(fileNameOf(source), attempt));
    if (await exists(target)) continue;
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
    return target;
  }
  throw new Error(`Prompt Chain: ${importedFileName(fileNameOf(source))} and its numbered names up to -${maxAttempts} all exist; move some away and import again.`);
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  return vscode.workspace.fs.stat(uri).then(
    () => true,
    () => false,
  );
}

function importSummary(source: vscode.Uri, written: vscode.Uri, imported: ImportFileResult): string {
  const parts = [`Prompt Chain: imported ${fileNameOf(source)} (${imported.format}) as ${fileNameOf(written)}.`];
  if (imported.notCarried.length > 0) parts.push(`Not carried: ${imported.notCarried.join('; ')}.`);
  const errors = imported.errors.length;
  parts.push(errors === 0 ? 'It checks clean.' : `It has ${errors} error${errors === 1 ? '' : 's'}: see Problems.`);
  return parts.join(' ');
}

/** The server's sentence; a file with errors offers the Problems view, as a refused turn does. */
async function showFailure(error: unknown): Promise<void> {
  const failure = failureOf(error);
  const showProblems = 'Show Problems';
  const actions = failure.data?.kind === 'file-has-errors' ? [showProblems] : [];
  const choice = await vscode.window.showErrorMessage(errorMessage(error), ...actions);
  if (choice === showProblems) await vscode.commands.executeCommand('workbench.actions.view.problems');
}

async function execute<T>(server: PromptChainServer, command: string, argument: object): Promise<T> {
  const client = await server.start();
  return (await client.sendRequest(ExecuteCommandRequest.type, { command, arguments: [argument] })) as T;
}
