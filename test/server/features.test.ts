// The editing features through the real server: what initialize announces, and rename, completion, hover,
// symbols and semantic tokens answered from the language service for an open document.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CompletionItem, CompletionList, DocumentSymbol, Hover, Range, SemanticTokens, WorkspaceEdit } from 'vscode-languageserver/node';
import { ensureServerBuilt, LspClient, hangGuardMs } from './lspClient';
import { completionExample } from './prompts';

const uri = 'untitled:features.prompt';
const doc = TextDocument.create(uri, 'prompt', 1, completionExample);
/** The position just inside `{chat_history}` in the template. */
const onChatHistory = doc.positionAt(completionExample.indexOf('{chat_history}') + 3);

describe('editing features over LSP', { timeout: hangGuardMs }, () => {
  let client: LspClient;
  before(async () => {
    ensureServerBuilt();
    client = await LspClient.start({ pull: true, settings: { models: ['gpt-4o-mini', 'llama3.2'] } });
    await client.open(uri, completionExample, 1);
  });
  after(() => client.stop());

  test('initialize announces every feature and the server commands', () => {
    const capabilities = client.initializeResult.capabilities;
    assert.equal(client.initializeResult.serverInfo?.name, 'prompt-chain-language-server');
    for (const provider of ['hoverProvider', 'definitionProvider', 'referencesProvider', 'documentSymbolProvider', 'foldingRangeProvider'] as const) {
      assert.ok(capabilities[provider], provider);
    }
    assert.deepEqual(capabilities.renameProvider, { prepareProvider: true });
    assert.ok(capabilities.completionProvider?.triggerCharacters?.includes('{'));
    assert.ok(capabilities.semanticTokensProvider?.legend.tokenTypes.length);
    assert.deepEqual(capabilities.executeCommandProvider?.commands, [
      'promptChain.runTurn',
      'promptChain.clearMemory',
      'promptChain.showMemory',
      'promptChain.formatPrompt',
      'promptChain.listModels',
      'promptChain.exportFile',
      'promptChain.importFile',
      'promptChain.listHistorySessions',
      'promptChain.attachHistorySession',
      'promptChain.listTests',
      'promptChain.runTests',
      'promptChain.compareModels',
      'promptChain.replayConversation',
      'promptChain.saveAsTest',
    ]);
  });

  test('renaming {chat_history} renames memory.key too, and the result is still clean', async () => {
    const prepared = await client.request<{ range: Range; placeholder: string } | null>('textDocument/prepareRename', {
      textDocument: { uri },
      position: onChatHistory,
    });
    assert.equal(prepared?.placeholder, 'chat_history');
    const edit = await client.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri }, position: onChatHistory, newName: 'conversation' });
    const renamed = TextDocument.applyEdits(doc, edit.changes![uri]!);
    assert.equal(renamed, completionExample.replaceAll('chat_history', 'conversation'));
    const check = 'untitled:renamed.prompt';
    await client.open(check, renamed, 1);
    assert.deepEqual(await client.pulledDiagnostics(check), []);
  });

  test('a rename to an invalid name is refused with the reason', async () => {
    await assert.rejects(
      client.request('textDocument/rename', { textDocument: { uri }, position: onChatHistory, newName: '9 lives' }),
      (error: { code: number; message: string }) => error.code === -32803 && error.message.includes('9 lives'),
    );
  });

  test('completion inside `{` offers the memory key and the input variable', async () => {
    const text = completionExample.replace('Chatbot:', 'Chatbot: {');
    const completionUri = 'untitled:completion.prompt';
    await client.open(completionUri, text, 1);
    const position = TextDocument.create(completionUri, 'prompt', 1, text).positionAt(text.length - 1);
    const result = await client.request<CompletionItem[] | CompletionList | null>('textDocument/completion', {
      textDocument: { uri: completionUri },
      position,
      context: { triggerKind: 2, triggerCharacter: '{' },
    });
    const labels = (Array.isArray(result) ? result : (result?.items ?? [])).map((item) => item.label);
    assert.ok(labels.includes('chat_history') && labels.includes('human_input'), `got ${JSON.stringify(labels)}`);
  });

  test('completion of `model:` offers the models from the settings', async () => {
    const text = `---\nmodel: \n---\nHello {name}\n`;
    const modelUri = 'untitled:model-completion.prompt';
    await client.open(modelUri, text, 1);
    const result = await client.request<CompletionItem[] | CompletionList | null>('textDocument/completion', {
      textDocument: { uri: modelUri },
      position: { line: 1, character: 7 },
    });
    const labels = (Array.isArray(result) ? result : (result?.items ?? [])).map((item) => item.label);
    assert.ok(labels.includes('llama3.2'), `got ${JSON.stringify(labels)}`);
  });

  test('hover on the memory variable says it comes from memory', async () => {
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: onChatHistory });
    assert.ok(hover);
    const text = JSON.stringify(hover.contents);
    assert.match(text, /memory/i);
  });

  test('document symbols, folding ranges and semantic tokens answer for the document', async () => {
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.ok(symbols.length > 0);
    const tokens = await client.request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri } });
    assert.equal(tokens.data.length % 5, 0);
    assert.ok(tokens.data.length >= 10, 'both template variables are tokens');
  });

  test('a request for a document that is not open gets the empty answer', async () => {
    const hover = await client.request('textDocument/hover', { textDocument: { uri: 'untitled:nope.prompt' }, position: { line: 0, character: 0 } });
    assert.equal(hover, null);
  });
});
