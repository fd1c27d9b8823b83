// UI test: a person's loop in the real workbench (code-server in headless chromium, driven by playwright-core):
// open a .prompt, run "Prompt Chain: Run Chat Turn" from the command palette, read the formatted prompt and the
// reply in the chat panel, reload the window and carry on the conversation from the panel.
// Run by test/e2e/run.mjs (`node --import tsx --test`), which starts code-server and the fake model server and
// passes them in PROMPT_CHAIN_E2E_* variables.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launchChromium, workbenchUrl } from './lib/browser.mjs';
import { fakeModelControl } from './fakeModelControl.ts';

const promptFile = 'chatbot-chat.prompt';
const firstInput = 'Hi there my friend';
const firstReply = 'Hello! How can I assist you today, my friend?';
const secondInput = 'Not too bad - how are you?';
const secondReply = "I'm doing well, thank you for asking.";
const system = 'You are a chatbot having a conversation with a human.';

const screenshots = process.env.PROMPT_CHAIN_E2E_SCREENSHOTS ?? 'test-results';
const model = fakeModelControl();
let browser;
let page;

/** A test step that leaves a screenshot of the workbench behind when it fails. */
function step(name, body) {
  test(name, { timeout: 120_000 }, async () => {
    try {
      await body();
    } catch (error) {
      const file = `e2e-failed-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}.png`;
      await page?.screenshot({ path: join(screenshots, file) }).catch(() => {});
      throw error;
    }
  });
}

before(async () => {
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.setDefaultTimeout(60_000);
  await page.goto(workbenchUrl(required('PROMPT_CHAIN_E2E_CODE_SERVER'), {
    folder: required('PROMPT_CHAIN_E2E_WORKSPACE'),
    extensionDevelopmentPath: required('PROMPT_CHAIN_E2E_EXTENSION'),
  }));
  await workbenchLoaded();
  await model.reset();
});

after(async () => {
  await browser?.close();
});

step('a .prompt file opens from the explorer', async () => {
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: promptFile }).dblclick();
  await page.locator('.tabs-container .tab.active', { hasText: promptFile }).waitFor();
});

step('Run Chat Turn from the command palette shows the formatted prompt and the reply in the chat panel', async () => {
  await model.enqueue({ reply: firstReply });
  await focusEditor();
  await runFromCommandPalette('Prompt Chain: Run Chat Turn');
  await answerInputBox(firstInput);

  const panel = chatPanel();
  await panel.getByText(firstReply).first().waitFor();
  const shown = await panel.locator('body').innerText();
  assert.match(shown, /Prompt after formatting/, 'the LangChain trace');
  assert.ok(shown.includes(`System: ${system}`) && shown.includes(`Human: ${firstInput}`), `the formatted prompt in:\n${shown}`);
  await page.screenshot({ path: join(screenshots, 'e2e-chat-panel.png') });
});

step('after a window reload the panel still shows the conversation, and its next turn continues it', async () => {
  // Developer: Reload Window shuts the workbench down properly (a bare page reload may skip persisting state).
  const reloaded = page.waitForEvent('load');
  await runFromCommandPalette('Developer: Reload Window');
  await reloaded;
  await workbenchLoaded();
  const panel = chatPanel();
  await panel.getByText(firstReply).first().waitFor();

  await model.enqueue({ reply: secondReply });
  const input = panel.locator('textarea, input[type="text"]').first();
  await input.fill(secondInput);
  await input.press('Enter');
  await panel.getByText(secondReply).first().waitFor();

  const requests = await model.modelRequests();
  assert.deepEqual(requests.at(-1)?.body.messages, [
    { role: 'system', content: system },
    { role: 'user', content: firstInput },
    { role: 'assistant', content: firstReply },
    { role: 'user', content: secondInput },
  ], 'the second turn was sent with the first one from the stored memory');
  await page.screenshot({ path: join(screenshots, 'e2e-chat-panel-after-reload.png') });
});

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the e2e tests through test/e2e/run.mjs`);
  return value;
}

async function workbenchLoaded() {
  await page.locator('.monaco-workbench').waitFor();
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: promptFile }).waitFor();
}

/** The chat panel's content: VS Code nests each webview's document in an inner iframe. */
function chatPanel() {
  return page.frameLocator('iframe.webview').frameLocator('#active-frame');
}

/** Palette entries for .prompt files show only while such an editor has focus. */
async function focusEditor() {
  await page.locator('.editor-group-container .monaco-editor .view-lines').first().click();
}

async function runFromCommandPalette(title) {
  await page.keyboard.press('F1');
  const query = page.locator('.quick-input-widget input');
  await query.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await query.press('Enter');
}

/** Types into the input box a command opened (the palette's own input is replaced by an empty one). */
async function answerInputBox(text) {
  await page.waitForFunction(() => {
    const input = document.querySelector('.quick-input-widget input');
    return input instanceof HTMLInputElement && input.offsetParent !== null && input.value === '';
  });
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}
