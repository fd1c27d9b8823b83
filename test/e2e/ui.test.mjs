// UI test: a person's loop in the real workbench (code-server in headless chromium, driven by playwright-core):
// open a .prompt, run "Prompt Chain: Run Chat Turn" from the command palette, read the formatted prompt and the
// reply in the chat panel; start turns from the code lens and the panel and cancel them (Cancel in the progress
// notification, Stop in the panel); reload the window and carry on the conversation from the panel; set an API
// key; a reply that looks like markup stays text.
// Run by test/e2e/run.mjs (`node --import tsx --test`), which starts code-server and the fake model server and
// passes them in PROMPT_CHAIN_E2E_* variables.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before } from 'node:test';
import { storedApiKey } from './lib/apiKeys.mjs';
import {
  answerInputBox, chatPanel, focusEditor, hideNotificationCentre, notification, openFromExplorer, required, runFromCommandPalette, useWorkbench, workbenchLoaded,
} from './lib/workbench.mjs';
import { fakeModelControl } from './fakeModelControl.ts';

const promptFile = 'chatbot-chat.prompt';
const firstInput = 'Hi there my friend';
const firstReply = 'Hello! How can I assist you today, my friend?';
const secondInput = 'Not too bad - how are you?';
const secondReply = "I'm doing well, thank you for asking.";
const system = 'You are a chatbot having a conversation with a human.';
const cancelledNotice = 'Turn cancelled; the conversation memory is unchanged.';

const screenshots = process.env.PROMPT_CHAIN_E2E_SCREENSHOTS ?? 'test-results';
const model = fakeModelControl();
const uiStep = useWorkbench({ fileInExplorer: promptFile, extensionDevelopmentPath: required('PROMPT_CHAIN_E2E_EXTENSION') });
before(() => model.reset());

uiStep('a .prompt file opens from the explorer', async (page) => {
  await openFromExplorer(page, promptFile);
});

uiStep('Run Chat Turn from the command palette shows the formatted prompt and the reply in the chat panel', async (page) => {
  await model.enqueue({ reply: firstReply });
  await focusEditor(page);
  await runFromCommandPalette(page, 'Prompt Chain: Run Chat Turn');
  await answerInputBox(page, firstInput);

  const panel = chatPanel(page);
  await panel.getByText(firstReply).first().waitFor();
  const shown = await panel.locator('body').innerText();
  assert.match(shown, /Prompt after formatting/, 'the LangChain trace');
  assert.ok(shown.includes(`System: ${system}`) && shown.includes(`Human: ${firstInput}`), `the formatted prompt in:\n${shown}`);
  await page.screenshot({ path: join(screenshots, 'e2e-chat-panel.png') });
});

uiStep('Cancel in the progress notification stops a turn started from the code lens; memory is untouched', async (page) => {
  await model.enqueue({ fault: 'hang', chunks: ['Partial repl'] });
  await focusEditor(page);
  await page.locator('.codelens-decoration a', { hasText: 'Run chat turn' }).click();
  await answerInputBox(page, 'This turn gets cancelled');
  const panel = chatPanel(page);
  await panel.getByText('Partial repl').waitFor();

  const progress = await notification(page, `running a turn of ${promptFile}`);
  await progress.getByRole('button', { name: 'Cancel' }).click();
  await panel.getByText(cancelledNotice).waitFor();
  await hideNotificationCentre(page);
  await panel.getByText('Conversation so far · 1 turn stored').waitFor();
});

uiStep('Stop in the panel cancels a turn sent from its input box', async (page) => {
  await model.enqueue({ fault: 'hang', chunks: ['Half an ans'] });
  const panel = chatPanel(page);
  await sendFromPanel(panel, 'This turn is stopped');
  // The turn cancelled above held the conversation's lock while it ran: this request arrives only if it let go.
  await panel.getByText('Half an ans').waitFor();
  await panel.getByRole('button', { name: 'Stop' }).click();
  await panel.getByText(cancelledNotice).nth(1).waitFor();
  assert.equal((await model.modelRequests()).length, 3, 'the first turn and the two cancelled ones');
});

uiStep('after a window reload the panel still shows the conversation, and its next turn continues it', async (page) => {
  // Developer: Reload Window shuts the workbench down properly (a bare page reload may skip persisting state).
  const reloaded = page.waitForEvent('load');
  await runFromCommandPalette(page, 'Developer: Reload Window');
  await reloaded;
  await workbenchLoaded(page, promptFile);
  const panel = chatPanel(page);
  await panel.getByText(firstReply).first().waitFor();

  await model.enqueue({ reply: secondReply });
  await sendFromPanel(panel, secondInput);
  await panel.getByText(secondReply).first().waitFor();

  const requests = await model.modelRequests();
  assert.deepEqual(requests.at(-1)?.body.messages, [
    { role: 'system', content: system },
    { role: 'user', content: firstInput },
    { role: 'assistant', content: firstReply },
    { role: 'user', content: secondInput },
  ], 'the second turn was sent with the first one from the stored memory, and without the cancelled ones');
  await page.screenshot({ path: join(screenshots, 'e2e-chat-panel-after-reload.png') });
});

uiStep('Set API Key: the next turn is sent with the key from SecretStorage', async (page) => {
  await runFromCommandPalette(page, 'Prompt Chain: Set API Key');
  await answerInputBox(page, storedApiKey);
  await notification(page, 'API key stored');
  await hideNotificationCentre(page);

  await model.enqueue({ reply: 'Noted.' });
  const panel = chatPanel(page);
  await sendFromPanel(panel, 'Which key did you get?');
  await panel.getByText('Noted.').first().waitFor();
  assert.equal((await model.modelRequests()).at(-1)?.headers.authorization, `Bearer ${storedApiKey}`);
});

uiStep('a reply that looks like markup is shown as text, never turned into elements', async (page) => {
  const markup = '<img src=x onerror=alert(1)>';
  const dialogs = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await model.enqueue({ reply: markup });
  const panel = chatPanel(page);
  await sendFromPanel(panel, 'Show me some <b>markup</b>');
  await panel.locator('.turn-done .reply .content', { hasText: markup }).waitFor();
  assert.equal(await panel.locator('.turn-done .reply .content').last().textContent(), markup);
  assert.ok((await panel.locator('body').innerText()).includes('Human: Show me some <b>markup</b>'), 'the input, as typed');
  assert.equal(await panel.locator('img, b').count(), 0, 'no element made from the reply or the input');
  assert.deepEqual(dialogs, []);
  await page.screenshot({ path: join(screenshots, 'e2e-chat-panel-markup.png') });
});

uiStep("the editor's code lens counts the stored turns, cancelled ones left out", async (page) => {
  // The first, second, key and markup turns; the language server asks the editor to refresh after each.
  await page.locator('.codelens-decoration', { hasText: 'Clear memory (4 turns)' }).waitFor();
});

/** Types the next turn's input into the panel's own input box and sends it with Enter. */
async function sendFromPanel(panel, text) {
  const input = panel.getByRole('textbox', { name: 'Human input' });
  await input.fill(text);
  await input.press('Enter');
}
