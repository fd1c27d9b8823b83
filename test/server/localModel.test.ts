// The language server with no endpoint and no key: promptChain.runTurn runs the turn in-process on the
// local model (the real node-llama-cpp binding, on the tiny GGUF the tests write), streams it, stores it;
// turnInputs and listModels say `local`; the context-window rule takes the model file's own window; a hub
// model downloads on its first turn with progress the editor shows; the default model, not downloadable
// here, fails with the offline line and leaves memory alone.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { ListModelsResult, RunTurnResult, ShowMemoryResult, TurnInputsResult } from '../../server/src/protocol';
import { resolvePath, sendFile, startModelHub, type ModelHub } from '../support/modelHub';
import { tinyGreedyReply, tinyModelBytes, writeTinyModel } from '../support/tinyGguf';
import { ensureServerBuilt, fileUri, hangGuardMs, LspClient } from './lspClient';

interface ResponseErrorShape {
  message: string;
  data?: { kind?: string; reason?: string };
}

const chatExample = readFileSync(path.join(__dirname, '../../examples/chatbot-chat.prompt'), 'utf8');

/** The notebook's chat example on the tiny model, decoded greedily so the reply is known. */
function localPrompt(modelPath: string, extra = ''): string {
  return chatExample.replace('---\nmemory:', `---\nmodel: local:${modelPath}\nparameters:\n  temperature: 0${extra}\nmemory:`);
}

describe('local turns over LSP (no endpoint, no key)', { timeout: hangGuardMs }, () => {
  let client: LspClient;
  let workspace: string;
  let modelPath: string;
  let localUri: string;
  let defaultUri: string;
  let modelsDir: string;
  let hub: ModelHub;

  before(async () => {
    hub = await startModelHub();
    ensureServerBuilt();
    workspace = mkdtempSync(path.join(tmpdir(), 'prompt-chain-local-lsp-'));
    modelPath = path.join(workspace, 'tiny.gguf');
    writeTinyModel(modelPath, { contextLength: 256 });
    modelsDir = path.join(workspace, 'models');
    const localFile = path.join(workspace, 'local.prompt');
    writeFileSync(localFile, localPrompt(modelPath));
    localUri = fileUri(localFile);
    const defaultFile = path.join(workspace, 'default.prompt');
    writeFileSync(defaultFile, chatExample);
    defaultUri = fileUri(defaultFile);
    client = await LspClient.start({
      pull: true,
      workspaceFolder: workspace,
      env: {
        OPENAI_BASE_URL: undefined,
        OPENAI_API_KEY: undefined,
        PROMPT_CHAIN_LOCAL_MODEL: undefined,
        PROMPT_CHAIN_MODELS_DIR: modelsDir,
        HF_ENDPOINT: hub.url,
        XDG_STATE_HOME: path.join(workspace, 'xdg'),
      },
      initializationOptions: { stateDir: path.join(workspace, 'state') },
    });
    await client.open(localUri, localPrompt(modelPath), 1);
  });
  after(async () => {
    await client.stop();
    await hub.close();
    rmSync(workspace, { recursive: true, force: true });
  });

  const memory = (uri: string) => client.executeCommand<ShowMemoryResult>('promptChain.showMemory', { uri });

  test('turnInputs names the local model and the `local` endpoint', async () => {
    const inputs = await client.request<TurnInputsResult>('promptChain/turnInputs', { uri: localUri });
    assert.equal(inputs.model, 'local:tiny.gguf');
    assert.equal(inputs.endpoint.label, 'local');
    const defaults = await client.request<TurnInputsResult>('promptChain/turnInputs', { uri: defaultUri });
    // Nothing configured: even a file that names no model runs on the default local model.
    assert.equal(defaults.model, 'local:qwen2.5-0.5b-instruct-q4_k_m.gguf');
    assert.equal(defaults.endpoint.label, 'local');
  });

  test('a turn runs in-process: the prompt, then the reply in pieces, stored for the next turn', async () => {
    const result = await client.executeCommand<RunTurnResult>('promptChain.runTurn', { uri: localUri, input: 'Hi there my friend', turnId: 'local-1' });
    assert.equal(result.reply, tinyGreedyReply);
    const progress = client.progress.items.filter((p) => p.turnId === 'local-1');
    assert.equal(progress[0]?.kind, 'prompt');
    const pieces = progress.flatMap((p) => (p.kind === 'token' ? [p.text] : []));
    assert.ok(pieces.length > 1, `streamed in ${pieces.length} piece(s)`);
    assert.equal(pieces.join(''), tinyGreedyReply);
    assert.ok((result.usage?.promptTokens ?? 0) > 0 && result.usage?.completionTokens === pieces.length);
    const stored = await memory(localUri);
    assert.deepEqual(
      stored.turns.map((t) => ('input' in t ? [t.input, t.output] : [])),
      [['Hi there my friend', tinyGreedyReply]],
    );
    const second = await client.executeCommand<RunTurnResult>('promptChain.runTurn', { uri: localUri, input: 'And again', turnId: 'local-2' });
    assert.match(second.prompt, /Human: Hi there my friend\nAI: Hello! I am a tiny model\.\nHuman: And again$/);
  });

  test('listModels offers `local` when no endpoint is configured', async () => {
    const listed = await client.executeCommand<ListModelsResult>('promptChain.listModels', { uri: localUri });
    assert.equal(listed.models[0], 'local');
  });

  test('the context-window rule uses the model file’s window (256 tokens here)', async () => {
    const long = localPrompt(modelPath, '\n  max_tokens: 250');
    await client.change(localUri, 2, long);
    const items = await client.pulledDiagnostics(localUri);
    const window = items.find((d) => d.code === 'context-window-exceeded');
    assert.ok(window, JSON.stringify(items.map((d) => d.code)));
    assert.match(String(window.message), /local:.*tiny\.gguf's 256-token context window/);
    await client.change(localUri, 3, localPrompt(modelPath));
  });

  test('a relative `local:./tiny.gguf` is read from the prompt’s folder for its window, not the server’s', async () => {
    const file = path.join(workspace, 'relative.prompt');
    const text = localPrompt('./tiny.gguf', '\n  max_tokens: 250');
    writeFileSync(file, text);
    const uri = fileUri(file);
    await client.open(uri, text, 1);
    const items = await client.pulledDiagnostics(uri);
    const window = items.find((d) => d.code === 'context-window-exceeded');
    assert.ok(window, JSON.stringify(items.map((d) => d.code)));
    assert.match(String(window.message), /256-token context window/);
    await client.close(uri);
  });

  test('a hub model is downloaded on its first turn, with progress the editor shows, then kept', async () => {
    const bytes = tinyModelBytes();
    hub.handle = (request, response) => (request.url === resolvePath('owner/tiny-GGUF', 'tiny.gguf') ? sendFile(request, response, bytes) : response.writeHead(404).end());
    const file = path.join(workspace, 'hub.prompt');
    const text = chatExample.replace('---\nmemory:', '---\nmodel: local:owner/tiny-GGUF/tiny.gguf\nparameters:\n  temperature: 0\nmemory:');
    writeFileSync(file, text);
    const uri = fileUri(file);
    await client.open(uri, text, 1);
    const since = client.workDone.items.length;
    const result = await client.executeCommand<RunTurnResult>('promptChain.runTurn', { uri, input: 'Hi there my friend', turnId: 'hub-1' });
    assert.equal(result.reply, tinyGreedyReply);
    assert.ok(client.serverRequests.items.includes('window/workDoneProgress/create'));
    const begin = await client.workDone.waitFor((p) => p.value.kind === 'begin', since);
    assert.equal(begin.value.title, 'Prompt Chain: downloading tiny.gguf');
    await client.workDone.waitFor((p) => p.value.kind === 'end' && p.token === begin.token, since);
    assert.deepEqual(readFileSync(path.join(modelsDir, 'owner', 'tiny-GGUF', 'tiny.gguf')), bytes);
    const downloads = hub.requests.length;
    assert.equal((await client.executeCommand<RunTurnResult>('promptChain.runTurn', { uri, input: 'Again', turnId: 'hub-2' })).reply, tinyGreedyReply);
    assert.equal(hub.requests.length, downloads, 'the cached file is used, not fetched again');
  });

  test('the default model, not downloadable here, fails with the offline line; memory is untouched', async () => {
    // The hub's connection drops before a byte, as on a machine without network.
    hub.handle = (request) => request.socket.destroy();
    await client.open(defaultUri, chatExample, 1);
    const before = await memory(defaultUri);
    await assert.rejects(
      client.executeCommand<RunTurnResult>('promptChain.runTurn', { uri: defaultUri, input: 'Hi there my friend', turnId: 'offline' }),
      (error: ResponseErrorShape) => {
        assert.equal(error.data?.kind, 'local');
        assert.equal(error.data?.reason, 'local-download');
        assert.match(error.message, /^no network: download http:\/\/127\.0\.0\.1:\d+\/Qwen\/Qwen2\.5-0\.5B-Instruct-GGUF\/resolve\/main\/qwen2\.5-0\.5b-instruct-q4_k_m\.gguf to .*qwen2\.5-0\.5b-instruct-q4_k_m\.gguf or set OPENAI_BASE_URL$/);
        return true;
      },
    );
    assert.deepEqual(await memory(defaultUri), before);
  });
});
