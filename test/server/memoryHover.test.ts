// The hover over a summary memory's variable through the real server, with the conversation on disk: after
// two turns it shows the summary the store keeps, how many messages are kept and pruned, and — when a
// summary call fails — that the summary is pending; a new server shows the same from the store.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Hover, MarkupContent } from 'vscode-languageserver-types';
import type { RunTurnResult } from '../../server/src/protocol';
import { hangGuardMs, type LspClient } from './lspClient';
import { promptWorkspace } from './promptWorkspace';

const file = '---\nmodel: gpt-3.5-turbo-instruct\nmemory:\n  type: summary_buffer\n  max_token_limit: 12\n---\nSummary: {history}\nHuman: {input}\nAI:\n';
/** On `{history}`, line 6. */
const onHistory = { line: 6, character: 12 };

describe('hover on a summary memory over LSP', { timeout: hangGuardMs }, () => {
  const ws = promptWorkspace('lsp-memory-hover', 'chat.prompt', file);
  const startClient = async (): Promise<LspClient> => {
    const client = await ws.startClient();
    await client.open(ws.uri, file, 1);
    return client;
  };
  const hoverText = async (client: LspClient): Promise<string> => {
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: ws.uri }, position: onHistory });
    assert.ok(hover, 'a hover');
    return (hover.contents as MarkupContent).value;
  };

  test('after two turns: the stored summary, kept and pruned messages, tokens against the limit; the same from a new server', async () => {
    const client = await startClient();
    ws.fake.enqueue({ reply: ' Hello Ana, nice to meet you today!' }, { reply: 'Ana introduces herself.' });
    const first = await client.executeCommand<RunTurnResult>('promptChain.runTurn', { uri: ws.uri, input: 'Hi, I am Ana and I like long walks' });
    assert.equal(first.memoryCalls?.length, 1, 'the first exchange is over 12 tokens: it is summarized');
    const text = await hoverText(client);
    assert.match(text, /ConversationSummaryBufferMemory \(`memory_key="history"`, `max_token_limit=12`\)/);
    assert.match(text, /1 turn stored for this workspace: the prompt sees \d+ messages? verbatim, \d+ messages? pruned \(summarized\)\./);
    assert.match(text, /Kept messages: \d+ of 12 tokens/);
    assert.match(text, /Summary now:\n\n```text\nAna introduces herself\.\n```/);
    assert.doesNotMatch(text, /pending/);

    const requests = ws.fake.requests.length;
    const reloaded = await startClient();
    assert.equal(await hoverText(reloaded), text);
    assert.equal(ws.fake.requests.length, requests, 'the hover never calls the model');
  });

  test('a failed summary call: the hover says the summary is pending', async () => {
    const client = ws.clients[0]!;
    ws.fake.enqueue({ reply: ' Walks are great for thinking things over.' }, { fault: 'status', status: 400 });
    const second = await client.executeCommand<RunTurnResult>('promptChain.runTurn', { uri: ws.uri, input: 'What do you think about walking in the rain?' });
    assert.ok(second.memoryCalls?.[0]?.failure, JSON.stringify(second.memoryCalls));
    const text = await hoverText(client);
    assert.match(text, /2 turns stored for this workspace/);
    assert.match(text, /Summary now:\n\n```text\nAna introduces herself\.\n```/, 'the old summary stays');
    assert.match(text, /\*\*Summary pending:\*\*/);
  });
});
