// A workspace folder holding one `.prompt` file, the local OpenAI-compatible test server, and language
// servers started on that workspace (keys and endpoint from the environment, memory in its own folder):
// made before the describe's tests, stopped and removed after them.

import { after, before } from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fakeOpenAI';
import { ensureServerBuilt, fileUri, LspClient } from './lspClient';

export interface PromptWorkspace {
  readonly workspace: string;
  readonly uri: string;
  readonly fake: FakeOpenAI;
  /** The servers started so far, in order. */
  readonly clients: readonly LspClient[];
  /** A new server on the workspace, stopped after the tests. */
  startClient(): Promise<LspClient>;
}

/** Call in a describe: `name` holds `text` in a new folder named `prompt-chain-<prefix>-…`. */
export function promptWorkspace(prefix: string, name: string, text: string): PromptWorkspace {
  let workspace = '';
  let uri = '';
  let fake: FakeOpenAI | undefined;
  const clients: LspClient[] = [];
  before(async () => {
    ensureServerBuilt();
    workspace = mkdtempSync(path.join(tmpdir(), `prompt-chain-${prefix}-`));
    const file = path.join(workspace, name);
    writeFileSync(file, text);
    uri = fileUri(file);
    fake = await startFakeOpenAI();
  });
  after(async () => {
    for (const client of clients) await client.stop();
    await fake?.close();
    rmSync(workspace, { recursive: true, force: true });
  });
  return {
    clients,
    get workspace() {
      return workspace;
    },
    get uri() {
      return uri;
    },
    get fake() {
      if (!fake) throw new Error('the workspace is made before the tests run');
      return fake;
    },
    async startClient() {
      const client = await LspClient.start({
        pull: true,
        workspaceFolder: workspace,
        env: { OPENAI_BASE_URL: this.fake.baseURL, OPENAI_API_KEY: 'sk-test-key', XDG_STATE_HOME: path.join(workspace, 'xdg') },
        initializationOptions: { stateDir: path.join(workspace, 'state') },
      });
      clients.push(client);
      return client;
    },
  };
}
