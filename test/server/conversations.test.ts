// Which stored conversation a document's memory is, and that the server reads each one consistently: a
// code lens counting turns while a turn loads its history must not see a turn twice.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { InitializeParams } from 'vscode-languageserver/node';
import type { MemoryConfig } from '../../core/chain/types';
import { Conversations } from '../../server/src/conversations';
import { WorkspaceRoots } from '../../server/src/workspaceRoots';
import { fileUri } from './lspClient';
import { HistoryAttachments } from '../../server/src/historyAttachments';
import { HISTORY_STORES_VARIABLE } from '../../core/history/names';

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

describe('Conversations in two workspace folders', () => {
  let workspace: string;
  const folders = ['a', 'b'];
  // A relative store URL names a database in each folder: the two folders' files must not share one.
  const stores = { notes: 'file:h.json', db: 'sqlite:///chat.db' };
  let conversations: Conversations;
  let histories: HistoryAttachments;
  const folder = (name: string) => path.join(workspace, name);
  const uriIn = (name: string) => fileUri(path.join(folder(name), 'chat.prompt'));
  before(() => {
    workspace = mkdtempSync(path.join(tmpdir(), 'prompt-chain-multiroot-'));
    folders.forEach((name) => mkdirSync(folder(name)));
    const roots = new WorkspaceRoots({ workspaceFolders: folders.map((name) => ({ uri: fileUri(folder(name)), name })) } as InitializeParams);
    histories = new HistoryAttachments({ [HISTORY_STORES_VARIABLE]: JSON.stringify(stores) }, true, undefined, () => undefined);
    conversations = new Conversations(roots, path.join(workspace, 'state'), histories, () => undefined);
  });
  after(async () => {
    await conversations.close();
    rmSync(workspace, { recursive: true, force: true });
  });

  for (const store of Object.keys(stores)) {
    test(`a relative ${store === 'db' ? 'sqlite:' : 'file:'} store is each folder's own`, async () => {
      const shared = { ...memory, history: store };
      for (const name of folders) histories.attach(uriIn(name), store, store, 'alice', folder(name));
      const [a, b] = await Promise.all(folders.map(async (name) => (await conversations.open(uriIn(name), shared)).conversation));
      assert.notEqual(a, b);
      await a!.append({ input: 'in a', output: 'only a' });
      await b!.append({ input: 'in b', output: 'only b' });
      assert.deepEqual(await a!.load(), [{ input: 'in a', output: 'only a' }]);
      assert.deepEqual(await b!.load(), [{ input: 'in b', output: 'only b' }]);
      const file = store === 'db' ? 'chat.db' : 'h.json';
      assert.ok(folders.every((name) => existsSync(path.join(folder(name), file))), `each folder has its ${file}`);
      if (store === 'notes') assert.match(readFileSync(path.join(folder('b'), file), 'utf8'), /only b/);
    });
  }
});
