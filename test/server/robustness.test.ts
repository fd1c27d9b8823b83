// Whatever a client sends, the server keeps answering: binary junk, a huge document, requests at
// positions that do not exist, unknown commands. Each case ends with a normal request that must answer.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Hover } from 'vscode-languageserver/node';
import { ensureServerBuilt, LspClient, hangGuardMs } from './lspClient';
import { completionExample, mismatchedPrompt } from './prompts';

const healthyUri = 'untitled:healthy.prompt';

/** Deterministic junk: control characters, NULs, lone surrogates, braces and fences. */
function binaryJunk(length: number): string {
  let seed = 42;
  const pieces = ['\u0000', '\uD800', '\uDFFF', '{', '}', '{{', '---\n', ':', '\r', '\n', '\uFFFD', 'system:\n', 'é'];
  let text = '';
  while (text.length < length) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    text += seed % 3 === 0 ? pieces[seed % pieces.length] : String.fromCharCode(seed % 0x3000);
  }
  return text;
}

describe('the server survives bad input', { timeout: hangGuardMs }, () => {
  let client: LspClient;
  before(async () => {
    ensureServerBuilt();
    client = await LspClient.start({ pull: true });
    await client.open(healthyUri, completionExample, 1);
  });
  after(() => client.stop());

  async function stillAnswers(): Promise<void> {
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: healthyUri }, position: { line: 6, character: 3 } });
    assert.ok(hover, 'a following request on a healthy document still answers');
  }

  test('binary junk gets diagnostics and every feature answers', async () => {
    const uri = 'untitled:junk.prompt';
    const text = binaryJunk(20_000);
    await client.open(uri, text, 1);
    assert.ok(Array.isArray(await client.pulledDiagnostics(uri)));
    const position = { line: 3, character: 5 };
    const textDocument = { uri };
    await Promise.all([
      client.request('textDocument/hover', { textDocument, position }),
      client.request('textDocument/completion', { textDocument, position }),
      client.request('textDocument/documentSymbol', { textDocument }),
      client.request('textDocument/foldingRange', { textDocument }),
      client.request('textDocument/semanticTokens/full', { textDocument }),
      client.request('textDocument/codeLens', { textDocument }),
      client.request('textDocument/codeAction', { textDocument, range: { start: position, end: position }, context: { diagnostics: [] } }),
    ]);
    assert.deepEqual(client.errorLogs(), [], 'no feature failed on the junk');
    await stillAnswers();
  });

  test('a huge document (5 MB) is validated and the server stays responsive', async () => {
    const uri = 'untitled:huge.prompt';
    const line = 'Human: {human_input} and some filler text for a long prompt\n';
    await client.open(uri, mismatchedPrompt + line.repeat(Math.ceil((5 * 1024 * 1024) / line.length)), 1);
    const diagnostics = await client.pulledDiagnostics(uri);
    assert.ok(diagnostics.some((d) => JSON.stringify(d.message).includes('chat_history')));
    await stillAnswers();
  });

  test('positions past the end of the document get empty answers', async () => {
    const position = { line: 10_000, character: 10_000 };
    const textDocument = { uri: healthyUri };
    assert.equal(await client.request('textDocument/hover', { textDocument, position }), null);
    await client.request('textDocument/prepareRename', { textDocument, position });
    await stillAnswers();
  });

  test('an unknown command or malformed arguments are errors, not crashes', async () => {
    await assert.rejects(client.executeCommand('promptChain.doesNotExist', {}), /Unknown command/);
    await assert.rejects(client.request('workspace/executeCommand', { command: 'promptChain.showMemory', arguments: ['not an object'] }), /argument object/);
    await assert.rejects(client.executeCommand('promptChain.runTurn', { uri: 42, input: 'x' }), /"uri"/);
    await stillAnswers();
  });

  test('settings of the wrong shape fall back to the defaults', async () => {
    await client.changeSettings({ defaultMemoryKey: 42 as unknown as string, models: 'gpt-4o' as unknown as string[] });
    const uri = 'untitled:bad-settings.prompt';
    await client.open(uri, completionExample, 1);
    assert.deepEqual(await client.pulledDiagnostics(uri), []);
    await stillAnswers();
  });
});
