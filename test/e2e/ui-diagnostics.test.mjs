// UI test: reading and fixing diagnostics as a person does in the real workbench — the Problems panel shows
// plain text (no Markdown backticks), the hover over `{history}` states the same LangChain error as its
// diagnostic, the preferred quick fix for three input candidates sets input_key to `human_input` (and every
// candidate is underlined), and the Outline gives front matter, keys, roles and variables their own icons.
// Run by test/e2e/run.mjs after ui.test.mjs, in the same code-server; it keeps to its own diagnostics-*.prompt.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { focusEditor, openFromExplorer, required, runFromCommandPalette, useWorkbench } from './lib/workbench.mjs';

const historyFile = 'diagnostics-history.prompt';
const threeVariablesFile = 'diagnostics-three-variables.prompt';
const outlineFile = 'diagnostics-outline.prompt';
const missingHistory = "Missing some input keys: {'history'}";

const screenshots = process.env.PROMPT_CHAIN_E2E_SCREENSHOTS ?? 'test-results';
const uiStep = useWorkbench({ fileInExplorer: historyFile, extensionDevelopmentPath: required('PROMPT_CHAIN_E2E_EXTENSION') });

uiStep('the Problems panel shows the messages as plain text, LangChain’s error quoted as LangChain writes it', async (page) => {
  await openFromExplorer(page, historyFile);
  await focusEditor(page);
  await runFromCommandPalette(page, 'Focus on Problems View');
  const problems = page.locator('.markers-panel');
  const message = problems.locator('.monaco-list-row', { hasText: 'Nothing provides {history}' });
  await message.waitFor();
  assert.match(await message.innerText(), /the memory writes the conversation into \{chat_history\}, so LLMChain raises “Missing some input keys: \{'history'\}”\. Did you mean \{chat_history\}\?/);
  await problems.locator('.monaco-list-row', { hasText: 'The memory key “chat_history” is used nowhere' }).waitFor();
  const shown = await problems.innerText();
  assert.ok(!shown.includes('`'), `no Markdown backtick in the Problems panel:\n${shown}`);
  await page.screenshot({ path: join(screenshots, 'e2e-problems-plain-text.png') });
});

uiStep('the hover over {history} states the error its diagnostic states', async (page) => {
  await focusEditor(page);
  await variableInEditor(page, 'history').hover();
  const hover = page.locator('.monaco-hover .markdown-hover', { hasText: '— not provided' });
  await hover.waitFor();
  const codes = await hover.locator('code').allInnerTexts();
  assert.ok(codes.includes(missingHistory), `the hover names ${missingHistory}; its code spans: ${JSON.stringify(codes)}`);
  assert.match(await hover.innerText(), /LangChain will raise Missing some input keys: \{'history'\}\./);
  assert.doesNotMatch(await hover.innerText(), /One input key expected/);
  await page.screenshot({ path: join(screenshots, 'e2e-hover-agrees.png') });
  await page.mouse.move(0, 0);
  await page.keyboard.press('Escape');
});

uiStep('three input candidates: each is underlined, and the preferred quick fix sets input_key to human_input', async (page) => {
  await openFromExplorer(page, threeVariablesFile);
  await focusEditor(page);
  const squiggles = page.locator('.editor-group-container .monaco-editor .view-overlays .squiggly-error');
  await page.waitForFunction(() => document.querySelectorAll('.monaco-editor .view-overlays .squiggly-error').length === 3);
  assert.equal(await squiggles.count(), 3, '{persona}, {topic} and {human_input}');

  const menu = page.locator('.action-widget', { hasText: 'Set input_key to “human_input”' });
  // Ctrl+. opens the menu only once the editor has the caret there and its code actions came back; a press
  // that landed before then (a loaded machine) is repeated rather than waited on for ever.
  for (let tries = 1; ; tries++) {
    await variableInEditor(page, 'persona').click();
    await page.keyboard.press('Control+.');
    const shown = await menu.waitFor({ timeout: tries === 3 ? 60_000 : 15_000 }).then(() => true, () => false);
    if (shown) break;
    if (tries === 3) await menu.waitFor({ timeout: 1 });
    await page.keyboard.press('Escape');
  }
  const offered = await menu.innerText();
  assert.ok(offered.indexOf('“human_input”') < offered.indexOf('“persona”'), `human_input is offered first:\n${offered}`);
  await page.screenshot({ path: join(screenshots, 'e2e-quick-fix-prefers-human-input.png') });
  await page.keyboard.press('Escape');
  await menu.waitFor({ state: 'hidden' });

  // Auto Fix applies the one preferred fix without asking. Run from the palette, it sometimes finds no editor
  // with the caret yet (seen 1 run in 2 on this machine, the text unchanged): as with Ctrl+. above, it is run
  // again with the caret put back, rather than waited on for ever.
  const fixed = page.locator('.view-lines .view-line', { hasText: 'input_key: human_input' });
  for (let tries = 1; ; tries++) {
    await variableInEditor(page, 'persona').click();
    await runFromCommandPalette(page, 'Auto Fix...');
    const applied = await fixed.waitFor({ timeout: tries === 3 ? 60_000 : 15_000 }).then(() => true, () => false);
    if (applied) break;
    if (tries === 3) await fixed.waitFor({ timeout: 1 });
  }
  await page.waitForFunction(() => document.querySelectorAll('.monaco-editor .view-overlays .squiggly-error').length === 0);
});

uiStep('the Outline gives the front matter, its keys, each role and the variables their own icons', async (page) => {
  await openFromExplorer(page, outlineFile);
  await focusEditor(page);
  await runFromCommandPalette(page, 'Focus on Outline View');
  const outline = page.locator('.outline-pane');
  const rowNamed = (name) => outline.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: name }) }).first();
  const iconOf = async (name) => {
    const row = rowNamed(name);
    await row.waitFor();
    const classes = (await row.locator('.outline-element-icon').getAttribute('class')) ?? '';
    return classes.split(/\s+/).find((cls) => cls.startsWith('codicon-symbol-')) ?? `(none: ${classes})`;
  };
  // The outline opens expanded: the front matter's keys come first.
  assert.equal(await iconOf(/^return_messages$/), 'codicon-symbol-property');
  // Collapsed, every message fits in the pane (the list renders only the rows in view).
  // A pane's header actions show only while the pointer is over the pane.
  const header = page.locator('.pane-header', { hasText: 'Outline' });
  await header.hover();
  await header.locator('.action-label[aria-label^="Collapse All"]').click();
  const icons = {
    frontMatter: await iconOf(/^front matter$/),
    system: await iconOf(/^system: You are a chatbot/),
    placeholder: await iconOf(/^placeholder: \{chat_history\}$/),
    human: await iconOf(/^human: \{human_input\}$/),
  };
  assert.deepEqual(icons, {
    frontMatter: 'codicon-symbol-namespace',
    system: 'codicon-symbol-interface',
    placeholder: 'codicon-symbol-array',
    human: 'codicon-symbol-event',
  });
  await rowNamed(/^human: \{human_input\}$/).locator('.monaco-tl-twistie').click();
  assert.equal(await iconOf(/^\{human_input\}$/), 'codicon-symbol-variable');
  await page.screenshot({ path: join(screenshots, 'e2e-outline-icons.png') });
});

/** The editor's text of `{name}`: Monaco renders each token in its own span inside the line. */
function variableInEditor(page, name) {
  const line = page.locator('.editor-group-container .monaco-editor .view-lines .view-line', { hasText: `{${name}}` }).first();
  // Whether `{name}` is one token or three (`{`, `name`, `}`) depends on the theme's semantic colouring.
  return line.locator('span span', { hasText: new RegExp(`^\\{?${name}\\}?$`) }).first();
}
