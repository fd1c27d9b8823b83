// User story: a password written into the user's promptChain.historyStores is moved to the OS keychain
// (SecretStorage) and the user setting rewritten without it; the rest of the URL stays as written. The
// harness then finds the password in no file of the run (run.mjs).
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { openInEditor } from './workspace';
import { historyStorePassword } from '../historyPassword';

const storeName = 'suite-guarded';
const withPassword = `redis://app:${historyStorePassword}@127.0.0.1:1/0?prefix=chat:`;
const withoutPassword = 'redis://app@127.0.0.1:1/0?prefix=chat:';

suite('shared history stores in the user settings', () => {
  suiteSetup(async () => {
    await openInEditor('history-chat.prompt');
  });
  suiteTeardown(async () => {
    await stores().update('historyStores', undefined, vscode.ConfigurationTarget.Global);
  });

  test('a password in a store URL leaves the settings; the URL keeps the rest byte for byte', async () => {
    const rewritten = userStoreWhen((url) => url === withoutPassword);
    await stores().update('historyStores', { [storeName]: withPassword }, vscode.ConfigurationTarget.Global);
    assert.equal(await rewritten, withoutPassword);
  });
});

function stores(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('promptChain');
}

/** Resolves with the store's user-level URL once it satisfies `accept` (checked after every settings change). */
function userStoreWhen(accept: (url: unknown) => boolean): Promise<unknown> {
  return new Promise((resolve) => {
    const current = () => (stores().inspect<Record<string, unknown>>('historyStores')?.globalValue ?? {})[storeName];
    const subscription = vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration('promptChain.historyStores') || !accept(current())) return;
      subscription.dispose();
      resolve(current());
    });
  });
}
