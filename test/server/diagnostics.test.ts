// Diagnostics through the real server over stdio: pushed with the version they describe, pulled on
// request, recomputed when the settings change; the quick fix for the headline mismatch makes it clean.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Diagnostic } from 'vscode-languageserver/node';
import { ensureServerBuilt, LspClient, hangGuardMs } from './lspClient';
import { completionExample, defaultKeyPrompt, mismatchedPrompt } from './prompts';

/** The diagnostics that point at the `{history}` line of the mismatched prompt. */
function onHistoryLine(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.range.start.line === 6);
}

function mentions(diagnostics: Diagnostic[], text: string): boolean {
  return diagnostics.some((d) => (typeof d.message === 'string' ? d.message : d.message.value).includes(text));
}

describe('pushed diagnostics (client without pull support)', { timeout: hangGuardMs }, () => {
  let client: LspClient;
  before(async () => {
    ensureServerBuilt();
    client = await LspClient.start({ pull: false, initializationOptions: { diagnosticsDelayMs: 20 } });
  });
  after(() => client.stop());

  test('the {history} vs chat_history mismatch is published for the version that has it', async () => {
    const uri = 'untitled:push-mismatch.prompt';
    await client.open(uri, mismatchedPrompt, 1);
    const diagnostics = await client.pushedDiagnostics(uri, 1);
    assert.deepEqual(diagnostics.map((d) => d.code).sort(), ['memory-key-unused', 'unprovided-variable']);
    const unprovided = diagnostics.find((d) => d.code === 'unprovided-variable')!;
    assert.deepEqual(unprovided.range, { start: { line: 6, character: 0 }, end: { line: 6, character: 9 } }, 'exactly `{history}`');
    assert.ok(mentions([unprovided], 'Did you mean {chat_history}?'), 'the message suggests the memory key');
  });

  test('an edit publishes the new version’s diagnostics, not the old ones', async () => {
    const uri = 'untitled:push-edit.prompt';
    await client.open(uri, mismatchedPrompt, 1);
    assert.ok((await client.pushedDiagnostics(uri, 1)).length > 0);
    await client.change(uri, 2, completionExample);
    assert.deepEqual(await client.pushedDiagnostics(uri, 2), []);
  });

  test('typing fast: the last version is the one published', async () => {
    const uri = 'untitled:push-burst.prompt';
    await client.open(uri, completionExample, 1);
    await client.change(uri, 2, mismatchedPrompt);
    await client.change(uri, 3, completionExample.replace('Chatbot:', 'Bot:'));
    await client.change(uri, 4, mismatchedPrompt);
    const diagnostics = await client.pushedDiagnostics(uri, 4);
    assert.ok(onHistoryLine(diagnostics).length > 0);
    const published = client.diagnostics.items.filter((p) => p.uri === uri).map((p) => p.version ?? 0);
    assert.deepEqual(published, [...published].sort((a, b) => a - b), 'versions are published in order, never an older one after a newer');
  });

  test('a settings change re-validates open documents', async () => {
    const uri = 'untitled:push-settings.prompt';
    await client.open(uri, defaultKeyPrompt, 1);
    // The default memory key is `history`: `{chat_history}` is then a variable nothing provides.
    assert.ok((await client.pushedDiagnostics(uri, 1)).length > 0);
    const since = client.diagnostics.items.length;
    await client.changeSettings({ defaultMemoryKey: 'chat_history' });
    assert.deepEqual(await client.pushedDiagnostics(uri, 1, since), []);
    await client.changeSettings({});
  });

  test("code actions asked with an older version's diagnostics are refused; the current ones are fixed, CRLF kept", async () => {
    const uri = 'untitled:push-stale-fix.prompt';
    const v1 = '---\nmemory: false\n---\nsystem:\nBe brief.\nSystem:\nhuman:\n{input}\n';
    await client.open(uri, v1, 1);
    const stale = (await client.pushedDiagnostics(uri, 1)).filter((d) => d.code === 'header-lookalike');
    assert.equal(stale.length, 1);
    // The editor's next version: a line above the finding, and CRLF line breaks.
    const v2 = v1.replace('Be brief.', 'Be brief.\nVery.').replaceAll('\n', '\r\n');
    await client.change(uri, 2, v2);
    const askFixes = (diagnostics: Diagnostic[]) =>
      client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: diagnostics[0]!.range, context: { diagnostics } });
    assert.deepEqual(await askFixes(stale), [], 'the old diagnostics point one line too high in version 2');
    const current = (await client.pushedDiagnostics(uri, 2)).filter((d) => d.code === 'header-lookalike');
    const [fix] = await askFixes(current);
    assert.ok(fix?.edit?.changes?.[uri]);
    const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'prompt', 2, v2), fix.edit.changes[uri]);
    assert.equal(fixed, v2.replace('System:', 'system:'));
  });

  test('closing a document clears its diagnostics', async () => {
    const uri = 'untitled:push-close.prompt';
    await client.open(uri, mismatchedPrompt, 1);
    await client.pushedDiagnostics(uri, 1);
    const since = client.diagnostics.items.length;
    await client.close(uri);
    const cleared = await client.diagnostics.waitFor((p) => p.uri === uri, since);
    assert.deepEqual(cleared.diagnostics, []);
  });
});

describe('pulled diagnostics (client with textDocument/diagnostic)', { timeout: hangGuardMs }, () => {
  let client: LspClient;
  before(async () => {
    ensureServerBuilt();
    client = await LspClient.start({ pull: true });
  });
  after(() => client.stop());

  test('the server announces pull diagnostics and answers for the current version', async () => {
    assert.ok(client.initializeResult.capabilities.diagnosticProvider);
    const uri = 'untitled:pull.prompt';
    await client.open(uri, mismatchedPrompt, 1);
    assert.ok(mentions(onHistoryLine(await client.pulledDiagnostics(uri)), 'chat_history'));
    await client.change(uri, 2, completionExample);
    assert.deepEqual(await client.pulledDiagnostics(uri), []);
    assert.equal(client.diagnostics.items.length, 0, 'nothing is pushed to a client that pulls');
  });

  test('the quick fix renames {history} to the memory key and the document is clean', async () => {
    const uri = 'untitled:quickfix.prompt';
    await client.open(uri, mismatchedPrompt, 1);
    const diagnostics = onHistoryLine(await client.pulledDiagnostics(uri));
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: diagnostics[0]!.range,
      context: { diagnostics, only: ['quickfix'] },
    });
    const rename = actions.find((a) => a.kind === 'quickfix' && a.edit && a.title.includes('chat_history'));
    assert.ok(rename, `expected a quick fix naming chat_history, got ${JSON.stringify(actions.map((a) => a.title))}`);
    const edits = rename.edit!.changes![uri]!;
    const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'prompt', 1, mismatchedPrompt), edits);
    assert.equal(fixed, completionExample);
    await client.change(uri, 2, fixed);
    assert.deepEqual(await client.pulledDiagnostics(uri), []);
  });

  test('a settings change asks the client to pull again, and the new pull reflects it', async () => {
    const uri = 'untitled:pull-settings.prompt';
    await client.open(uri, defaultKeyPrompt, 1);
    assert.ok((await client.pulledDiagnostics(uri)).length > 0);
    const since = client.serverRequests.items.length;
    await client.changeSettings({ defaultMemoryKey: 'chat_history' });
    await client.serverRequests.waitFor((method) => method === 'workspace/diagnostic/refresh', since);
    assert.deepEqual(await client.pulledDiagnostics(uri), []);
    await client.changeSettings({});
  });

  test('diagnostics of a document that is not open are empty', async () => {
    assert.deepEqual(await client.pulledDiagnostics('untitled:never-opened.prompt'), []);
  });
});
