// Driving the VS Code workbench the way a person does (playwright-core): the command palette, the input boxes
// commands open, the chat panel's webview. Shared by the UI tests.
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launchChromium, workbenchUrl } from './browser.mjs';

export function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the e2e tests through test/e2e/run.mjs`);
  return value;
}

/** A test step that leaves a screenshot of the workbench behind when it fails. */
export function step(name, pageOf, body) {
  const screenshots = process.env.PROMPT_CHAIN_E2E_SCREENSHOTS ?? 'test-results';
  test(name, { timeout: 120_000 }, async () => {
    try {
      await body();
    } catch (error) {
      const file = `e2e-failed-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}.png`;
      await pageOf()?.screenshot({ path: join(screenshots, file) }).catch(() => {});
      throw error;
    }
  });
}

/**
 * The workbench a file of steps drives. Before the first step, headless chromium opens code-server on
 * PROMPT_CHAIN_E2E_WORKSPACE (with the extension from its source folder when `extensionDevelopmentPath` is
 * given) and waits until `fileInExplorer` shows; after the last, the browser closes. Returns the file's `step`:
 * its body gets the page.
 */
export function useWorkbench({ fileInExplorer, extensionDevelopmentPath }) {
  let browser;
  let page;
  before(async () => {
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(60_000);
    await page.goto(workbenchUrl(required('PROMPT_CHAIN_E2E_CODE_SERVER'), { folder: required('PROMPT_CHAIN_E2E_WORKSPACE'), extensionDevelopmentPath }));
    await workbenchLoaded(page, fileInExplorer);
  });
  after(async () => {
    await browser?.close();
  });
  return (name, body) => step(name, () => page, () => body(page));
}

export async function workbenchLoaded(page, fileInExplorer) {
  await page.locator('.monaco-workbench').waitFor();
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: fileInExplorer }).waitFor();
}

export async function openFromExplorer(page, fileName) {
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: fileName }).dblclick();
  await page.locator('.tabs-container .tab.active', { hasText: fileName }).waitFor();
}

/** The chat panel's content: VS Code nests each webview's document in an inner iframe. */
export function chatPanel(page) {
  return page.frameLocator('iframe.webview').frameLocator('#active-frame');
}

/** Palette entries for .prompt files show only while such an editor has focus. */
export async function focusEditor(page) {
  await page.locator('.editor-group-container .monaco-editor .view-lines').first().click();
}

export async function runFromCommandPalette(page, title) {
  // A quick pick still closing (Escape just pressed) would take F1's keystrokes or go inert under them.
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  await page.keyboard.press('F1');
  const query = page.locator('.quick-input-widget input');
  await query.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await query.press('Enter');
}

/**
 * The quick pick titled `title` is showing: filters it to `label` and presses Enter once the row so labelled is the
 * active one (Enter pressed while the filter is still being applied would choose the first row of the unfiltered list).
 */
export async function chooseFromQuickPick(page, title, label) {
  await page.locator('.quick-input-widget .quick-input-title', { hasText: title }).waitFor();
  await page.locator('.quick-input-widget input').fill(label);
  await page.locator('.quick-input-list .monaco-list-row.focused .label-name', { hasText: label }).first().waitFor();
  await page.keyboard.press('Enter');
}

/** Types into the input box a command opened (the palette's own input is replaced by an empty one). */
export async function answerInputBox(page, text) {
  await page.waitForFunction(() => {
    const input = document.querySelector('.quick-input-widget input');
    return input instanceof HTMLInputElement && input.offsetParent !== null && input.value === '';
  });
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

/**
 * The notification whose message contains `text`, as a toast or in the notification centre. Under the smoke-test
 * driver (which the UI test needs to load the development extension) VS Code shows no toasts, so the centre is
 * opened when the notification is not on screen.
 */
export async function notification(page, text) {
  const shown = page.locator('.notification-toast, .notifications-center .notification-list-item', { hasText: text }).first();
  if (!(await shown.isVisible()) && !(await page.locator('.notifications-center.visible').isVisible())) {
    // The bell in the status bar: unlike a key press, a click does not depend on which frame has the focus.
    await page.locator('[id="status.notifications"]').click();
    // The pointer left on the bell keeps its "Hide Notifications" hover up, over the lowest notification's buttons.
    await page.mouse.move(0, 0);
  }
  await shown.waitFor();
  return shown;
}

/** Closes the notification centre, which would otherwise cover the lower right of the workbench. */
export async function hideNotificationCentre(page) {
  const centre = page.locator('.notifications-center.visible');
  if (!(await centre.isVisible())) return;
  await centre.locator('.notifications-center-header .action-label[aria-label^="Hide Notifications"]').click();
  await centre.waitFor({ state: 'hidden' });
}
