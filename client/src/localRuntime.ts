// "Prompt Chain: Install Local Model Runtime": installs node-llama-cpp, the binding the in-process model
// runs on, into the user's runtime folder (core/model/local/cache.ts), where the language server looks for
// it on the next local turn. A .vsix cannot carry the binding (a native addon per platform, hundreds of MB),
// so it is fetched from the npm registry only by users who want local turns, in a terminal they can watch.

import * as vscode from 'vscode';
import { localRuntimeDir } from '../../core/model/local/cache';
import { runtimeInstallArgs } from '../../core/model/local/runtime';

export async function installLocalRuntime(): Promise<void> {
  const dir = localRuntimeDir(process.env);
  const terminal = vscode.window.createTerminal({ name: 'Prompt Chain: local model runtime' });
  terminal.show();
  terminal.sendText(['npm', ...runtimeInstallArgs(dir)].map(shellQuoted).join(' '));
  void vscode.window.showInformationMessage(`Installing the local model runtime into ${dir}: the next local turn uses it once npm is done (no restart needed).`);
}

/** A word for the terminal's shell: quoted when it holds anything a shell would read. */
function shellQuoted(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `"${word.replace(/(["\\$`])/g, '\\$1')}"`;
}
