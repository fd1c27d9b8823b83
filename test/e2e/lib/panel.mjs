// The chat panel's controls as the UI stories use them (ui.test.mjs, ui-panel-recovery.test.mjs).

export function inputBox(panel) {
  return panel.getByRole('textbox', { name: 'Human input' });
}

export function lastEntry(panel) {
  return panel.locator('.transcript .entry').last();
}

/** Types the next turn's input into the panel's own input box and sends it with Enter. */
export async function sendFromPanel(panel, text) {
  await inputBox(panel).fill(text);
  await inputBox(panel).press('Enter');
}

/** ▶, the code lens and the palette leave the keyboard in the panel's input: type there as a person would. */
export async function typeIntoFocusedInput(page, panel, text) {
  await inputBox(panel).evaluate((input) => new Promise((resolve) => {
    const focused = () => document.hasFocus() && document.activeElement === input;
    if (focused()) return resolve();
    const poll = setInterval(() => focused() && (clearInterval(poll), resolve()), 50);
  }));
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

/** Runs in the panel's page: resolves once it overflows and is scrolled to its end. */
export function untilAtBottom() {
  const atBottom = () => {
    const root = document.scrollingElement ?? document.documentElement;
    return root.scrollHeight > root.clientHeight && root.scrollHeight - root.scrollTop - root.clientHeight < 40;
  };
  return new Promise((resolve) => {
    if (atBottom()) return resolve();
    const poll = setInterval(() => atBottom() && (clearInterval(poll), resolve()), 50);
  });
}
