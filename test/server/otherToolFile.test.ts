// The server's run guard on another tool's `.prompt`, through the real server over stdio: the editor shows
// the one other-tool-file notice, and runTurn and formatPrompt are refused, naming the tool, before anything
// is sent or stored — though the file has no error diagnostic.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fakeOpenAI';
import { failureOf, requestFailed } from './responseErrors';
import { ensureServerBuilt, fileUri, hangGuardMs, LspClient } from './lspClient';
import { fixtureText } from '../core/interop/importedFormatting';

describe("another tool's .prompt over LSP", { timeout: hangGuardMs }, () => {
  let fake: FakeOpenAI;
  let workspace: string;
  let client: LspClient;

  before(async () => {
    ensureServerBuilt();
    workspace = mkdtempSync(path.join(tmpdir(), 'prompt-chain-other-tool-'));
    fake = await startFakeOpenAI();
    client = await LspClient.start({
      pull: true,
      workspaceFolder: workspace,
      settings: {},
      env: { OPENAI_BASE_URL: fake.baseURL, OPENAI_API_KEY: 'sk-other-tool-test', XDG_STATE_HOME: path.join(workspace, 'xdg') },
      initializationOptions: { stateDir: path.join(workspace, 'state') },
    });
  });
  after(async () => {
    await client.stop();
    await fake.close();
    rmSync(workspace, { recursive: true, force: true });
  });

  for (const [tool, name, fixture] of [['Dotprompt', 'greet.prompt', ['dotprompt', 'chat-history.prompt']], ['Continue', 'tests.prompt', ['continue', 'rails.prompt']]] as const) {
    test(`a ${tool} file: one notice, and no turn or preview, whose refusal names ${tool}`, async () => {
      const text = fixtureText(...fixture);
      const file = path.join(workspace, name);
      writeFileSync(file, text);
      const uri = fileUri(file);
      await client.open(uri, text, 1);
      const diagnostics = await client.pulledDiagnostics(uri);
      assert.deepEqual(diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.severity]), [['other-tool-file', 3]]);
      for (const command of ['promptChain.runTurn', 'promptChain.formatPrompt']) {
        const error = await failureOf(client.executeCommand(command, { uri, input: 'Hi', variables: {} }));
        assert.equal(error.code, requestFailed, command);
        assert.equal(error.data?.kind, 'file-has-errors', command);
        assert.equal(error.data?.reason, 'other-tool-file', command);
        assert.equal(error.message, `${name} is a ${tool} file, not a Prompt Chain prompt: Prompt Chain does not run it. Import… makes a Prompt Chain copy that runs here.`);
      }
      assert.equal(fake.requests.length, 0, 'the model was not called');
    });
  }
});
