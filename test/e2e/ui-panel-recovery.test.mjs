// UI test: the chat panel's ways back from a turn that went wrong, in the real workbench (code-server in headless
// chromium, driven by playwright-core): Edit and resend the last input, an endpoint error with its actions and
// the typed input kept, Clear after a modal confirmation (a marker in the transcript; the next turn starts a new
// conversation), and a file with errors whose turn is refused with nothing sent. Keeps to its own files
// (recovery-chat.prompt, refused-turn.prompt). Run by test/e2e/run.mjs, like ui.test.mjs.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before } from 'node:test';
import { chatPanel, openFromExplorer, required, runFromCommandPalette, useWorkbench } from './lib/workbench.mjs';
import { inputBox, lastEntry, sendFromPanel, typeIntoFocusedInput } from './lib/panel.mjs';
import { fakeModelControl } from './fakeModelControl.ts';

const promptFile = 'recovery-chat.prompt';
const system = 'You are a chatbot having a conversation with a human.';

const screenshots = process.env.PROMPT_CHAIN_E2E_SCREENSHOTS ?? 'test-results';
const model = fakeModelControl();
const uiStep = useWorkbench({ fileInExplorer: promptFile, extensionDevelopmentPath: required('PROMPT_CHAIN_E2E_EXTENSION') });
before(() => model.reset());

uiStep('two turns from the ▶ in the editor title and the panel', async (page) => {
  await openFromExplorer(page, promptFile);
  await page.locator('.codelens-decoration', { hasText: 'Run chat turn' }).waitFor();
  await model.enqueue({ reply: 'First answer.' }, { reply: 'Second answer.' });
  await runButton(page).click();
  const panel = chatPanel(page);
  await typeIntoFocusedInput(page, panel, 'First question');
  await lastEntry(panel).getByText('First answer.').waitFor();
  await sendFromPanel(panel, 'Second question');
  await lastEntry(panel).getByText('Second answer.').waitFor();
});

// Needs RunTurnParams.replaceLast in the server (server/src/protocol.ts): the edited turn is sent with the
// memory before the turn it replaces, and replaces it once complete.
uiStep('Edit and resend: the edited last input replaces the last turn once its new reply is complete', async (page) => {
  await model.enqueue({ reply: 'Edited answer.' });
  const panel = chatPanel(page);
  await lastEntry(panel).getByRole('button', { name: 'Edit' }).click();
  assert.equal(await inputBox(panel).inputValue(), 'Second question');
  await panel.locator('#editing').waitFor();
  await inputBox(panel).fill('Second question, edited');
  await inputBox(panel).press('Enter');
  await lastEntry(panel).getByText('Edited answer.').waitFor();

  assert.equal(await panel.locator('.transcript .entry').count(), 2, 'the edited turn took the place of the old one');
  assert.equal(await panel.locator('.reply', { hasText: 'Second answer.' }).count(), 0, 'the replaced reply is gone');
  assert.deepEqual((await model.modelRequests()).at(-1)?.body.messages, [
    { role: 'system', content: system },
    { role: 'user', content: 'First question' },
    { role: 'assistant', content: 'First answer.' },
    { role: 'user', content: 'Second question, edited' },
  ], 'sent without the turn it replaces');
  await panel.locator('#facts', { hasText: '2 turns stored' }).waitFor();
});

// Needs the server's typed failures (FailureData.kind 'endpoint', the setting's source in `data.setting`).
uiStep('an endpoint error shows in the panel with its way out, keeps the typed input, and Retry recovers', async (page) => {
  await model.enqueue({ fault: 'body', contentType: 'text/html', body: '<html><body>Welcome to nginx!</body></html>' });
  const panel = chatPanel(page);
  await sendFromPanel(panel, 'Is the endpoint up?');
  const failure = lastEntry(panel).locator('.failure.error');
  await failure.waitFor();
  assert.match(await failure.innerText(), /OPENAI_BASE_URL/, 'names where the endpoint came from: the environment');
  await failure.getByRole('button', { name: 'Retry' }).waitFor();
  assert.equal(await lastEntry(panel).getByRole('button', { name: 'Retry' }).count(), 1, 'Retry is offered once');
  await lastEntry(panel).getByRole('button', { name: 'Edit' }).waitFor();
  assert.equal(await inputBox(panel).inputValue(), 'Is the endpoint up?');
  await page.screenshot({ path: join(screenshots, 'e2e-endpoint-error.png') });

  await inputBox(panel).fill('');
  await model.enqueue({ reply: 'Up again.' });
  await failure.getByRole('button', { name: 'Retry' }).click();
  await lastEntry(panel).getByText('Up again.').waitFor();
  assert.equal(await panel.locator('.failure.error').count(), 0, 'the failed attempt gave way to the retry');
});

uiStep('Clear asks first; once confirmed, the transcript marks where the conversation was cleared', async (page) => {
  const panel = chatPanel(page);
  await panel.getByRole('button', { name: 'Clear memory' }).click();
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.getByText(`Clear the stored conversation of ${promptFile}?`).waitFor();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'detached' });
  assert.equal(await panel.locator('.cleared-marker').count(), 0, 'cancelled: nothing cleared');

  await panel.getByRole('button', { name: 'Clear memory' }).click();
  await dialog.getByRole('button', { name: 'Clear', exact: true }).click();
  await panel.locator('.cleared-marker', { hasText: /Conversation cleared · \d+ turns forgotten/ }).waitFor();
  await panel.locator('#facts', { hasText: '0 turns stored' }).waitFor();
  assert.equal(await lastEntry(panel).getByRole('button', { name: 'Retry' }).count(), 0, 'nothing to retry after a clear');
  // The language server asks the editor to refresh its code lenses after the clear.
  await page.locator('.codelens-decoration', { hasText: 'Clear memory (0 turns)' }).waitFor();
});

uiStep('after a clear, the next turn starts a new conversation: none of the cleared turns is sent', async (page) => {
  await model.enqueue({ reply: 'Nice to meet you.' });
  const panel = chatPanel(page);
  await sendFromPanel(panel, 'Hello again');
  await lastEntry(panel).getByText('Nice to meet you.').waitFor();
  assert.deepEqual((await model.modelRequests()).at(-1)?.body.messages, [
    { role: 'system', content: system },
    { role: 'user', content: 'Hello again' },
  ]);
  await panel.locator('#facts', { hasText: '1 turn stored' }).waitFor();
});

// Needs promptChain/turnInputs (or the server's refusal with data.kind 'file-has-errors').
uiStep('a turn of a file with errors is refused in the panel with Show Problems, and nothing is sent', async (page) => {
  await runFromCommandPalette(page, 'View: Close All Editors');
  const before = (await model.modelRequests()).length;
  await openFromExplorer(page, 'refused-turn.prompt');
  await page.locator('.monaco-editor .squiggly-error').first().waitFor();
  await runButton(page).click();
  const panel = chatPanel(page);
  await typeIntoFocusedInput(page, panel, 'Will this run?');

  const notice = panel.locator('#notice');
  await notice.getByText(/refused-turn\.prompt has 1 problem to fix before a turn can run/).waitFor();
  assert.equal(await panel.locator('.transcript .entry').count(), 0, 'no half-run turn left behind');
  assert.equal(await inputBox(panel).inputValue(), 'Will this run?');
  await notice.getByRole('button', { name: 'Show Problems' }).click();
  await page.locator('.markers-panel .monaco-list-row', { hasText: 'history' }).first().waitFor();
  assert.equal((await model.modelRequests()).length, before, 'nothing reached the model');
});

uiStep("a summary memory's call is folded in the turn's details, its tokens in the turn's", async (page) => {
  await runFromCommandPalette(page, 'View: Close All Editors');
  await openFromExplorer(page, 'summary-chat.prompt');
  await page.locator('.codelens-decoration', { hasText: 'Run chat turn' }).waitFor();
  await model.enqueue({ reply: 'Summaries keep it short.' }, { reply: 'The human asks about summaries.' });
  await runButton(page).click();
  const panel = chatPanel(page);
  await typeIntoFocusedInput(page, panel, 'What is a summary memory?');
  const entry = lastEntry(panel);
  // The reply: the summary prompt in the details quotes it too.
  await entry.locator('.reply', { hasText: 'Summaries keep it short.' }).waitFor();
  const details = entry.locator('details.turn-details');
  await details.locator('summary', { hasText: /summary\)/ }).waitFor();
  assert.match(await details.locator('summary').first().innerText(), /Details · \d+ tokens \(\d+ chain \+ \d+ summary\)/);
  await details.locator('summary').first().click();
  const call = details.locator('details.memory-call');
  assert.match(await details.locator('.memory-calls .section-label').first().innerText(), /Memory calls \(1\)/);
  await call.locator('summary').click();
  assert.match(await call.locator('.memory-call-prompt code').textContent(), /^Progressively summarize the lines of conversation[\s\S]*Human: What is a summary memory\?\nAI: Summaries keep it short\.\n\nNew summary:$/);
  assert.equal(await call.locator('.memory-call-reply').textContent(), 'The human asks about summaries.');
  const requests = await model.modelRequests();
  assert.equal(requests.at(-1)?.body.messages.length, 1, 'the summary goes to a chat model as one human message');
  await panel.locator('#facts', { hasText: '1 turn stored · all in the summary' }).waitFor();
  await page.screenshot({ path: join(screenshots, 'e2e-panel-summary-call.png') });
});

function runButton(page) {
  return page.locator('.editor-actions .action-label[aria-label^="Run Chat Turn"]').first();
}
