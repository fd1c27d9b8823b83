// The OpenAI API key lives in VS Code's SecretStorage (the OS keychain), never in settings. The server gets
// it through its environment when it starts (languageClient.ts); a change restarts the server.

import * as vscode from 'vscode';

export const apiKeySecret = 'promptChain.apiKey';

export async function readApiKey(secrets: vscode.SecretStorage): Promise<string | undefined> {
  return (await secrets.get(apiKeySecret)) || undefined;
}

/** Set API Key: stores the key; an empty entry removes it, so OPENAI_API_KEY applies again. */
export async function setApiKey(secrets: vscode.SecretStorage): Promise<void> {
  const key = await vscode.window.showInputBox({
    title: 'Prompt Chain: Set API Key',
    prompt: 'The API key for your endpoint, kept in the OS keychain. Leave empty to remove it and use OPENAI_API_KEY.',
    placeHolder: 'sk-…',
    password: true,
    ignoreFocusOut: true,
  });
  if (key === undefined) return;
  if (key.trim() === '') {
    await secrets.delete(apiKeySecret);
    void vscode.window.showInformationMessage('Prompt Chain: API key removed; OPENAI_API_KEY from the environment applies, if set.');
    return;
  }
  await secrets.store(apiKeySecret, key.trim());
  void vscode.window.showInformationMessage('Prompt Chain: API key stored.');
}
