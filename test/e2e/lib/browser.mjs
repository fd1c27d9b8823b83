// Headless Debian chromium driving the code-server workbench, and VS Code's extension test contract
// (extensionDevelopmentPath + extensionTestsPath) spoken through the browser workbench's URL.
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { format } from 'node:util';
import { tools } from './tools.mjs';

const require = createRequire(import.meta.url);

function loadPlaywright() {
  // The project's devDependency first; the copy setup.sh installs serves a bare checkout.
  try {
    return require('playwright-core');
  } catch {
    return require(tools.playwrightCore);
  }
}

export async function launchChromium() {
  const { chromium } = loadPlaywright();
  return chromium.launch({
    executablePath: tools.chromium,
    headless: true,
    // Root in a container needs --no-sandbox; the rest keeps chromium from phoning home offline.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

/**
 * The workbench URL that opens `folder`, with the extension loaded from its source folder when
 * `extensionDevelopmentPath` is given (else only installed extensions run). code-server has no
 * --extensionDevelopmentPath flag: the web workbench reads it from `payload`, and only when code-server runs with
 * `--vscode-option enable-smoke-test-driver` (otherwise the payload is silently ignored).
 */
export function workbenchUrl(baseURL, { folder, extensionDevelopmentPath, extensionTestsPath }) {
  const host = new URL(baseURL).host;
  const remote = (path) => `vscode-remote://${host}${resolve(path)}`;
  const payload = [];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  let query = `folder=${encodeURIComponent(resolve(folder))}`;
  if (payload.length > 0) query += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return `${new URL('/', baseURL).href}?${query}`;
}

// Workbench chatter that says nothing about our extension (offline gallery, chat agent host, auth providers).
const workbenchNoise = /^Creation of workbench contribution|AgentHost|ChatModelSelection|Creating a socket|connection token|grace time|Service Worker|builtin extensions cache|AccountPolicyGate|open-vsx\.org|authentication provider 'github'|^Canceled/;

/**
 * Opens the workbench in test mode and waits for the extension host to report the suite's exit code through
 * window.codeAutomationExit (the smoke-test driver's hook). Extension-host console output is echoed.
 * Resolves with the exit code: 0 passed, 1 failed, 124 timed out.
 */
export async function runExtensionTestsInBrowser(baseURL, options, { timeoutMs }) {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    let reportExit;
    const exited = new Promise((r) => (reportExit = r));
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const line = format(...(args ?? []));
      if (!workbenchNoise.test(line)) (type === 'error' ? console.error : console.log)(line);
    });
    await page.exposeFunction('codeAutomationExit', (code) => reportExit(code));
    await page.goto(workbenchUrl(baseURL, options));
    let timer;
    const timedOut = new Promise((r) => (timer = setTimeout(() => r(124), timeoutMs)));
    const code = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    return code;
  } finally {
    await browser.close();
  }
}
