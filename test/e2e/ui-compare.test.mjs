// UI story of the chat panel's side-by-side tools in the real workbench (code-server in headless chromium,
// playwright-core): after one turn, Compare models… runs the next input on two models picked in a multi-select
// picker and shows their replies side by side, each sent with the stored conversation, which stays one turn;
// Replay with… runs the stored turn again on another model and marks the changed reply beside the stored one;
// Save as test writes the prompt's test file (a snapshot per turn) and its baseline, and opens it. Keeps to
// compare-chat.prompt and the files it saves. Run by test/e2e/run.mjs (`--ui-file compare` alone).
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { chatPanel, chooseFromQuickPick, focusEditor, openFromExplorer, required, runFromCommandPalette, useWorkbench } from './lib/workbench.mjs';
import { inputBox, lastEntry, sendFromPanel } from './lib/panel.mjs';
import { fakeModelControl } from './fakeModelControl.ts';

const promptFile = 'compare-chat.prompt';
const workspace = required('PROMPT_CHAIN_E2E_WORKSPACE');
const testFile = join(workspace, 'compare-chat.prompt-test.yaml');
const snapshotFile = join(workspace, '__snapshots__', 'compare-chat.snap.yaml');
const screenshots = process.env.PROMPT_CHAIN_E2E_SCREENSHOTS ?? 'test-results';
const model = fakeModelControl();
const compareStep = useWorkbench({ fileInExplorer: promptFile, extensionDevelopmentPath: required('PROMPT_CHAIN_E2E_EXTENSION') });
const removeSaved = () => [testFile, join(workspace, '__snapshots__')].forEach((path) => rmSync(path, { recursive: true, force: true }));

before(async () => {
  await model.reset();
  removeSaved();
});
after(removeSaved);

/** The picker row whose label is exactly `label` (gpt-4o is a prefix of gpt-4o-mini). */
const pickerRow = (page, label) => page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }) });

compareStep('a first turn is stored', async (page) => {
  await openFromExplorer(page, promptFile);
  await page.locator('.codelens-decoration', { hasText: 'Run chat turn' }).waitFor();
  await focusEditor(page);
  await runFromCommandPalette(page, 'Prompt Chain: Open Chat Panel');
  await model.enqueue({ reply: 'Hello Ada!' });
  const panel = chatPanel(page);
  await sendFromPanel(panel, 'My name is Ada.');
  await lastEntry(panel).locator('.reply', { hasText: 'Hello Ada!' }).waitFor();
  await panel.locator('#facts', { hasText: '1 turn stored' }).waitFor();
});

compareStep('Compare models… shows the input on two models side by side; memory keeps its one turn', async (page) => {
  await model.reset();
  await model.enqueue({ forModel: 'gpt-4o', reply: 'You are Ada.' }, { forModel: 'gpt-4o-mini', reply: 'Your name is Ada, I believe.' });
  const panel = chatPanel(page);
  await inputBox(panel).fill('What is my name?');
  await panel.locator('#compare').click();
  await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Compare models' }).waitFor();
  // The file's model starts picked; gpt-4o is added.
  await pickerRow(page, 'gpt-4o-mini').locator('.monaco-checkbox.checked, input:checked').first().waitFor();
  await pickerRow(page, 'gpt-4o').click();
  await page.locator('.quick-input-widget .quick-input-count', { hasText: '2' }).waitFor();
  await page.locator('.quick-input-widget input').press('Enter');
  const comparison = panel.locator('.comparison.comparison-done');
  await comparison.waitFor();
  assert.deepEqual(await comparison.locator('.cell-model').allInnerTexts(), ['gpt-4o-mini', 'gpt-4o']);
  assert.deepEqual(await comparison.locator('.comparison-cell .reply').allInnerTexts(), ['Your name is Ada, I believe.', 'You are Ada.']);
  const requests = await model.modelRequests();
  assert.deepEqual(requests.map((request) => request.body.model).sort(), ['gpt-4o', 'gpt-4o-mini']);
  for (const request of requests) assert.deepEqual(request.body.messages.map((m) => m.content).slice(1), ['My name is Ada.', 'Hello Ada!', 'What is my name?']);
  await panel.locator('#facts', { hasText: '1 turn stored' }).waitFor();
  await page.screenshot({ path: join(screenshots, 'e2e-compare-models.png') });
});

compareStep('Replay with… runs the stored turn on another model and marks the changed reply beside the stored one', async (page) => {
  await model.reset();
  await model.enqueue({ reply: 'Greetings, Ada.' });
  const panel = chatPanel(page);
  await panel.locator('#replay').click();
  await chooseFromQuickPick(page, 'Replay conversation with', 'gpt-4o');
  const replay = panel.locator('.comparison.comparison-done', { hasText: 'Replay on gpt-4o' });
  await replay.waitFor();
  assert.deepEqual(await replay.locator('.comparison-cell .reply').allInnerTexts(), ['Hello Ada!', 'Greetings, Ada.']);
  await replay.locator('.cell-changed .cell-detail', { hasText: 'changed' }).waitFor();
  const [request] = await model.modelRequests();
  assert.equal(request?.body.model, 'gpt-4o');
  assert.deepEqual(request?.body.messages.map((m) => m.content), ['You are a friendly assistant.', 'My name is Ada.']);
  await panel.locator('#facts', { hasText: '1 turn stored' }).waitFor();
});

compareStep('Save as test writes the test file and its baseline, and opens the test', async (page) => {
  const panel = chatPanel(page);
  await panel.locator('#save-test').click();
  await page.locator('.tabs-container .tab', { hasText: 'compare-chat.prompt-test.yaml' }).waitFor();
  await panel.locator('#notice', { hasText: 'Saved as test "My name is Ada."' }).waitFor();
  assert.equal(existsSync(testFile), true);
  assert.equal(readFileSync(testFile, 'utf8'), 'prompt: compare-chat.prompt\nconversations:\n  - name: My name is Ada.\n    turns:\n      - input: My name is Ada.\n        expect:\n          - snapshot: true\n');
  assert.match(readFileSync(snapshotFile, 'utf8'), /My name is Ada\.:\n {4}gpt-4o-mini:\n {6}- turn: 1\n {8}input: My name is Ada\.\n {8}reply: Hello Ada!\n/);
  await runFromCommandPalette(page, 'View: Close All Editors');
  await page.locator('.tabs-container .tab').first().waitFor({ state: 'detached' });
});
