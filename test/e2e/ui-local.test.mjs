// UI story of a turn with no key and no server, in the real workbench (code-server in headless chromium,
// playwright-core): a file that names a local model (`local:./local-e2e.gguf`, beside it) shows it in the
// status bar, and its chat panel's turn runs in the language server's own process, on llama.cpp through the
// node-llama-cpp binding, against the tiny GGUF the tests write (test/support/tinyGguf.ts): the reply is the
// model's greedy one, and it is stored. The fake OpenAI server is never asked. Keeps to local-chat.prompt and
// its model file. Run by test/e2e/run.mjs (`--ui-file local` alone).
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { chatPanel, focusEditor, openFromExplorer, required, runFromCommandPalette, useWorkbench } from './lib/workbench.mjs';
import { lastEntry, sendFromPanel } from './lib/panel.mjs';
import { fakeModelControl } from './fakeModelControl.ts';
import { tinyGreedyReply, writeTinyModel } from '../support/tinyGguf.ts';

const promptFile = 'local-chat.prompt';
const modelFile = join(required('PROMPT_CHAIN_E2E_WORKSPACE'), 'local-e2e.gguf');
const remote = fakeModelControl();
const localStep = useWorkbench({ fileInExplorer: promptFile, extensionDevelopmentPath: required('PROMPT_CHAIN_E2E_EXTENSION') });

before(async () => {
  await remote.reset();
  writeTinyModel(modelFile);
});
after(() => rmSync(modelFile, { force: true }));

localStep('the status bar names the local model and says the turn runs locally', async (page) => {
  await openFromExplorer(page, promptFile);
  await page.locator('.statusbar-item', { hasText: 'Prompt Chain: local:local-e2e.gguf · local' }).first().waitFor();
});

localStep('a turn in the chat panel runs in-process on the local model, streams and is stored', async (page) => {
  await focusEditor(page);
  await runFromCommandPalette(page, 'Prompt Chain: Open Chat Panel');
  const panel = chatPanel(page);
  await sendFromPanel(panel, 'Hi there my friend');
  await lastEntry(panel).locator('.reply', { hasText: tinyGreedyReply }).waitFor();
  await panel.locator('#facts', { hasText: '1 turn stored' }).waitFor();
  // Nothing went to the OpenAI-compatible server the workbench is configured with.
  assert.deepEqual(await remote.modelRequests(), []);
});
