// UI story of prompt tests in VS Code's Testing view, in the real workbench (code-server in headless chromium,
// playwright-core): the workspace holds a chat prompt and its `.prompt-test.yaml` with two conversations, one
// the fake model's echo passes and one it cannot (it never says "Ahoy"). The user opens the Testing view, sees
// the file expand to its conversations and their turns, runs all, sees which passed and which failed, opens the
// failure's peek with expected and actual, and finds in Test Results the failure told once (at its turn) and
// the turn's own LangChain trace. Keeps to its own testing-chat files and leaves the explorer showing.
// Run by test/e2e/run.mjs (`--ui-file testing` alone).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before } from 'node:test';
import { required, runFromCommandPalette, useWorkbench } from './lib/workbench.mjs';
import { fakeModelControl } from './fakeModelControl.ts';

const testFile = 'testing-chat.prompt-test.yaml';
const passing = 'echoes the greeting';
const failing = 'answers like a pirate';
const screenshots = process.env.PROMPT_CHAIN_E2E_SCREENSHOTS ?? 'test-results';
const model = fakeModelControl();
const testingStep = useWorkbench({ fileInExplorer: testFile, extensionDevelopmentPath: required('PROMPT_CHAIN_E2E_EXTENSION') });
// Nothing is scripted: every turn gets the fake model's echo of its input.
before(() => model.reset());

/** A row of the Testing view's tree whose label is `label`. */
function testRow(page, label) {
  return page.locator('.test-explorer .monaco-list-row').filter({ has: page.locator('.label', { hasText: label }) }).first();
}

/** Expands a collapsed row of the tree (its children are listed by the language server). */
async function expand(page, label) {
  const row = testRow(page, label);
  await row.waitFor();
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.locator('.monaco-tl-twistie').click();
  await page.locator(`.test-explorer .monaco-list-row[aria-expanded="true"]`, { hasText: label }).waitFor();
}

/** Waits until the row shows `state` (passed, failed…) as its icon. */
async function rowState(page, label, state) {
  await testRow(page, label).locator(`.codicon-testing-${state}-icon`).waitFor();
}

testingStep('the Testing view lists the test file, which expands to its conversations and their turns', async (page) => {
  // The beaker in the activity bar.
  await page.locator('.activitybar .action-label[aria-label^="Testing"]').click();
  await expand(page, testFile);
  await expand(page, passing);
  await expand(page, failing);
  for (const turn of ['1. Hello there', '2. How are you?', '1. Good morning']) await testRow(page, turn).waitFor();
});

testingStep('Run All: the echoed conversation passes with its turns, the pirate one fails at its turn', async (page) => {
  await runFromCommandPalette(page, 'Test: Run All Tests');
  await rowState(page, failing, 'failed');
  await rowState(page, '1. Good morning', 'failed');
  await rowState(page, passing, 'passed');
  for (const turn of ['1. Hello there', '2. How are you?']) await rowState(page, turn, 'passed');
  // Every turn of the file went to the model, in a memory of its own.
  const requests = await model.modelRequests();
  assert.deepEqual(requests.map((r) => r.body.messages.at(-1).content).sort(), ['Good morning', 'Hello there', 'How are you?']);
  await page.screenshot({ path: join(screenshots, 'e2e-testing-run.png') });
});

testingStep("the failure's peek shows what was expected and what the model answered", async (page) => {
  // Opening a failed turn in the Testing view peeks at its failure, in the test file at the assertion.
  await testRow(page, '1. Good morning').click();
  const peek = page.locator('.test-output-peek');
  await peek.waitFor();
  await page.locator('.tabs-container .tab.active', { hasText: testFile }).waitFor();
  await peek.filter({ hasText: 'reply does not contain `Ahoy`' }).waitFor();
  const diff = peek.locator('.monaco-diff-editor');
  await diff.locator('.editor.original .view-lines', { hasText: 'Ahoy' }).waitFor();
  await diff.locator('.editor.modified .view-lines', { hasText: 'Echo: Good morning' }).waitFor();
  await page.screenshot({ path: join(screenshots, 'e2e-testing-peek.png') });
});

testingStep("Test Results: the failure once, at its turn, and the turn's own LangChain trace, line by line", async (page) => {
  await runFromCommandPalette(page, 'Test: Show Output');
  const results = page.locator('.pane-body .test-output-peek-tree .monaco-list-row');
  // The failure is told once, at its turn; its conversation says only which turn failed.
  await results.filter({ hasText: failing }).filter({ hasText: 'turn 1 failed: 1 of 2 assertions' }).waitFor();
  assert.equal(await results.filter({ hasText: 'reply does not contain' }).count(), 1);
  const turnRow = results.filter({ hasText: '1. Good morning' }).first();
  await turnRow.hover();
  await turnRow.locator('.action-label[aria-label="Show Result Output"]').click();
  // Only the turn's trace: the other conversation's turns are not in it.
  const shown = await page.waitForFunction(() => {
    const text = [...document.querySelectorAll('.pane-body .xterm-rows')].map((rows) => rows.textContent ?? '').join('\n');
    return text.includes('Human: Good morning') && !text.includes('Hello there') ? text : false;
  });
  assert.match(await shown.jsonValue(), /Prompt after formatting:/);
  // CRLF line ends: each line of the trace starts at the left edge of its row, not where the last one ended.
  const rows = await page.locator('.pane-body .xterm-rows > div').allTextContents();
  for (const line of ['Prompt after formatting:', 'Human: Good morning', '> Finished chain.']) {
    assert.ok(rows.some((row) => row.startsWith(line)), `a row starts with ${line}: ${JSON.stringify(rows)}`);
  }
  await page.screenshot({ path: join(screenshots, 'e2e-testing-output.png') });
});

testingStep('the workbench is left as the other UI files expect it: editors closed, the explorer showing', async (page) => {
  await runFromCommandPalette(page, 'View: Close All Editors');
  await page.locator('.tabs-container .tab').first().waitFor({ state: 'detached' });
  await runFromCommandPalette(page, 'View: Hide Panel');
  await page.locator('.activitybar .action-label[aria-label^="Explorer"]').click();
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: testFile }).waitFor();
});
