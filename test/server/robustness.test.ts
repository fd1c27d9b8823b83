// Whatever a client sends, the server keeps answering: binary junk, a 50 MB document, documents it never
// saw, positions that do not exist, malformed parameters, unknown commands and malformed arguments. Each
// case ends with a normal request that must answer, and no feature may have failed (logged an error).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Hover } from 'vscode-languageserver/node';
import { ensureServerBuilt, LspClient, hangGuardMs } from './lspClient';
import { completionExample, mismatchedPrompt } from './prompts';

const healthyUri = 'untitled:healthy.prompt';

interface ResponseErrorShape {
  code: number;
  message: string;
}

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

  test('a huge document (50 MB) is validated, its features answer and the server stays responsive', async () => {
    const uri = 'untitled:huge.prompt';
    const line = 'Human: {human_input} and some filler text for a long prompt\n';
    await client.open(uri, mismatchedPrompt + line.repeat(Math.ceil((50 * 1024 * 1024) / line.length)), 1);
    const diagnostics = await client.pulledDiagnostics(uri);
    assert.ok(diagnostics.some((d) => JSON.stringify(d.message).includes('chat_history')));
    const textDocument = { uri };
    const position = { line: 6, character: 3 };
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument, position });
    assert.match(JSON.stringify(hover?.contents), /Did you mean/);
    await Promise.all([
      client.request('textDocument/codeLens', { textDocument }),
      client.request('textDocument/documentSymbol', { textDocument }),
      client.request('textDocument/foldingRange', { textDocument }),
      client.request('textDocument/completion', { textDocument, position: { line: 100_000, character: 8 } }),
    ]);
    await client.close(uri);
    assert.deepEqual(client.errorLogs(), []);
    await stillAnswers();
  });

  test('requests for documents that were never opened get the empty answer of each request', async () => {
    const textDocument = { uri: 'file:///nowhere/never-opened.prompt' };
    const position = { line: 0, character: 0 };
    const range = { start: position, end: position };
    assert.deepEqual(await client.pulledDiagnostics(textDocument.uri), []);
    assert.equal(await client.request('textDocument/hover', { textDocument, position }), null);
    assert.equal(await client.request('textDocument/completion', { textDocument, position }), null);
    assert.deepEqual(await client.request('textDocument/definition', { textDocument, position }), []);
    assert.deepEqual(await client.request('textDocument/references', { textDocument, position, context: { includeDeclaration: true } }), []);
    assert.equal(await client.request('textDocument/prepareRename', { textDocument, position }), null);
    assert.equal(await client.request('textDocument/rename', { textDocument, position, newName: 'x' }), null);
    assert.deepEqual(await client.request('textDocument/documentSymbol', { textDocument }), []);
    assert.deepEqual(await client.request('textDocument/foldingRange', { textDocument }), []);
    assert.deepEqual(await client.request('textDocument/codeAction', { textDocument, range, context: { diagnostics: [] } }), []);
    assert.deepEqual(await client.request('textDocument/codeLens', { textDocument }), []);
    assert.deepEqual(await client.request('textDocument/semanticTokens/full', { textDocument }), { data: [] });
    const requestFailed = (name: string) => (e: ResponseErrorShape) => e.code === -32803 && e.message.includes(name);
    await assert.rejects(client.executeCommand('promptChain.showMemory', textDocument), requestFailed('never-opened.prompt'));
    await assert.rejects(client.executeCommand('promptChain.clearMemory', { uri: 'untitled:Untitled-9' }), requestFailed('Untitled-9'));
    await assert.rejects(client.executeCommand('promptChain.runTurn', { uri: 'not a uri', input: 'x' }), requestFailed('not a uri'));
    assert.deepEqual(client.errorLogs(), []);
    await stillAnswers();
  });

  test('positions outside the document, before or past it, are answered as at its edge', async () => {
    const textDocument = { uri: healthyUri };
    assert.equal(await client.request('textDocument/hover', { textDocument, position: { line: 10_000, character: 10_000 } }), null);
    // Past the end of line 2 is its end (LSP's rule), on the memory key; before the start is the opening fence.
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument, position: { line: 2, character: 10_000 } });
    assert.match(JSON.stringify(hover?.contents), /conversation history from memory/);
    const positions = [{ line: 10_000, character: 10_000 }, { line: 2, character: 10_000 }, { line: -1, character: -5 }];
    for (const position of positions) {
      await client.request('textDocument/hover', { textDocument, position });
      await client.request('textDocument/completion', { textDocument, position });
      await client.request('textDocument/definition', { textDocument, position });
      await client.request('textDocument/references', { textDocument, position, context: { includeDeclaration: true } });
      await client.request('textDocument/prepareRename', { textDocument, position });
      // Where nothing can be renamed the answer is RequestFailed with the reason.
      await client.request('textDocument/rename', { textDocument, position, newName: 'renamed' }).catch((e: ResponseErrorShape) => assert.equal(e.code, -32803));
      await client.request('textDocument/codeAction', { textDocument, range: { start: position, end: position }, context: { diagnostics: [] } });
    }
    assert.deepEqual(client.errorLogs(), []);
    await stillAnswers();
  });

  test('malformed request parameters are answered InvalidParams naming what to send, nothing logged', async () => {
    const textDocument = { uri: healthyUri };
    const position = { line: 6, character: 3 };
    const here = { start: position, end: position };
    const invalidParams = (method: string, what: string) => (e: ResponseErrorShape) =>
      e.code === -32602 && e.message === `${method} needs ${what}.`;
    const needsDocument = '"textDocument" as { "uri": string }';
    const needsPosition = '"position" as { "line": integer, "character": integer }';
    const needsRange = '"range" as { "start": position, "end": position }';
    await assert.rejects(client.request('textDocument/hover', {}), invalidParams('textDocument/hover', needsDocument));
    await assert.rejects(client.request('textDocument/hover', { textDocument: { uri: 42 }, position }), invalidParams('textDocument/hover', needsDocument));
    for (const method of ['textDocument/hover', 'textDocument/completion', 'textDocument/definition', 'textDocument/references', 'textDocument/prepareRename']) {
      await assert.rejects(client.request(method, { textDocument }), invalidParams(method, needsPosition));
      await assert.rejects(client.request(method, { textDocument, position: { line: '6', character: 3 } }), invalidParams(method, needsPosition));
    }
    await assert.rejects(client.request('textDocument/rename', { textDocument, newName: 'x' }), invalidParams('textDocument/rename', needsPosition));
    await assert.rejects(client.request('textDocument/rename', { textDocument, position }), invalidParams('textDocument/rename', '"newName" as a string'));
    await assert.rejects(client.request('textDocument/references', { textDocument, position, context: 5 }), invalidParams('textDocument/references', '"context" as { "includeDeclaration": boolean }'));
    for (const method of ['textDocument/diagnostic', 'textDocument/documentSymbol', 'textDocument/foldingRange', 'textDocument/semanticTokens/full', 'textDocument/codeLens']) {
      await assert.rejects(client.request(method, { textDocument: 'untitled:healthy.prompt' }), invalidParams(method, needsDocument));
    }
    await assert.rejects(client.request('textDocument/codeAction', { textDocument, context: { diagnostics: [] } }), invalidParams('textDocument/codeAction', needsRange));
    await assert.rejects(client.request('textDocument/codeAction', { textDocument, range: here, context: { diagnostics: 5 } }), invalidParams('textDocument/codeAction', '"context" as { "diagnostics": Diagnostic[] }'));
    // What LSP requires but a lax client may leave out is answered as most clients ask.
    assert.deepEqual(await client.request('textDocument/codeAction', { textDocument, range: here }), []);
    assert.ok((await client.request<unknown[]>('textDocument/references', { textDocument, position })).length > 0);
    const mangled = [null, { range: null, message: 5, code: 'unprovided-variable', data: { name: 7 } }, { message: 'no range', code: 'memory-key-unused' }];
    assert.deepEqual(await client.request('textDocument/codeAction', { textDocument, range: here, context: { diagnostics: mangled } }), []);
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: 'untitled:never', version: 3 }, contentChanges: [{ text: 'x' }] });
    await client.connection.sendNotification('workspace/didChangeWorkspaceFolders', { event: null });
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    assert.deepEqual(client.errorLogs(), []);
    await stillAnswers();
  });

  test('an unknown command or malformed arguments are InvalidParams naming what to send', async () => {
    const invalidParams = (what: RegExp) => (e: ResponseErrorShape) => e.code === -32602 && what.test(e.message);
    await assert.rejects(client.executeCommand('promptChain.doesNotExist', {}), invalidParams(/Unknown command/));
    await assert.rejects(client.executeCommand('__proto__', {}), invalidParams(/Unknown command/));
    await assert.rejects(client.request('workspace/executeCommand', {}), invalidParams(/^workspace\/executeCommand needs a `command`: one of promptChain\.runTurn, /));
    await assert.rejects(client.executeCommand('bad\nname', {}), invalidParams(/^Unknown command "bad\\nname": send one of promptChain\./));
    await assert.rejects(client.request('workspace/executeCommand', { command: 'promptChain.showMemory', arguments: ['not an object'] }), invalidParams(/argument object/));
    await assert.rejects(client.request('workspace/executeCommand', { command: 'promptChain.runTurn' }), invalidParams(/argument object/));
    await assert.rejects(client.request('workspace/executeCommand', { command: 'promptChain.clearMemory', arguments: [null] }), invalidParams(/argument object/));
    await assert.rejects(client.executeCommand('promptChain.runTurn', { uri: 42, input: 'x' }), invalidParams(/"uri"/));
    await assert.rejects(client.executeCommand('promptChain.runTurn', { uri: healthyUri }), invalidParams(/"input"/));
    await assert.rejects(client.executeCommand('promptChain.runTurn', { uri: healthyUri, input: 'x', variables: ['a'] }), invalidParams(/"variables"/));
    await assert.rejects(client.executeCommand('promptChain.runTurn', { uri: healthyUri, input: 'x', variables: { a: 1 } }), invalidParams(/"variables"/));
    await assert.rejects(client.executeCommand('promptChain.runTurn', { uri: healthyUri, input: 'x', turnId: 7 }), invalidParams(/"turnId"/));
    await assert.rejects(client.executeCommand('promptChain.showMemory', {}), invalidParams(/"uri"/));
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
