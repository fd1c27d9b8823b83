// UI test: a person's loop in the real workbench (code-server in headless chromium, driven by playwright-core).
// ▶, the code lens and the palette's Run Chat Turn all bring the user to the chat panel's input; its Send runs
// the turn. The transcript shows one entry per turn — the input, the reply as Markdown (bold, a code block
// with Copy), the turn's details (LangChain's trace, the messages sent, tokens and latency) folded — and the
// conversation once. Following the stream, Stop, Retry, a window reload, Set API Key, a reply that looks like
// markup. Edit and resend, errors with their way out and Clear are in ui-panel-recovery.test.mjs.
// Run by test/e2e/run.mjs (`node --import tsx --test`), which starts code-server and the fake model server and
// passes them in PROMPT_CHAIN_E2E_* variables.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before } from 'node:test';
import { storedApiKey } from './lib/apiKeys.mjs';
import {
  answerInputBox, chatPanel, focusEditor, hideNotificationCentre, notification, openFromExplorer, required, runFromCommandPalette, useWorkbench, workbenchLoaded,
} from './lib/workbench.mjs';
import { inputBox, lastEntry, sendFromPanel, typeIntoFocusedInput, untilAtBottom } from './lib/panel.mjs';
import { fakeModelControl } from './fakeModelControl.ts';

const promptFile = 'chatbot-chat.prompt';
const firstInput = 'Hi there my friend';
const firstReply = 'Hello! Here is **bold** advice and a snippet:\n\n```js\nconsole.log("hi");\n```\n\nHow can I help?';
const secondInput = 'Not too bad - how are you?';
const secondReply = "I'm doing *well*, thank you for asking.";
const system = 'You are a chatbot having a conversation with a human.';
const cancelledNotice = 'Turn cancelled; the conversation memory is unchanged.';

const screenshots = process.env.PROMPT_CHAIN_E2E_SCREENSHOTS ?? 'test-results';
const model = fakeModelControl();
const uiStep = useWorkbench({ fileInExplorer: promptFile, extensionDevelopmentPath: required('PROMPT_CHAIN_E2E_EXTENSION') });
before(() => model.reset());

uiStep('a .prompt file opens from the explorer', async (page) => {
  await openFromExplorer(page, promptFile);
  // The code lens comes from the language server: the extension is active, and its palette entries are in.
  await page.locator('.codelens-decoration', { hasText: 'Run chat turn' }).waitFor();
});

uiStep("Run Chat Turn from the palette focuses the panel's input; Enter runs the turn and the reply shows as Markdown", async (page) => {
  await model.enqueue({ reply: firstReply });
  await focusEditor(page);
  await runFromCommandPalette(page, 'Prompt Chain: Run Chat Turn');
  const panel = chatPanel(page);
  await typeIntoFocusedInput(page, panel, firstInput);

  const entry = lastEntry(panel);
  await entry.locator('.reply strong', { hasText: 'bold' }).waitFor();
  // The bold text can show while the reply still streams: the code block is read once the turn is stored.
  await panel.locator('#facts', { hasText: /\b1 turn stored/ }).waitFor();
  assert.equal(await entry.locator('.reply .code-block code').textContent(), 'console.log("hi");\n');
  assert.equal(await entry.locator('.bubble.human .text').textContent(), firstInput);
  assert.doesNotMatch(await entry.locator('.reply').innerText(), /\*\*|```/, 'no Markdown syntax left on screen');
});

uiStep("the turn's details are folded: LangChain's trace, the messages sent, tokens and latency", async (page) => {
  const entry = lastEntry(chatPanel(page));
  const details = entry.locator('details.turn-details');
  assert.equal(await details.getAttribute('open'), null, 'folded by default');
  assert.doesNotMatch(await entry.innerText(), /Prompt after formatting/);
  await details.locator('summary').click();
  const trace = await details.locator('.trace code').textContent();
  assert.ok(trace.startsWith('> Entering new LLMChain chain...\nPrompt after formatting:\n'), trace);
  assert.ok(trace.includes(`System: ${system}\nHuman: ${firstInput}`) && trace.endsWith('> Finished chain.'), trace);
  assert.match(await details.locator('.messages').innerText(), /Messages sent \(2\)/);
  assert.match(await details.locator('summary').innerText(), /Details · \d+ tokens .*· \d/);
  await details.locator('summary').click();
});

uiStep('the code lens focuses the panel too; after two turns the conversation shows once, and a code block copies', async (page) => {
  await model.enqueue({ reply: secondReply });
  await focusEditor(page);
  await page.locator('.codelens-decoration a', { hasText: 'Run chat turn' }).click();
  const panel = chatPanel(page);
  await typeIntoFocusedInput(page, panel, secondInput);
  await lastEntry(panel).locator('.reply em', { hasText: 'well' }).waitFor();

  assert.equal(await panel.locator('.transcript .entry').count(), 2, 'one entry per turn');
  const shown = await panel.locator('body').innerText();
  assert.equal(shown.split(firstInput).length - 1, 1, `the first input shows once, not again per turn:\n${shown}`);
  assert.match(await panel.locator('#facts').innerText(), /2 turns stored · fills \{chat_history\}/);
  const [, second] = await model.modelRequests();
  assert.deepEqual(second?.body.messages.map((m) => m.role), ['system', 'user', 'assistant', 'user'], 'the second turn carries the first');

  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(page.url()).origin });
  const copy = panel.locator('.transcript .entry').first().locator('.reply .code-block .copy');
  await copy.click();
  await copy.getByText('Copied').waitFor();
  await page.waitForFunction(async () => (await navigator.clipboard.readText()) === 'console.log("hi");\n');
  await page.screenshot({ path: join(screenshots, 'e2e-panel-two-turns.png') });
});

uiStep('a streaming reply is followed to the bottom; scrolled up, "Jump to latest" brings it back', async (page) => {
  const points = Array.from({ length: 60 }, (_, i) => `- point ${i + 1}`).join('\n');
  await model.enqueue({ fault: 'hang', chunks: ['Half an ans', `wer:\n\n${points}`] });
  const panel = chatPanel(page);
  await sendFromPanel(panel, 'This turn is stopped');
  await lastEntry(panel).getByText('point 60').waitFor();
  const body = panel.locator('body');
  await body.evaluate(untilAtBottom);
  await body.evaluate(() => window.scrollTo(0, 0));
  await panel.getByRole('button', { name: 'Jump to latest' }).click();
  await body.evaluate(untilAtBottom);
  await panel.getByRole('button', { name: 'Jump to latest' }).waitFor({ state: 'hidden' });
});

uiStep("Stop in the panel's progress cancels a turn; the typed input comes back to the input box", async (page) => {
  const panel = chatPanel(page);
  const progress = panel.locator('#progress');
  await progress.getByText('Generating…').waitFor();
  await progress.getByRole('button', { name: 'Stop' }).click();
  await panel.getByText(cancelledNotice).waitFor();
  await progress.waitFor({ state: 'hidden' });
  assert.equal(await inputBox(panel).inputValue(), 'This turn is stopped', 'the stopped input is back to edit or resend');
  await inputBox(panel).fill('');
});

uiStep('Retry runs the stopped turn again in its place', async (page) => {
  await model.enqueue({ reply: 'Resumed.' });
  const panel = chatPanel(page);
  await lastEntry(panel).getByRole('button', { name: 'Retry' }).click();
  await lastEntry(panel).getByText('Resumed.').waitFor();
  assert.equal(await panel.getByText(cancelledNotice).count(), 0, 'the stopped attempt gave way to the retry');
  const requests = await model.modelRequests();
  assert.deepEqual(requests.at(-1)?.body.messages.at(-1), { role: 'user', content: 'This turn is stopped' });
  assert.equal(requests.length, 4, 'two turns, the stopped one and its retry');
});

uiStep('after a window reload the panel still shows the conversation, and its next turn continues it', async (page) => {
  // Developer: Reload Window shuts the workbench down properly (a bare page reload may skip persisting state).
  const reloaded = page.waitForEvent('load');
  await runFromCommandPalette(page, 'Developer: Reload Window');
  await reloaded;
  await workbenchLoaded(page, promptFile);
  const panel = chatPanel(page);
  await panel.locator('.reply strong', { hasText: 'bold' }).first().waitFor();

  await model.enqueue({ reply: 'Still here.' });
  await sendFromPanel(panel, 'After the reload');
  await lastEntry(panel).getByText('Still here.').waitFor();
  const requests = await model.modelRequests();
  assert.deepEqual(requests.at(-1)?.body.messages, [
    { role: 'system', content: system },
    { role: 'user', content: firstInput },
    { role: 'assistant', content: firstReply },
    { role: 'user', content: secondInput },
    { role: 'assistant', content: secondReply },
    { role: 'user', content: 'This turn is stopped' },
    { role: 'assistant', content: 'Resumed.' },
    { role: 'user', content: 'After the reload' },
  ], 'the stored memory, without the stopped attempt');
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
  await lastEntry(panel).getByText('Noted.').waitFor();
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
  const entry = lastEntry(panel);
  await entry.locator('.reply', { hasText: markup }).waitFor();
  assert.equal(await entry.locator('.reply').textContent(), markup);
  assert.equal(await entry.locator('.bubble.human .text').textContent(), 'Show me some <b>markup</b>', 'the input, as typed');
  assert.equal(await panel.locator('img, b').count(), 0, 'no element made from the reply or the input');
  assert.deepEqual(dialogs, []);
  await page.screenshot({ path: join(screenshots, 'e2e-chat-panel-markup.png') });
});
