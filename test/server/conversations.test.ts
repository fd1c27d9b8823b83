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

const memory: MemoryConfig = { type: 'buffer', key: 'chat_history', returnMessages: false, humanPrefix: 'Human', aiPrefix: 'AI', scope: 'file' };

describe('Conversations', () => {
  let workspace: string;
  let conversations: Conversations;
  let uri: string;
  before(() => {
    workspace = mkdtempSync(path.join(tmpdir(), 'prompt-chain-conversations-'));
    const roots = new WorkspaceRoots({ workspaceFolders: [{ uri: fileUri(workspace), name: 'w' }] } as InitializeParams);
    conversations = new Conversations(roots, path.join(workspace, 'state'), () => undefined);
    uri = fileUri(path.join(workspace, 'chat.prompt'));
  });
  after(() => rmSync(workspace, { recursive: true, force: true }));

  test('a file keeps one conversation: what a turn appends, the next load sees', async () => {
    await conversations.open(uri, memory).append({ input: 'Hi', output: 'Hello!' });
    assert.deepEqual(await conversations.open(uri, memory).load(), [{ input: 'Hi', output: 'Hello!' }]);
  });

  test('loads at the same time count every turn once', async () => {
    const conversation = conversations.open(uri, memory);
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
    const untitled = conversations.open('untitled:Untitled-1', memory);
    await untitled.append({ input: 'x', output: 'y' });
    assert.equal((await conversations.open('untitled:Untitled-1', memory).load()).length, 1);
    assert.equal((await conversations.open('untitled:Untitled-2', memory).load()).length, 0);
  });

  test('closing a document lets go of its file-scoped conversation; its turns stay on disk', async () => {
    const closing = fileUri(path.join(workspace, 'closing.prompt'));
    const sibling = fileUri(path.join(workspace, 'closing.prompt2'));
    const held = conversations.open(closing, memory);
    const siblingHeld = conversations.open(sibling, memory);
    await held.append({ input: 'kept', output: 'on disk' });
    assert.equal(conversations.open(closing, memory), held, 'the same conversation while the document is open');
    conversations.forget(closing);
    const reopened = conversations.open(closing, memory);
    assert.notEqual(reopened, held);
    assert.deepEqual(await reopened.load(), [{ input: 'kept', output: 'on disk' }]);
    assert.equal(conversations.open(sibling, memory), siblingHeld, 'a file whose uri merely starts the same is kept');
  });
});
