// Which workspace folder a file belongs to decides where its conversation is stored. An editor may open a
// folder through a symbolic link and name its files by their real path (or the other way round): the file
// still belongs to that folder, so the editor and the CLI run from the folder share its conversation.

import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { InitializeParams } from 'vscode-languageserver/node';
import { workspaceStateDir } from '../../core/memory/paths';
import { openConversation, type StoredConversation } from '../../core/memory/store';
import type { MemoryConfig } from '../../core/chain/types';
import { HistoryAttachments } from '../../server/src/historyAttachments';
import { Conversations } from '../../server/src/conversations';
import { WorkspaceRoots } from '../../server/src/workspaceRoots';
import { fileUri } from './lspClient';

const memory: MemoryConfig = { type: 'buffer', key: 'chat_history', returnMessages: false, humanPrefix: 'Human', aiPrefix: 'AI', scope: 'file' };

describe('WorkspaceRoots through symbolic links', () => {
  const base = mkdtempSync(path.join(tmpdir(), 'prompt-chain-roots-'));
  after(() => rmSync(base, { recursive: true, force: true }));
  const real = path.join(base, 'project');
  const link = path.join(base, 'link');
  mkdirSync(path.join(real, 'prompts', 'inner'), { recursive: true });
  symlinkSync(real, link);
  const rootsOf = (...folders: string[]) => new WorkspaceRoots({ workspaceFolders: folders.map((f) => ({ uri: fileUri(f), name: path.basename(f) })) } as InitializeParams);

  test('a folder opened through a link holds its files named by their real path, and the other way round', () => {
    assert.equal(rootsOf(link).rootOf(path.join(real, 'prompts', 'a.prompt')), link);
    assert.equal(rootsOf(real).rootOf(path.join(link, 'prompts', 'a.prompt')), real);
    assert.equal(rootsOf(link).rootOf(path.join(base, 'elsewhere', 'b.prompt')), path.join(base, 'elsewhere'), 'outside: its own folder');
  });

  test('the innermost folder wins whichever way each is named', () => {
    const inner = path.join(link, 'prompts', 'inner');
    assert.equal(rootsOf(real, inner).rootOf(path.join(real, 'prompts', 'inner', 'c.prompt')), inner);
    assert.equal(rootsOf(inner, real).rootOf(path.join(real, 'prompts', 'c.prompt')), real);
  });

  test('a folder added later is resolved too; a removed one no longer holds anything', () => {
    const roots = rootsOf();
    roots.onDidChange({ added: [{ uri: fileUri(link), name: 'link' }], removed: [] });
    assert.equal(roots.rootOf(path.join(real, 'prompts', 'a.prompt')), link);
    roots.onDidChange({ added: [], removed: [{ uri: fileUri(link), name: 'link' }] });
    assert.equal(roots.rootOf(path.join(real, 'prompts', 'a.prompt')), path.join(real, 'prompts'));
  });

  test('the editor, with the folder opened through a link, shares the conversation the CLI keeps for the folder', async () => {
    const stateDir = path.join(base, 'state');
    const file = path.join(real, 'prompts', 'chat.prompt');
    const editor = (await new Conversations(rootsOf(link), stateDir, new HistoryAttachments({}, true, undefined, () => undefined), () => undefined).open(fileUri(file), memory)).conversation as StoredConversation;
    assert.equal(editor.identity.file, 'prompts/chat.prompt');
    await editor.append({ input: 'hi', output: 'there' });
    const cli = openConversation({ stateDir: workspaceStateDir(stateDir, real), workspaceRoot: real, filePath: file, memory });
    assert.deepEqual(await cli.load(), [{ input: 'hi', output: 'there' }]);
  });
});
