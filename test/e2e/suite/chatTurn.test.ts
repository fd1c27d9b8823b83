// User story: LangChain's "Memory in LLMChain" notebook, run from the editor. Each turn goes through the
// extension's Run Chat Turn (given its input, as the code lens and the chat panel call it) to the language
// server and on to the local OpenAI-compatible server; the conversation is kept in the workspace's memory and
// fed into the next prompt. The palette, its input box and the chat panel are driven by test/e2e/ui.test.mjs.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RunTurnResult, ShowMemoryResult } from '../../../server/src/protocol';
import { fakeModelControl } from '../fakeModelControl';
import { openInEditor } from './workspace';

const model = fakeModelControl();
const firstReply = ' Hi there! How can I help you today?';
const secondReply = " I'm doing well, thanks for asking.";

suite('chat turns with workspace memory', () => {
  let uri: vscode.Uri;

  suiteSetup(async () => {
    uri = (await openInEditor('chatbot.prompt')).document.uri;
    await model.reset();
  });

  test('Run Chat Turn sends the formatted prompt, returns the reply and stores the turn', async () => {
    await model.enqueue({ reply: firstReply });
    const result = await runChatTurn(uri, 'Hi there my friend');

    const firstPrompt = 'You are a chatbot having a conversation with a human.\n\n\nHuman: Hi there my friend\nChatbot:';
    assert.equal(result.reply, firstReply);
    assert.equal(result.prompt, firstPrompt);
    const [request] = await model.modelRequests();
    assert.equal(request?.body.prompt, firstPrompt, 'what the model received');
    const memory = await showMemory(uri);
    assert.equal(memory.memoryKey, 'chat_history');
    assert.deepEqual(memory.turns, [{ input: 'Hi there my friend', output: firstReply }]);
  });

  test('the second turn\'s prompt holds the first turn', async () => {
    await model.enqueue({ reply: secondReply });
    await runChatTurn(uri, 'Not too bad - how are you?');

    const requests = await model.modelRequests();
    assert.equal(requests.length, 2);
    assert.equal(requests[1]?.body.prompt,
      'You are a chatbot having a conversation with a human.\n\n' +
      `Human: Hi there my friend\nAI: ${firstReply}\nHuman: Not too bad - how are you?\nChatbot:`);
    assert.equal((await showMemory(uri)).turns.length, 2);
  });

  test('a second Run Chat Turn while one is under way is refused: one turn reaches the model', async () => {
    const before = (await model.modelRequests()).length;
    // As a panel Send and the palette command (or a quick second Enter) arrive together.
    const first = vscode.commands.executeCommand<RunTurnResult | undefined>('promptChain.runChatTurn', uri, 'How are you?');
    const second = vscode.commands.executeCommand<RunTurnResult | undefined>('promptChain.runChatTurn', uri, 'Are you there?');
    const [firstResult, secondResult] = await Promise.all([first, second]);

    assert.ok(firstResult, 'the first turn finished');
    assert.equal(secondResult, undefined, 'the second was not run');
    const requests = (await model.modelRequests()).slice(before);
    assert.equal(requests.length, 1);
    assert.match(String(requests[0]?.body.prompt), /Human: How are you\?\nChatbot:$/);
    assert.equal((await showMemory(uri)).turns.length, 3);
  });

  test('Clear Conversation Memory empties the stored conversation', async () => {
    assert.notEqual((await showMemory(uri)).turns.length, 0, 'there is something to clear');
    // A script skips the confirmation a person is asked for (a modal would wait for a click).
    await vscode.commands.executeCommand('promptChain.clearConversationMemory', uri, { confirm: false });
    assert.deepEqual((await showMemory(uri)).turns, []);
  });
});

/** Resolves with the turn's result once it has finished (undefined when it failed: the panel says why). */
async function runChatTurn(uri: vscode.Uri, input: string): Promise<RunTurnResult> {
  const result = await vscode.commands.executeCommand<RunTurnResult | undefined>('promptChain.runChatTurn', uri, input);
  assert.ok(result, 'the turn finished');
  return result;
}

/** The language server's own view of the stored conversation (vscode-languageclient registers server commands). */
async function showMemory(uri: vscode.Uri): Promise<ShowMemoryResult> {
  const memory = await vscode.commands.executeCommand<ShowMemoryResult>('promptChain.showMemory', { uri: uri.toString() });
  assert.ok(memory, 'promptChain.showMemory answered');
  return memory;
}
