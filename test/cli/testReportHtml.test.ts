// The HTML report of `prompt-chain test` as a person opens it: headless Chromium (playwright-core, Debian's
// chromium) loads the file the CLI wrote and a screenshot goes to out/. Two models in columns, a snapshot
// diff highlighted, and model text that looks like markup shown as text, never run.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { useFakeOpenAI } from '../support/useFakeOpenAI';
import { chatExample } from '../support/examples';
import { createWorkspace, repoRoot, useCliWorkspaces } from './support/cli';

useCliWorkspaces();
const { fake } = useFakeOpenAI();
let browser: Browser;

before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    // Root in a container needs --no-sandbox; the rest keeps chromium off the network.
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
});
after(() => browser?.close());

const testFile = `prompt: chatbot-chat.prompt
conversations:
  - name: greets and remembers
    turns:
      - input: "My name is <img src=x onerror=alert(1)>"
        expect:
          - contains: img
      - input: What is my name?
        expect:
          - snapshot: true
`;

test('the HTML report in Chromium: transcripts, models in columns, the diff highlighted, markup as text, no script', async () => {
  const ws = createWorkspace({ 'chatbot-chat.prompt': chatExample, 'chat.prompt-test.yaml': testFile });
  const env = { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.baseURL };
  const models = ['--model', 'gpt-4o', '--model', 'gpt-4o-mini', '--concurrency', '1'];
  assert.equal((await ws.run(['test', '--update', ...models], env)).code, 0);
  // gpt-4o's first turn, then its second, which now differs from the baseline; gpt-4o-mini echoes.
  fake.enqueue({ reply: 'Hello <script>document.title="owned"</script>' }, { reply: 'Your name is\nsomething else' });
  const run = await ws.run(['test', '--reporter', 'html', '-o', 'report.html', ...models], env);
  assert.equal(run.code, 1, run.stderr);

  const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  const blocked: string[] = [];
  page.on('request', (request) => {
    if (!request.url().startsWith('file:')) blocked.push(request.url());
  });
  await page.goto(pathToFileURL(path.join(ws.root, 'report.html')).href);
  assert.equal(await page.title(), 'Prompt tests');
  assert.deepEqual(await page.locator('thead th .model').allTextContents(), ['gpt-4o', 'gpt-4o-mini']);
  assert.match((await page.locator('thead th').nth(1).textContent()) ?? '', /failed · \d+ tokens · \d+ ms/);
  assert.equal(await page.locator('script, img').count(), 0, 'model and test text is escaped');
  assert.match((await page.locator('tbody tr').first().textContent()) ?? '', /Hello <script>document\.title="owned"<\/script>/);
  assert.deepEqual(await page.locator('.diff .removed').allTextContents(), ['- Echo: What is my name?']);
  assert.deepEqual(await page.locator('.diff .added').allTextContents(), ['+ Your name is', '+ something else']);
  const removedColour = await page.locator('.diff .removed').evaluate((el) => getComputedStyle(el).backgroundColor);
  assert.notEqual(removedColour, 'rgba(0, 0, 0, 0)', 'a removed line is highlighted');
  assert.deepEqual(blocked, [], 'the page loads nothing from anywhere');
  mkdirSync(path.join(repoRoot, 'out'), { recursive: true });
  await page.screenshot({ path: path.join(repoRoot, 'out/prompt-test-report.png'), fullPage: true });
  await page.close();
});
