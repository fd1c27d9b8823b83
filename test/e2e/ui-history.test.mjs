// UI story of a shared chat history in the real workbench (code-server in headless chromium, playwright-core):
// the user adds a store with "Add Shared History Store…" (a `file:` history, FileChatMessageHistory's JSON, seeded
// as LangChain's Python classes write it), picks its session from the chat panel's Session… button, sees the
// application's conversation (its system message in place) and the session in the status bar, runs a turn that
// sends that conversation, and finds the turn's two messages appended to the store as LangChain writes them.
// Keeps to history-chat.prompt and its own store file. Run by test/e2e/run.mjs (`--ui-file history` alone).
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { chatPanel, chooseFromQuickPick, focusEditor, answerInputBox, openFromExplorer, required, runFromCommandPalette, useWorkbench } from './lib/workbench.mjs';
import { lastEntry, sendFromPanel } from './lib/panel.mjs';
import { fakeModelControl } from './fakeModelControl.ts';
import { encodeMessage } from '../../core/history/messageDicts.ts';
import { parseHistoryUrl } from '../../core/history/historyUrl.ts';
import { openFileHistory } from '../../core/history/stores/file.ts';

const promptFile = 'history-chat.prompt';
const workspace = required('PROMPT_CHAIN_E2E_WORKSPACE');
const storeFile = join(workspace, 'team-history.json');
const storeUrl = `file:${storeFile}`;
const seeded = [
  { type: 'system', content: 'The customer is on the Pro plan.' },
  { type: 'human', content: 'Where is my parcel?' },
  { type: 'ai', content: 'It left the depot this morning.' },
];
const input = 'When will it arrive?';
const reply = 'It arrives tomorrow before noon.';
const screenshots = process.env.PROMPT_CHAIN_E2E_SCREENSHOTS ?? 'test-results';
const model = fakeModelControl();
const historyStep = useWorkbench({ fileInExplorer: promptFile, extensionDevelopmentPath: required('PROMPT_CHAIN_E2E_EXTENSION') });
const store = () => openFileHistory(parseHistoryUrl(storeUrl, workspace));

before(async () => {
  await model.reset();
  // FileChatMessageHistory's file: one JSON array of message dicts, as the application left it.
  writeFileSync(storeFile, '[]');
  await store().append('default', seeded.map((message) => encodeMessage(message, 'python')));
});
after(() => rmSync(storeFile, { force: true }));

historyStep('Add Shared History Store… names a store in the user settings', async (page) => {
  await openFromExplorer(page, promptFile);
  await page.locator('.codelens-decoration', { hasText: 'Run chat turn' }).waitFor();
  await runFromCommandPalette(page, 'Prompt Chain: Add Shared History Store…');
  await answerInputBox(page, 'team');
  await answerInputBox(page, storeUrl);
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
});

historyStep("the panel's Session… lists the local conversation and the store, then the store's sessions", async (page) => {
  await focusEditor(page);
  await runFromCommandPalette(page, 'Prompt Chain: Open Chat Panel');
  const panel = chatPanel(page);
  await panel.locator('#history', { hasText: 'Local conversation' }).waitFor();
  await panel.locator('#pick-session').click();
  const rows = page.locator('.quick-input-list .monaco-list-row');
  await page.locator('.quick-input-widget .quick-input-title', { hasText: `the conversation of ${promptFile}` }).waitFor();
  await rows.filter({ hasText: 'team' }).first().waitFor();
  assert.deepEqual(await rows.locator('.label-name').allInnerTexts(), ['Local conversation', 'team']);
  await chooseFromQuickPick(page, `the conversation of ${promptFile}`, 'team');
  await chooseFromQuickPick(page, 'a session of team', 'default');
});

historyStep("the panel shows the store's conversation, its system message in place; the status bar names store and session", async (page) => {
  const panel = chatPanel(page);
  await panel.locator('#history', { hasText: `team · session default · ${storeUrl}` }).waitFor();
  await panel.locator('.entry-lone .bubble.system', { hasText: seeded[0].content }).waitFor();
  await panel.locator('.entry-stored .bubble.ai', { hasText: seeded[2].content }).waitFor();
  await page.locator('.statusbar-item', { hasText: 'team · default' }).waitFor();
  await page.screenshot({ path: join(screenshots, 'e2e-history-session.png') });
});

historyStep("a turn sends the application's conversation and its messages are appended as LangChain writes them", async (page) => {
  await model.enqueue({ reply });
  const panel = chatPanel(page);
  await sendFromPanel(panel, input);
  await lastEntry(panel).locator('.reply', { hasText: reply }).waitFor();
  const [request] = await model.modelRequests();
  assert.deepEqual(request?.body.messages.map((m) => [m.role, m.content]), [
    ['system', 'You are the support bot of a parcel service.'],
    ['system', seeded[0].content],
    ['user', seeded[1].content],
    ['assistant', seeded[2].content],
    ['user', input],
  ]);
  const stored = (await store().messages('default')).map((message) => message.raw);
  assert.deepEqual(stored.slice(-2), [encodeMessage({ type: 'human', content: input }, 'python'), encodeMessage({ type: 'ai', content: reply }, 'python')]);
  assert.equal(stored.length, seeded.length + 2);
});

historyStep('back to the local conversation; every editor closed', async (page) => {
  const panel = chatPanel(page);
  await panel.locator('#pick-session').click();
  await chooseFromQuickPick(page, `the conversation of ${promptFile}`, 'Local conversation');
  await panel.locator('#history', { hasText: 'Local conversation' }).waitFor();
  await page.locator('.statusbar-item', { hasText: 'team · default' }).waitFor({ state: 'detached' });
  await runFromCommandPalette(page, 'View: Close All Editors');
  await page.locator('.tabs-container .tab').first().waitFor({ state: 'detached' });
});
