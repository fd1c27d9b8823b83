// Validation that takes long (a big prompt tokenized for the first time) through the real server: it
// runs in slices, so other requests are answered meanwhile, and it stops when it is no longer wanted — the
// pull request was cancelled, or the document changed. A client that can be asked to pull again is
// answered at once (provisionally, the count estimated) and asked again when the count is done; one that
// cannot waits for it. Ordering is what is asserted, never a duration.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LSPErrorCodes, type Diagnostic, type Hover } from 'vscode-languageserver/node';
import { CancellationTokenSource, ensureServerBuilt, LspClient, hangGuardMs } from './lspClient';
import { mismatchedPrompt } from './prompts';

/** A prompt the tokenizer takes a while over: 200,000 seeded random letters nothing has counted before. */
function hugePrompt(seed: number): string {
  let state = seed;
  const letters = Array.from({ length: 200_000 }, () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return String.fromCharCode(97 + (state % 26));
  });
  return `---\nmodel: gpt-4\nmemory: false\n---\nAnswer {question} using this: ${letters.join('')}\n`;
}

const small = 'untitled:small.prompt';
const onHistory = { textDocument: { uri: small }, position: { line: 6, character: 2 } };

describe('long validation, for a client that cannot be asked to pull again', { timeout: hangGuardMs }, () => {
  let client: LspClient;
  before(async () => {
    ensureServerBuilt();
    client = await LspClient.start({ pull: true, pullRefresh: false, env: remoteEndpoint });
    await client.open(small, mismatchedPrompt);
  });
  after(() => client.stop());

  test('a hover on a small file is answered while a huge file is being validated', async () => {
    const uri = 'untitled:huge-1.prompt';
    await client.open(uri, hugePrompt(1));
    const answered: string[] = [];
    const diagnostics = client.pulledDiagnostics(uri).then((items) => {
      answered.push('diagnostics');
      return items;
    });
    const hover = await client.request<Hover | null>('textDocument/hover', onHistory);
    answered.push('hover');
    assert.ok(hover);
    const items = await diagnostics;
    assert.deepEqual(answered, ['hover', 'diagnostics']);
    assert.ok(items.some((d) => d.code === 'context-window-exceeded'));
  });

  test('a cancelled pull-diagnostics request ends with RequestCancelled; the next one completes', async () => {
    const uri = 'untitled:huge-2.prompt';
    await client.open(uri, hugePrompt(2));
    const source = new CancellationTokenSource();
    const pulled = client.request<{ items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri } }, source);
    // Answered while the validation runs: the server is busy with it when the cancel arrives.
    assert.ok(await client.request<Hover | null>('textDocument/hover', onHistory));
    source.cancel();
    await assert.rejects(pulled, (error: { code?: number }) => error.code === LSPErrorCodes.RequestCancelled);
    const items = await client.pulledDiagnostics(uri);
    assert.ok(items.some((d) => d.code === 'context-window-exceeded'));
    assert.deepEqual(client.errorLogs(), []);
  });

  test('an edit during validation ends the request with ServerCancelled, asking the client to pull again', async () => {
    const uri = 'untitled:huge-3.prompt';
    await client.open(uri, hugePrompt(3), 1);
    const pulled = client.pulledDiagnostics(uri);
    assert.ok(await client.request<Hover | null>('textDocument/hover', onHistory));
    await client.change(uri, 2, mismatchedPrompt);
    await assert.rejects(pulled, (error: { code?: number; data?: { retriggerRequest?: boolean } }) => error.code === LSPErrorCodes.ServerCancelled && error.data?.retriggerRequest === true);
    const items = await client.pulledDiagnostics(uri);
    assert.deepEqual(items.map((d) => d.code).sort(), ['memory-key-unused', 'unprovided-variable']);
  });
});

describe('long validation, for a client that can be asked to pull again', { timeout: hangGuardMs }, () => {
  let client: LspClient;
  before(async () => {
    ensureServerBuilt();
    client = await LspClient.start({ pull: true, env: remoteEndpoint });
    await client.open(small, mismatchedPrompt);
  });
  after(() => client.stop());

  test('the pull is answered before the count is done, a hover meanwhile, and the exact count follows with a refresh', async () => {
    const uri = 'untitled:huge-4.prompt';
    await client.open(uri, hugePrompt(4));
    const since = client.serverRequests.items.length;
    const first = windowMessage(await client.pulledDiagnostics(uri));
    const answered: string[] = [];
    if (first.includes('the exact count follows')) {
      const refreshed = client.serverRequests.waitFor((method) => method === 'workspace/diagnostic/refresh', since).then(() => answered.push('refresh'));
      assert.ok(await client.request<Hover | null>('textDocument/hover', onHistory));
      answered.push('hover');
      await refreshed;
      assert.deepEqual(answered, ['hover', 'refresh']);
    }
    // The tokenizer has done it (200,000 letters without a word break: counted in pieces, so "about").
    assert.match(windowMessage(await client.pulledDiagnostics(uri)), /is about [\d,]+ tokens \(cl100k_base; a run of over 1,024 characters/);
    assert.deepEqual(client.errorLogs(), []);
  });
});

/** Turns go to an endpoint (none listens there: nothing is sent), so the file's model's window is the one checked. */
const remoteEndpoint = { OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' };

function windowMessage(items: readonly Diagnostic[]): string {
  const found = items.find((d) => d.code === 'context-window-exceeded');
  assert.ok(found, 'a context-window-exceeded diagnostic');
  return typeof found.message === 'string' ? found.message : found.message.value;
}
