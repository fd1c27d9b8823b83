// UI test of the client's editor loop around a turn, in the real workbench (code-server in headless chromium,
// driven by playwright-core): the status bar names the model and endpoint of the file in focus (its editor or
// its chat panel) and follows settings; Select Model offers the endpoint's models; Preview Formatted Prompt
// shows what a turn would send and sends nothing; New Prompt File and the walkthrough start a new user off.
// Keeps to its own client-*.prompt files, and closes every editor it opened at the end, so the next UI file
// finds the workbench as it left it. Run by test/e2e/run.mjs with the others.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  answerInputBox, hideNotificationCentre, notification, openFromExplorer, required, runFromCommandPalette, useWorkbench,
} from './lib/workbench.mjs';
import { fakeModelControl } from './fakeModelControl.ts';

const statusFile = 'client-status.prompt'; // names model: gpt-4o
const previewFile = 'client-preview.prompt'; // a completion prompt naming no model; {persona} besides the input
const errorsFile = 'client-has-errors.prompt'; // {history} against memory.key: chat_history
const completionDefault = 'gpt-3.5-turbo-instruct';

const screenshots = process.env.PROMPT_CHAIN_E2E_SCREENSHOTS ?? 'test-results';
const endpointHost = new URL(required('PROMPT_CHAIN_E2E_FAKE_OPENAI')).host;
const settingsPath = join(required('PROMPT_CHAIN_E2E_WORKSPACE'), '.vscode', 'settings.json');
const originalSettings = readFileSync(settingsPath, 'utf8');
const model = fakeModelControl();
const clientStep = useWorkbench({ fileInExplorer: statusFile, extensionDevelopmentPath: required('PROMPT_CHAIN_E2E_EXTENSION') });
before(() => model.reset());
after(() => writeFileSync(settingsPath, originalSettings));

clientStep('the status bar names the model and the endpoint of the focused .prompt file, as the server sends turns', async (page) => {
  await openFromExplorer(page, statusFile);
  await statusLabel(page, label('gpt-4o'));
  await openFromExplorer(page, previewFile);
  // The workspace settings name another endpoint (the trap): the label never shows it, as turns never go there.
  await statusLabel(page, label(completionDefault));
});

clientStep("the status bar follows the chat panel that has focus, whichever editor is beside it", async (page) => {
  await editorTab(page, 0, statusFile).click();
  await focusActiveEditor(page);
  await runFromCommandPalette(page, 'Prompt Chain: Open Chat Panel');
  await page.locator('iframe.webview').waitFor();
  await statusLabel(page, label('gpt-4o'));
  await editorTab(page, 0, previewFile).click();
  await statusLabel(page, label(completionDefault));
  const panelTab = editorTab(page, 1, statusFile); // the panel's tab, beside the editors
  await panelTab.click();
  await statusLabel(page, label('gpt-4o'));
  await panelTab.click({ button: 'middle' }); // closes the panel
  await page.locator('iframe.webview').waitFor({ state: 'detached' });
});

clientStep('changing a promptChain setting changes the label of a file that names no model', async (page) => {
  await editorTab(page, 0, previewFile).click();
  await statusLabel(page, label(completionDefault));
  const settings = JSON.parse(originalSettings);
  writeFileSync(settingsPath, JSON.stringify({ ...settings, 'promptChain.defaultCompletionModel': 'qwen2.5-instruct' }, null, 2));
  await statusLabel(page, label('qwen2.5-instruct'));
  writeFileSync(settingsPath, originalSettings);
  await statusLabel(page, label(completionDefault));
});

clientStep("clicking the status bar offers the endpoint's models and writes the choice into the file's model:", async (page) => {
  await editorTab(page, 0, statusFile).click();
  await (await statusLabel(page, label('gpt-4o'))).click();
  const title = page.locator('.quick-input-widget .quick-input-title');
  await title.filter({ hasText: 'Select Model' }).waitFor();
  assert.match(await title.innerText(), /models listed by/, 'the picker says the list came from the endpoint');
  const rows = await page.locator('.quick-input-list .monaco-list-row').allInnerTexts();
  for (const listed of ['gpt-4o-mini', 'gpt-4o', 'gpt-3.5-turbo-instruct']) assert.ok(rows.some((row) => row.startsWith(listed)), `${listed} in:\n${rows.join('\n')}`);
  assert.equal(rows.some((row) => row.includes('llama3.2')), false, 'not the promptChain.models setting\'s list');
  await page.screenshot({ path: join(screenshots, 'e2e-select-model.png') });

  await page.keyboard.type('gpt-4o-mini');
  await page.keyboard.press('Enter');
  await page.locator('.editor-group-container.active .view-lines', { hasText: 'model: gpt-4o-mini' }).waitFor();
  await statusLabel(page, label('gpt-4o-mini'));
});

clientStep('Preview Formatted Prompt shows the prompt a turn would send, with remembered variables, and sends nothing', async (page) => {
  await editorTab(page, 0, previewFile).click();
  await focusActiveEditor(page);
  await runFromCommandPalette(page, 'Prompt Chain: Preview Formatted Prompt');
  await answerInputBox(page, 'What is a prompt chain?');
  await page.locator('.quick-input-widget .quick-input-message', { hasText: '{persona}' }).waitFor();
  await answerInputBox(page, 'a pirate');
  const previewTab = `${previewFile} (formatted prompt)`;
  await page.locator('.tabs-container .tab.active', { hasText: previewTab }).waitFor();
  let shown = await activeEditorText(page, 'Human: What is a prompt chain?');
  for (const line of ['> Entering new LLMChain chain...', 'Prompt after formatting:', 'You are a pirate having a conversation with a human.', 'Chatbot:']) {
    assert.ok(shown.includes(line), `${line} in:\n${shown}`);
  }
  await page.screenshot({ path: join(screenshots, 'e2e-preview.png') });

  // The second preview asks for the input only: {persona} keeps the value given above.
  await editorTab(page, 0, previewFile).click();
  await focusActiveEditor(page);
  await runFromCommandPalette(page, 'Prompt Chain: Preview Formatted Prompt');
  await answerInputBox(page, 'And a second question?');
  shown = await activeEditorText(page, 'Human: And a second question?');
  assert.ok(shown.includes('You are a pirate having a conversation'), shown);
  assert.deepEqual(await model.modelRequests(), [], 'nothing was sent to the model');
  const tab = page.locator('.tabs-container .tab', { hasText: previewTab });
  await tab.click({ button: 'middle' }); // closes the preview, and with it the group beside
  await tab.waitFor({ state: 'detached' });
});

clientStep('a file with errors is not previewed: the message counts its problems and Show Problems lists them', async (page) => {
  await openFromExplorer(page, errorsFile);
  await page.locator('.monaco-editor .squiggly-error').first().waitFor();
  await focusActiveEditor(page);
  await runFromCommandPalette(page, 'Prompt Chain: Preview Formatted Prompt');
  const refused = await notification(page, `${errorsFile} has`);
  assert.match(await refused.innerText(), /has \d+ problems? to fix before its prompt can be previewed \(see the Problems panel\)/);
  // No input is asked for: the palette's own box closes (read at once, it could still be closing) and no other opens.
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
  await refused.getByRole('button', { name: 'Show Problems' }).click();
  await page.locator('.markers-panel .monaco-list-row', { hasText: '{history}' }).first().waitFor();
  await hideNotificationCentre(page);
  assert.deepEqual(await model.modelRequests(), []);
});

clientStep('New Prompt File opens the chat example of "Memory in LLMChain" as an untitled .prompt', async (page) => {
  await runFromCommandPalette(page, 'Prompt Chain: New Prompt File');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Completion prompt' }).waitFor();
  await page.keyboard.type('Chat prompt');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Completion prompt' }).waitFor({ state: 'detached' });
  await page.keyboard.press('Enter');
  // The workspace has a chatbot-chat.prompt already: the new file gets a name of its own.
  await page.locator('.tabs-container .tab.active', { hasText: 'chatbot-chat-2.prompt' }).waitFor();
  const example = readFileSync(fileURLToPath(new URL('../../examples/chatbot-chat.prompt', import.meta.url)), 'utf8');
  assert.equal(await activeEditorText(page, '{human_input}'), example);
  await page.locator('.statusbar-item', { hasText: 'LangChain Prompt' }).waitFor();
  // Closed here, unsaved: an untitled editor left open would come back, dirty, in the next UI file's window.
  await runFromCommandPalette(page, 'View: Close Editor');
  await page.locator('.monaco-dialog-box .monaco-button', { hasText: "Don't Save" }).click();
  await page.locator('.tabs-container .tab', { hasText: 'chatbot-chat-2.prompt' }).waitFor({ state: 'detached' });
});

clientStep('the walkthrough opens, and its example step runs New Prompt File', async (page) => {
  await runFromCommandPalette(page, 'Welcome: Open Walkthrough...');
  await page.keyboard.type('Get Started with Prompt Chain');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Get Started with Prompt Chain' }).first().waitFor();
  await page.keyboard.press('Enter');
  const walkthrough = page.locator('.gettingStartedContainer');
  for (const step of ['Choose where chat turns go', 'Open an example', 'Run a turn']) await walkthrough.getByText(step, { exact: true }).first().waitFor();
  await walkthrough.getByText('Open an example', { exact: true }).first().click();
  await walkthrough.getByRole('button', { name: 'New Prompt File' }).click();
  await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Prompt Chain: New Prompt File' }).waitFor();
  await page.keyboard.press('Escape');
});

clientStep('every editor this file opened is closed', async (page) => {
  await runFromCommandPalette(page, 'View: Close All Editors');
  await page.locator('.tabs-container .tab').first().waitFor({ state: 'detached' });
});

/** The status bar's label for a file whose turns use `modelName` at the fake model server. */
function label(modelName) {
  return `Prompt Chain: ${modelName} · ${endpointHost}`;
}

/** The status bar item showing `text`, once it does. */
async function statusLabel(page, text) {
  const item = page.locator('.statusbar-item', { hasText: text });
  await item.first().waitFor();
  return item.first();
}

/** Palette entries for .prompt files show only while such an editor has focus: the active group's editor. */
async function focusActiveEditor(page) {
  await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
}

/** The tab of `fileName` in the `group`th editor group (0: the first, 1: the one beside it). */
function editorTab(page, group, fileName) {
  return page.locator('.editor-group-container').nth(group).locator('.tabs-container .tab', { hasText: fileName });
}

/** The text of the active editor, line by line in line order, once it contains `expected`. */
async function activeEditorText(page, expected) {
  const lines = page.locator('.editor-group-container.active .view-lines');
  await lines.filter({ hasText: expected }).waitFor();
  const rendered = await lines.locator('.view-line').evaluateAll((elements) =>
    elements.map((element) => [Number.parseFloat(element.style.top), element.textContent ?? '']));
  return rendered.sort((a, b) => a[0] - b[0]).map(([, text]) => text.replace(/\u00a0/g, ' ')).join('\n');
}
