// The hover over a summary memory's variable through the real server, with the conversation on disk: after
// two turns it shows the summary the store keeps, how many messages are kept and pruned, and — when a
// summary call fails — that the summary is pending; a new server shows the same from the store.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Hover, MarkupContent } from 'vscode-languageserver-types';
import type { RunTurnResult } from '../../server/src/protocol';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fakeOpenAI';
import { ensureServerBuilt, fileUri, hangGuardMs, LspClient } from './lspClient';

const file = '---\nmodel: gpt-3.5-turbo-instruct\nmemory:\n  type: summary_buffer\n  max_token_limit: 12\n---\nSummary: {history}\nHuman: {input}\nAI:\n';
/** On `{history}`, line 6. */
const onHistory = { line: 6, character: 12 };

describe('hover on a summary memory over LSP', { timeout: hangGuardMs }, () => {
  let fake: FakeOpenAI;
  let workspace: string;
  let uri: string;
  const clients: LspClient[] = [];

  const startClient = async (): Promise<LspClient> => {
    const client = await LspClient.start({
      pull: true,
      workspaceFolder: workspace,
      env: { OPENAI_BASE_URL: fake.baseURL, OPENAI_API_KEY: 'sk-test-key', XDG_STATE_HOME: path.join(workspace, 'xdg') },
      initializationOptions: { stateDir: path.join(workspace, 'state') },
    });
    clients.push(client);
    await client.open(uri, file, 1);
    return client;
  };
  const hoverText = async (client: LspClient): Promise<string> => {
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: onHistory });
    assert.ok(hover, 'a hover');
    return (hover.contents as MarkupContent).value;
  };

  before(async () => {
    ensureServerBuilt();
    workspace = mkdtempSync(path.join(tmpdir(), 'prompt-chain-lsp-memory-hover-'));
    const prompt = path.join(workspace, 'chat.prompt');
    writeFileSync(prompt, file);
    uri = fileUri(prompt);
    fake = await startFakeOpenAI();
  });
  after(async () => {
    for (const client of clients) await client.stop();
    await fake.close();
    rmSync(workspace, { recursive: true, force: true });
  });

  test('after two turns: the stored summary, kept and pruned messages, tokens against the limit; the same from a new server', async () => {
    const client = await startClient();
    fake.enqueue({ reply: ' Hello Ana, nice to meet you today!' }, { reply: 'Ana introduces herself.' });
    const first = await client.executeCommand<RunTurnResult>('promptChain.runTurn', { uri, input: 'Hi, I am Ana and I like long walks' });
    assert.equal(first.memoryCalls?.length, 1, 'the first exchange is over 12 tokens: it is summarized');
    const text = await hoverText(client);
    assert.match(text, /ConversationSummaryBufferMemory \(`memory_key="history"`, `max_token_limit=12`\)/);
    assert.match(text, /1 turn stored for this workspace: the prompt sees \d+ messages? verbatim, \d+ messages? pruned \(summarized\)\./);
    assert.match(text, /Kept messages: \d+ of 12 tokens/);
    assert.match(text, /Summary now:\n\n```text\nAna introduces herself\.\n```/);
    assert.doesNotMatch(text, /pending/);

    const requests = fake.requests.length;
    const reloaded = await startClient();
    assert.equal(await hoverText(reloaded), text);
    assert.equal(fake.requests.length, requests, 'the hover never calls the model');
  });

  test('a failed summary call: the hover says the summary is pending', async () => {
    const client = clients[0]!;
    fake.enqueue({ reply: ' Walks are great for thinking things over.' }, { fault: 'status', status: 400 });
    const second = await client.executeCommand<RunTurnResult>('promptChain.runTurn', { uri, input: 'What do you think about walking in the rain?' });
    assert.ok(second.memoryCalls?.[0]?.failure, JSON.stringify(second.memoryCalls));
    const text = await hoverText(client);
    assert.match(text, /2 turns stored for this workspace/);
    assert.match(text, /Summary now:\n\n```text\nAna introduces herself\.\n```/, 'the old summary stays');
    assert.match(text, /\*\*Summary pending:\*\*/);
  });
});
