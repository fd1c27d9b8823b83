// package.json's contributions against the code and files they point to: a command without a handler, a
// setting whose default disagrees with the server's, or a grammar path that moved fail here, not in VS Code.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { panelScriptPath } from '../../client/src/panel/html';
import { defaultSettings } from '../../server/src/protocol';
import { exportCommand, importCommand } from '../../core/interop/types';

const root = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const commandIds = [
  'promptChain.runChatTurn',
  'promptChain.openChatPanel',
  'promptChain.clearConversationMemory',
  'promptChain.showConversationMemory',
  'promptChain.setApiKey',
  'promptChain.selectModel',
  'promptChain.previewFormattedPrompt',
  'promptChain.newPromptFile',
  'promptChain.addHistoryStore',
  'promptChain.pickHistorySession',
  'promptChain.installLocalRuntime',
];
/** Export… and Import…, registered by client/src/exportImport.ts under the ids core declares (the quick fix runs Import…). */
const interopCommandIds = [exportCommand, importCommand];
/** Commands that need no `.prompt` editor: shown in the palette everywhere. */
const anywhere = ['promptChain.setApiKey', 'promptChain.newPromptFile', importCommand, 'promptChain.addHistoryStore', 'promptChain.installLocalRuntime'];

describe('commands', () => {
  test('every command is contributed in the Prompt Chain category and registered by the extension', () => {
    const contributed = manifest.contributes.commands as { command: string; category: string; title: string }[];
    assert.deepEqual(contributed.map((c) => c.command).sort(), [...commandIds, ...interopCommandIds].sort());
    for (const c of contributed) assert.equal(c.category, 'Prompt Chain');
    const extension = readFileSync(join(root, 'client/src/extension.ts'), 'utf8');
    for (const id of commandIds) assert.ok(extension.includes(`'${id}'`), `${id} is registered`);
    const exportImport = readFileSync(join(root, 'client/src/exportImport.ts'), 'utf8');
    for (const name of ['exportCommand', 'importCommand']) assert.ok(exportImport.includes(`registerCommand(${name},`), `${name} is registered`);
    assert.ok(extension.includes('registerExportImport('));
    assert.deepEqual(
      interopCommandIds.map((id) => contributed.find((c) => c.command === id)?.title),
      ['Export…', 'Import…'],
    );
  });

  test('file commands appear only for .prompt editors; Set API Key, New Prompt File, Import… and Install Local Model Runtime everywhere', () => {
    const palette = manifest.contributes.menus.commandPalette as { command: string; when?: string }[];
    for (const id of [...commandIds, ...interopCommandIds].filter((c) => !anywhere.includes(c))) {
      assert.equal(palette.find((entry) => entry.command === id)?.when, 'editorLangId == langchain-prompt', id);
    }
    for (const id of anywhere) assert.equal(palette.some((entry) => entry.command === id), false, id);
    assert.deepEqual(manifest.contributes.menus['editor/title'], [
      { command: 'promptChain.runChatTurn', when: 'editorLangId == langchain-prompt', group: 'navigation' },
      { command: 'promptChain.previewFormattedPrompt', when: 'editorLangId == langchain-prompt', group: 'navigation' },
    ]);
    assert.deepEqual(manifest.contributes.menus['editor/context'], [
      { command: 'promptChain.previewFormattedPrompt', when: 'editorLangId == langchain-prompt', group: 'promptChain' },
      { command: exportCommand, when: 'editorLangId == langchain-prompt', group: 'promptChain' },
    ]);
    const explorer = manifest.contributes.menus['explorer/context'] as { command: string; when: string }[];
    assert.deepEqual(explorer.map((entry) => entry.command), [exportCommand, importCommand]);
    assert.deepEqual(manifest.contributes.menus['file/newFile'], [{ command: 'promptChain.newPromptFile', group: 'file' }]);
  });
});

describe('settings', () => {
  const properties = manifest.contributes.configuration.properties as Record<string, { default: unknown; scope?: string; markdownDescription?: string }>;

  test('the endpoint is a user/machine setting that untrusted workspaces cannot set', () => {
    assert.equal(properties['promptChain.baseUrl']?.scope, 'machine');
    assert.deepEqual(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations, ['promptChain.baseUrl']);
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
  });

  test('shared history stores are user settings only: no workspace or folder can add or redirect one', () => {
    assert.equal(properties['promptChain.historyStores']?.scope, 'application');
    assert.deepEqual(properties['promptChain.historyStores']?.default, {});
  });

  test('every setting the server reads is contributed, with the server\'s default, and documented', () => {
    const { trace, ...flat } = defaultSettings;
    for (const [key, value] of Object.entries(flat)) assert.deepEqual(properties[`promptChain.${key}`]?.default, value, key);
    assert.equal(properties['promptChain.trace.server']?.default, trace.server);
    for (const [key, property] of Object.entries(properties)) assert.ok(property.markdownDescription, `${key} has a markdownDescription`);
  });
});

describe('packaging', () => {
  test('.vscodeignore allowlists the bundles the extension loads, the chat panel\'s script among them', () => {
    const allowed = readFileSync(join(root, '.vscodeignore'), 'utf8').split('\n').filter((line) => line.startsWith('!'));
    for (const path of [manifest.main.replace(/^\.\//, ''), 'dist/server.js', panelScriptPath.join('/')]) {
      assert.ok(allowed.includes(`!${path}`), `${path} is packaged`);
    }
    assert.equal(allowed.some((line) => /^!dist\/(\*|cli\.js|.*\.vsix)/.test(line)), false, 'not the CLI, the .vsix or all of dist');
  });
});

describe('language', () => {
  test('the grammar, language configuration and icons exist where the manifest says', () => {
    const [grammar] = manifest.contributes.grammars as { scopeName: string; path: string }[];
    assert.equal(JSON.parse(readFileSync(join(root, grammar!.path), 'utf8')).scopeName, grammar!.scopeName);
    const [language] = manifest.contributes.languages as { id: string; extensions: string[]; configuration: string }[];
    assert.deepEqual([language!.id, language!.extensions], ['langchain-prompt', ['.prompt']]);
    JSON.parse(readFileSync(join(root, language!.configuration), 'utf8'));
    assert.ok(existsSync(join(root, manifest.icon)));
  });

  test('the chat panel is restored after a reload: its serializer activates the extension', () => {
    assert.ok(manifest.activationEvents.includes('onWebviewPanel:promptChain.chatPanel'));
    assert.ok(manifest.activationEvents.includes('onLanguage:langchain-prompt'));
  });
});
