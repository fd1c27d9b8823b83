// Running a turn sends the prompt and the API key to a model endpoint, so it needs a trusted workspace;
// editing features do not (capabilities.untrustedWorkspaces in package.json says the same).

import * as vscode from 'vscode';

const manageTrust = 'Manage Workspace Trust';

/** True when the workspace is trusted; otherwise explains why `action` needs trust and offers to grant it. */
export async function ensureTrusted(action: string): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const choice = await vscode.window.showWarningMessage(
    `${action} needs a trusted workspace: it sends the prompt and your API key to a model endpoint. Editing features work without trust.`,
    manageTrust,
  );
  if (choice === manageTrust) await vscode.commands.executeCommand('workbench.trust.manage');
  return false;
}
