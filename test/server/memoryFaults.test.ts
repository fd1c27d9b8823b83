// A memory folder the server cannot use is the user's problem, not a server bug: every command that
// touches the store answers RequestFailed with `data.kind` 'memory' and the store's one-line message,
// the log gets one line without a stack, and hover / code lens keep answering (with no stored turns).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { CodeLens, Hover } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { conversationId, conversationIdentity, conversationPaths, workspaceFolderId } from '../../core/memory/paths';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fakeOpenAI';
import { ensureServerBuilt, fileUri, LspClient, hangGuardMs } from './lspClient';
import { completionExample } from './prompts';
import type { ShowMemoryResult } from '../../server/src/protocol';

interface ResponseErrorShape {
  code: number;
  message: string;
  data?: { kind?: string; reason?: string };
}

const requestFailed = -32803;

describe('memory folder faults over LSP', { timeout: hangGuardMs }, () => {
  let fake: FakeOpenAI;
  let client: LspClient;
  let workspace: string;
  let stateDir: string;

  /** A prompt file whose conversation file is a folder: every read of it fails (EISDIR). */
  function unreadablePrompt(name: string): { uri: string; records: string } {
    const file = path.join(workspace, name);
    writeFileSync(file, completionExample);
    const id = conversationId(conversationIdentity(workspace, file, 'file', 'chat_history'));
    const records = conversationPaths(path.join(stateDir, workspaceFolderId(workspace)), id).records;
    mkdirSync(records, { recursive: true });
    return { uri: fileUri(file), records };
  }

  const isMemoryFailure = (pattern: RegExp) => (error: ResponseErrorShape) => {
    assert.equal(error.code, requestFailed, error.message);
    assert.equal(error.data?.kind, 'memory');
    assert.equal(typeof error.data?.reason, 'string', 'the errno code or lock-timeout');
    assert.match(error.message, pattern);
    return true;
  };

  const logLines = () => client.logs.items.map((log) => log.message);

  before(async () => {
    ensureServerBuilt();
    workspace = mkdtempSync(path.join(tmpdir(), 'prompt-chain-lsp-faults-'));
    stateDir = path.join(workspace, 'state');
    fake = await startFakeOpenAI();
    client = await LspClient.start({
      pull: true,
      workspaceFolder: workspace,
      env: { OPENAI_BASE_URL: fake.baseURL, OPENAI_API_KEY: 'sk-test-key', XDG_STATE_HOME: path.join(workspace, 'xdg') },
      initializationOptions: { stateDir },
    });
  });
  after(async () => {
    await client.stop();
    await fake.close();
    rmSync(workspace, { recursive: true, force: true });
  });

  test('an unreadable conversation: showMemory, clearMemory and runTurn fail with kind memory; lens and hover still answer', async () => {
    const { uri, records } = unreadablePrompt('unreadable.prompt');
    await client.open(uri, completionExample, 1);
    const since = client.logs.items.length;
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    assert.ok(lenses.some((lens) => lens.command?.title === 'Clear memory (0 turns)'));
    const position = TextDocument.create(uri, 'prompt', 1, completionExample).positionAt(completionExample.indexOf('{chat_history}') + 3);
    assert.ok(await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position }));
    await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    const readLogs = logLines().slice(since);
    assert.equal(readLogs.length, 1, `one line for the document, not one per request: ${readLogs.join(' | ')}`);
    assert.match(readLogs[0]!, new RegExp(`cannot read the conversation: .* has a folder where a file should be \\(EISDIR\\)`));

    const cannotRead = /^cannot read the conversation: .*conversations has a folder where a file should be \(EISDIR\): remove or rename the folder in the way$/;
    await assert.rejects(client.executeCommand('promptChain.showMemory', { uri }), isMemoryFailure(cannotRead));
    await assert.rejects(client.executeCommand('promptChain.clearMemory', { uri }), isMemoryFailure(cannotRead));
    const requests = fake.requests.length;
    await assert.rejects(client.executeCommand('promptChain.runTurn', { uri, input: 'hi' }), isMemoryFailure(cannotRead));
    assert.equal(fake.requests.length, requests, 'the model is not called when the history cannot be read');
    assert.ok(records.endsWith('.jsonl'));
    for (const line of logLines()) assert.doesNotMatch(line, /\n|\bat .*\(.*:\d+:\d+\)/, 'no stack trace in the log');
  });

  test('showMemory reports damaged records: how many, their lines and the command that repairs them', async () => {
    const file = path.join(workspace, 'damaged.prompt');
    writeFileSync(file, completionExample);
    const uri = fileUri(file);
    fake.enqueue({ reply: 'first' });
    await client.executeCommand('promptChain.runTurn', { uri, input: 'one' });
    const healthy = await client.executeCommand<ShowMemoryResult>('promptChain.showMemory', { uri });
    assert.deepEqual(healthy, { memoryKey: 'chat_history', turns: [{ input: 'one', output: 'first' }], view: bufferView(1) });
    const id = conversationId(conversationIdentity(workspace, file, 'file', 'chat_history'));
    appendFileSync(conversationPaths(path.join(stateDir, workspaceFolderId(workspace)), id).records, '{"not a turn\n');
    const shown = await client.executeCommand<ShowMemoryResult>('promptChain.showMemory', { uri });
    assert.deepEqual(shown, {
      memoryKey: 'chat_history',
      turns: [{ input: 'one', output: 'first' }],
      view: bufferView(1),
      // The editor's storage is not where the CLI looks by itself: the command names both folders.
      damaged: {
        count: 1,
        lines: [2],
        repairCommand: `prompt-chain memory repair ${file} --workspace ${workspace} --memory-dir ${path.join(stateDir, workspaceFolderId(workspace))}`,
      },
    });
  });

  test('a read-only memory folder (a real read-only bind mount): runTurn and clearMemory fail with kind memory, memory untouched', async (t) => {
    const file = path.join(workspace, 'chat.prompt');
    writeFileSync(file, completionExample);
    const uri = fileUri(file);
    fake.enqueue({ reply: 'first' });
    await client.executeCommand('promptChain.runTurn', { uri, input: 'one' });
    const folder = path.join(stateDir, workspaceFolderId(workspace), 'conversations');
    if (spawnSync('mount', ['--bind', folder, folder]).status !== 0) return t.skip('mount is not permitted here');
    try {
      assert.equal(spawnSync('mount', ['-o', 'remount,bind,ro', folder, folder]).status, 0);
      const since = client.logs.items.length;
      const readOnly = new RegExp(`^cannot lock the conversation: ${folder.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is on a read-only file system \\(EROFS\\): make the folder writable$`);
      const requests = fake.requests.length;
      await assert.rejects(client.executeCommand('promptChain.runTurn', { uri, input: 'two' }), isMemoryFailure(readOnly));
      assert.equal(fake.requests.length, requests);
      await assert.rejects(client.executeCommand('promptChain.clearMemory', { uri }), isMemoryFailure(readOnly));
      const shown = await client.executeCommand<{ turns: unknown[] }>('promptChain.showMemory', { uri });
      assert.deepEqual(shown.turns, [{ input: 'one', output: 'first' }], 'reading still works; nothing was lost');
      const logs = logLines().slice(since);
      assert.equal(logs.length, 2, logs.join(' | '));
      for (const line of logs) assert.match(line, /^promptChain\.(runTurn|clearMemory): cannot lock the conversation: [^\n]+$/);
    } finally {
      spawnSync('umount', [folder]);
    }
  });
});

/** What a buffer memory holds of `turns` stored turns: every message. */
function bufferView(turns: number) {
  return { type: 'buffer', storedTurns: turns, keptMessages: 2 * turns, prunedMessages: 0 };
}
