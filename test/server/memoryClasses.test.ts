// The memory classes through the real server over stdio, with the conversation on disk: runTurn answers
// the summary call in memoryCalls, showMemory answers the full stored history and the view (the summary,
// kept and pruned, tokens), a reloaded server shows the same view without calling the model, and an edit
// of the open document's memory type changes the view at once.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunTurnResult, ShowMemoryResult } from '../../server/src/protocol';
import { hangGuardMs, type LspClient } from './lspClient';
import { promptWorkspace } from './promptWorkspace';

const summaryFile = '---\nmodel: gpt-3.5-turbo-instruct\nmemory:\n  type: summary\n---\nSummary: {history}\nHuman: {input}\nAI:\n';

describe('memory classes over LSP', { timeout: hangGuardMs }, () => {
  const ws = promptWorkspace('lsp-memory', 'summary.prompt', summaryFile);
  const startClient = () => ws.startClient();
  const showMemory = (client: LspClient) => client.executeCommand<ShowMemoryResult>('promptChain.showMemory', { uri: ws.uri });

  test('runTurn answers the summary call; showMemory the full history and the summary; a new server shows the same without a model call', async () => {
    const client = await startClient();
    await client.open(ws.uri, summaryFile, 1);
    ws.fake.enqueue({ reply: ' Hello Ana!' }, { reply: 'Ana greets the AI.' }, { reply: ' Fine.' }, { reply: 'Ana greets the AI and asks how it is.' });
    const first = await client.executeCommand<RunTurnResult>('promptChain.runTurn', { uri: ws.uri, input: 'Hi, I am Ana' });
    assert.deepEqual(first.memoryCalls?.map((call) => [call.purpose, call.reason, call.reply]), [['summary', 'turn', 'Ana greets the AI.']]);
    assert.equal(first.memoryCalls?.[0]?.prompt, ws.fake.requests[1]?.body.prompt);
    await client.executeCommand<RunTurnResult>('promptChain.runTurn', { uri: ws.uri, input: 'How are you?' });
    const shown = await showMemory(client);
    assert.deepEqual(shown.turns, [{ input: 'Hi, I am Ana', output: ' Hello Ana!' }, { input: 'How are you?', output: ' Fine.' }]);
    assert.deepEqual(shown.view, { type: 'summary', storedTurns: 2, keptMessages: 0, prunedMessages: 4, summary: 'Ana greets the AI and asks how it is.' });

    const requests = ws.fake.requests.length;
    const reloaded = await startClient();
    await reloaded.open(ws.uri, summaryFile, 1);
    assert.deepEqual(await showMemory(reloaded), shown);
    const preview = await reloaded.executeCommand<{ prompt: string }>('promptChain.formatPrompt', { uri: ws.uri, input: 'What is my name?' });
    assert.equal(preview.prompt, 'Summary: Ana greets the AI and asks how it is.\nHuman: What is my name?\nAI:');
    assert.equal(ws.fake.requests.length, requests, 'loading never calls the model');
  });

  test('an edit of the open document\'s memory type changes the view at once; the stored history stays whole', async () => {
    const client = ws.clients[0]!;
    const tokenBuffer = summaryFile.replace('type: summary', 'type: token_buffer\n  max_token_limit: 10');
    await client.change(ws.uri, 2, tokenBuffer);
    const shown = await showMemory(client);
    assert.equal(shown.turns.length, 2);
    assert.equal(shown.view?.type, 'token_buffer');
    assert.equal(shown.view?.maxTokenLimit, 10);
    assert.ok((shown.view?.tokens ?? 11) <= 10, JSON.stringify(shown.view));
    assert.equal((shown.view?.keptMessages ?? 0) + (shown.view?.prunedMessages ?? 0), 4);
  });
});
