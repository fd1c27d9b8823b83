// The packaged extension as a user gets it: the .vsix from `npm run package`, installed with
// `code-server --install-extension` into a code-server that has never seen it, workspace trust on. The folder
// opens in restricted mode: editing features work, running a turn asks for trust first and sends nothing;
// once trusted, the ▶ in the editor title runs a turn.
// Run by test/e2e/run.mjs, which packages, installs, starts code-server and the fake model server.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before } from 'node:test';
import { chatPanel, notification, openFromExplorer, required, runFromCommandPalette, useWorkbench } from './lib/workbench.mjs';
import { fakeModelControl } from './fakeModelControl.ts';

const screenshots = process.env.PROMPT_CHAIN_E2E_SCREENSHOTS ?? 'test-results';
const model = fakeModelControl();
const vsixStep = useWorkbench({ fileInExplorer: 'chatbot.prompt' });
before(() => model.reset());

vsixStep('the .vsix holds the allowlist only: bundles, the lazily loaded vendor modules, tokenizer tables, grammar, media, examples, manifest, the Marketplace README, LICENSE', () => {
  const entries = zipEntries(readFileSync(required('PROMPT_CHAIN_E2E_VSIX')));
  const allowed = [
    /^extension\.vsixmanifest$/,
    /^\[Content_Types\]\.xml$/,
    /^extension\/(package\.json|language-configuration\.json|readme\.md|LICENSE\.txt)$/,
    /^extension\/dist\/(client|server|serverMain|tokenizerWorker|webview\/main)\.js$/,
    /^extension\/dist\/tokenizer\/\w+\.js$/,
    /^extension\/dist\/vendor\/(openai|yaml|pg|@redis\/client)\.js$/,
    /^extension\/syntaxes\/[\w.-]+\.json$/,
    /^extension\/media\/[\w.-]+$/,
    /^extension\/examples\/[\w-]+\.prompt$/,
  ];
  assert.deepEqual(entries.filter((entry) => !allowed.some((pattern) => pattern.test(entry))), [], 'nothing else');
  for (const needed of ['dist/client.js', 'dist/server.js', 'dist/serverMain.js', 'dist/tokenizerWorker.js', 'dist/webview/main.js', 'dist/vendor/openai.js', 'dist/vendor/yaml.js', 'syntaxes/prompt.tmLanguage.json', 'media/panel.css', 'language-configuration.json',
    'readme.md', 'examples/chatbot-chat.prompt', 'examples/chatbot-completion.prompt']) {
    assert.ok(entries.includes(`extension/${needed}`), needed);
  }
});

vsixStep('in a workspace not yet trusted, the installed extension underlines the memory-key mismatch', async (page) => {
  assert.doesNotMatch(await page.title(), /Extension Development Host/, 'the installed extension, not a development copy');
  await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).waitFor();
  await openFromExplorer(page, 'memory-key-mismatch.prompt');
  await page.locator('.monaco-editor .squiggly-error, .monaco-editor .squiggly-warning').first().waitFor();
  await page.keyboard.press('Control+Shift+M');
  await page.locator('.markers-panel .monaco-list-row', { hasText: 'chat_history' }).first().waitFor();
});

vsixStep('the ▶ in the editor title asks for trust and sends nothing', async (page) => {
  await openFromExplorer(page, 'chatbot.prompt');
  await runButton(page).click();
  await notification(page, 'needs a trusted workspace');
  assert.deepEqual(await model.modelRequests(), []);
});

vsixStep('once the folder is trusted, the ▶ runs a turn and the panel shows the prompt and the reply', async (page) => {
  await (await notification(page, 'needs a trusted workspace')).getByRole('button', { name: 'Manage Workspace Trust' }).click();
  await page.locator('.workspace-trust-editor .monaco-button', { hasText: /^Trust$/ }).first().click();
  await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).waitFor({ state: 'detached' });
  await page.getByText('You trust this folder').waitFor();
  await runFromCommandPalette(page, 'View: Close Editor');
  await page.locator('.workspace-trust-editor').waitFor({ state: 'detached' });

  const reply = ' Hi there! How can I help you today?';
  await model.enqueue({ reply });
  await openFromExplorer(page, 'chatbot.prompt');
  await runButton(page).click();
  // The ▶ opens the chat panel with its input focused; Enter sends.
  const panel = chatPanel(page);
  const input = panel.getByRole('textbox', { name: 'Human input' });
  await input.fill('Hi there my friend');
  await input.press('Enter');
  await panel.getByText(reply.trim()).first().waitFor();
  const prompt = 'You are a chatbot having a conversation with a human.\n\n\nHuman: Hi there my friend\nChatbot:';
  assert.equal((await model.modelRequests()).at(-1)?.body.prompt, prompt);
  await panel.locator('details.turn-details summary').last().click();
  assert.ok((await panel.locator('body').innerText()).includes('> Finished chain.'));
  await page.screenshot({ path: join(screenshots, 'e2e-vsix-chat-panel.png') });
  // Trusting applied the workspace settings, among them the trap's promptChain.baseUrl: that is no error either.
  assert.deepEqual(await page.locator('.notification-toast').filter({ has: page.locator('.codicon-error') }).allInnerTexts(), []);
});

function runButton(page) {
  return page.locator('.editor-actions .action-label[aria-label^="Run Chat Turn"]').first();
}

/** The names in a zip file's central directory (a .vsix is a zip). */
function zipEntries(zip) {
  const endOfDirectory = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(endOfDirectory >= 0, 'a zip file');
  const count = zip.readUInt16LE(endOfDirectory + 10);
  let offset = zip.readUInt32LE(endOfDirectory + 16);
  const names = [];
  for (let i = 0; i < count; i++) {
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    names.push(zip.toString('utf8', offset + 46, offset + 46 + nameLength));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}
