// Which stored conversation a document's memory is, and that the server reads each one consistently: a
// code lens counting turns while a turn loads its history must not see a turn twice.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { InitializeParams } from 'vscode-languageserver/node';
import type { MemoryConfig } from '../../core/chain/types';
import { Conversations } from '../../server/src/conversations';
import { WorkspaceRoots } from '../../server/src/workspaceRoots';
import { fileUri } from './lspClient';
import { HistoryAttachments } from '../../server/src/historyAttachments';

/** No shared history stores are configured: every file keeps its local conversation. */
function noHistories(): HistoryAttachments {
  return new HistoryAttachments({}, true, undefined, () => undefined);
}

const memory: MemoryConfig = { type: 'buffer', key: 'chat_history', returnMessages: false, humanPrefix: 'Human', aiPrefix: 'AI', scope: 'file' };

describe('Conversations', () => {
  let workspace: string;
  let conversations: Conversations;
  let uri: string;
  before(() => {
    workspace = mkdtempSync(path.join(tmpdir(), 'prompt-chain-conversations-'));
    const roots = new WorkspaceRoots({ workspaceFolders: [{ uri: fileUri(workspace), name: 'w' }] } as InitializeParams);
    conversations = new Conversations(roots, path.join(workspace, 'state'), noHistories(), () => undefined);
    uri = fileUri(path.join(workspace, 'chat.prompt'));
  });
  after(() => rmSync(workspace, { recursive: true, force: true }));

  test('a file keeps one conversation: what a turn appends, the next load sees', async () => {
    await (await conversations.open(uri, memory)).conversation.append({ input: 'Hi', output: 'Hello!' });
    assert.deepEqual(await (await conversations.open(uri, memory)).conversation.load(), [{ input: 'Hi', output: 'Hello!' }]);
  });

  test('loads at the same time count every turn once', async () => {
    const conversation = (await conversations.open(uri, memory)).conversation;
    await conversation.clear();
    await conversation.append({ input: 'one', output: '1' });
    const [a, b] = await Promise.all([conversation.load(), conversation.load()]);
    assert.deepEqual([a.length, b.length], [1, 1]);
    await conversation.append({ input: 'two', output: '2' });
    const counts = await Promise.all([conversation.load(), conversation.load(), conversation.load()]);
    assert.deepEqual(counts.map((turns) => turns.length), [2, 2, 2]);
    assert.equal((await conversation.load()).length, 2);
  });

  test('a document with no file behind it keeps its turns for the session', async () => {
    const untitled = (await conversations.open('untitled:Untitled-1', memory)).conversation;
    await untitled.append({ input: 'x', output: 'y' });
    assert.equal((await (await conversations.open('untitled:Untitled-1', memory)).conversation.load()).length, 1);
    assert.equal((await (await conversations.open('untitled:Untitled-2', memory)).conversation.load()).length, 0);
  });

  test('closing a document lets go of its file-scoped conversation; its turns stay on disk', async () => {
    const closing = fileUri(path.join(workspace, 'closing.prompt'));
    const sibling = fileUri(path.join(workspace, 'closing.prompt2'));
    const held = (await conversations.open(closing, memory)).conversation;
    const siblingHeld = (await conversations.open(sibling, memory)).conversation;
    await held.append({ input: 'kept', output: 'on disk' });
    assert.equal((await conversations.open(closing, memory)).conversation, held, 'the same conversation while the document is open');
    conversations.forget(closing);
    const reopened = (await conversations.open(closing, memory)).conversation;
    assert.notEqual(reopened, held);
    assert.deepEqual(await reopened.load(), [{ input: 'kept', output: 'on disk' }]);
    assert.equal((await conversations.open(sibling, memory)).conversation, siblingHeld, 'a file whose uri merely starts the same is kept');
  });
});
