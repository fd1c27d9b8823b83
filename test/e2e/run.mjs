// `npm run test:e2e`: the extension in a real VS Code.
//   1. the extension-host suite (test/e2e/suite, VS Code's extensionTestsPath contract): in desktop VS Code when
//      one is available (VSCODE_EXECUTABLE_PATH, or @vscode/test-electron can download it), else in code-server;
//   2. the UI test (test/e2e/ui.test.mjs): playwright-core drives the code-server workbench in headless chromium.
// Both talk to one fake OpenAI-compatible server started here (OPENAI_BASE_URL for the extension).
// Prints `N passed, N failed` last; exits non-zero on any failure; a watchdog bounds the whole run.
//
// Options (for working on the harness): --suite-only, --ui-only, --suite-entry PATH (another suite's index.ts),
// --extension DIR (another extension folder to load).
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';
import { tsImport } from 'tsx/esm/api';
import { startCodeServer } from './lib/codeServer.mjs';
import { runExtensionTestsInBrowser } from './lib/browser.mjs';
import { findDesktopVSCode, runExtensionTestsInDesktop } from './lib/desktop.mjs';
import { ensureTools } from './lib/tools.mjs';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const resultsDir = join(repoRoot, 'test-results');
const limits = { wholeRun: 14 * 60_000, setup: 8 * 60_000, codeServerStart: 60_000, suite: 5 * 60_000, ui: 4 * 60_000 };

const { values: options } = parseArgs({
  options: {
    'suite-only': { type: 'boolean', default: false },
    'ui-only': { type: 'boolean', default: false },
    'suite-entry': { type: 'string', default: join(repoRoot, 'test/e2e/suite/index.ts') },
    extension: { type: 'string', default: repoRoot },
  },
});

const extensionPath = resolve(options.extension);
const tally = { passed: 0, failed: 0 };
let finishing = false;
const cleanups = [];
const runningChildren = new Set();
cleanups.push(() => { for (const child of runningChildren) child.kill('SIGKILL'); });
const runDir = mkdtempSync(join(tmpdir(), 'prompt-chain-e2e-'));
cleanups.push(() => rmSync(runDir, { recursive: true, force: true }));

const watchdog = setTimeout(() => {
  console.error(`[e2e] the e2e run exceeded ${limits.wholeRun / 60_000} minutes; stopping`);
  tally.failed++;
  finish(124);
}, limits.wholeRun);

try {
  await main();
  finish(tally.failed > 0 || tally.passed === 0 ? 1 : 0);
} catch (error) {
  console.error(`[e2e] ${error?.stack ?? error}`);
  tally.failed++;
  finish(1);
}

async function main() {
  const { main: extensionMain } = JSON.parse(readFileSync(join(extensionPath, 'package.json'), 'utf8'));
  if (!existsSync(join(extensionPath, extensionMain))) throw new Error(`${extensionMain} is missing: run \`npm run build\` first`);
  mkdirSync(resultsDir, { recursive: true });
  for (const name of readdirSync(resultsDir)) if (/^(e2e-.*\.png|code-server\.log)$/.test(name)) rmSync(join(resultsDir, name));
  const fakeModel = await startFakeModel();
  const extensionEnv = {
    OPENAI_BASE_URL: fakeModel.baseURL,
    OPENAI_API_KEY: 'sk-prompt-chain-e2e', // a fake key for the fake server; SecretStorage stays empty
    PROMPT_CHAIN_E2E_FAKE_OPENAI: fakeModel.baseURL,
    PROMPT_CHAIN_E2E_RESULTS: join(runDir, 'suite-results.json'),
  };
  let codeServer;
  const ensureCodeServer = async () => (codeServer ??= await startCodeServerForRun(extensionEnv));
  if (!options['ui-only']) await runSuite(extensionEnv, ensureCodeServer);
  if (!options['suite-only']) await runUiTest(await ensureCodeServer(), fakeModel.baseURL);
}

async function startFakeModel() {
  const { startFakeOpenAI } = await tsImport('../support/fakeOpenAI.ts', import.meta.url);
  const fake = await startFakeOpenAI();
  cleanups.unshift(() => fake.close());
  return fake;
}

async function startCodeServerForRun(env) {
  await timed('set-up (test/e2e/setup.sh)', () => ensureTools({ timeoutMs: limits.setup }));
  const stateDir = join(runDir, 'code-server');
  const server = await timed('code-server start', async () =>
    startCodeServer({ stateDir, port: await freePort(), env, timeoutMs: limits.codeServerStart }));
  cleanups.unshift(() => server.stop());
  cleanups.unshift(() => { if (tally.failed > 0) cpSync(server.logPath, join(resultsDir, 'code-server.log')); });
  return server;
}

async function runSuite(env, ensureCodeServer) {
  const extensionTestsPath = await bundleSuite(options['suite-entry']);
  const folder = workspaceCopy('suite');
  const desktop = await findDesktopVSCode();
  const exitCode = await timed(`extension-host suite (${desktop ? 'desktop VS Code' : 'code-server'})`, async () => {
    if (desktop) {
      return runExtensionTestsInDesktop(desktop, { folder, extensionDevelopmentPath: extensionPath, extensionTestsPath,
        userDataDir: join(runDir, 'desktop/user-data'), extensionsDir: join(runDir, 'desktop/extensions'), env });
    }
    const { baseURL } = await ensureCodeServer();
    return runExtensionTestsInBrowser(baseURL, { folder, extensionDevelopmentPath: extensionPath, extensionTestsPath },
      { timeoutMs: limits.suite });
  });
  countSuiteResults(env.PROMPT_CHAIN_E2E_RESULTS, exitCode);
}

/** esbuild bundles the suite (TypeScript, importing the project's protocol types) into one CommonJS file. */
async function bundleSuite(entry) {
  const outfile = join(repoRoot, 'out/e2e/suite.js');
  await esbuild.build({ entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20',
    external: ['vscode', 'mocha'], sourcemap: 'inline', logLevel: 'warning' });
  return outfile;
}

function countSuiteResults(resultsPath, exitCode) {
  if (!existsSync(resultsPath)) {
    console.error(`[e2e] the extension-host suite reported no results (exit code ${exitCode}${exitCode === 124 ? ': timed out' : ''})`);
    tally.failed++;
    return;
  }
  const results = JSON.parse(readFileSync(resultsPath, 'utf8'));
  tally.passed += results.passed;
  tally.failed += results.failed;
  for (const failure of results.failures) console.error(`[e2e] FAILED ${failure.title}: ${failure.error.split('\n')[0]}`);
  if (exitCode !== 0 && results.failed === 0) {
    console.error(`[e2e] the extension-host run exited with ${exitCode} although its tests passed`);
    tally.failed++;
  }
}

/** Runs ui.test.mjs under node's test runner: spec output for people, TAP in a file for the counts. */
async function runUiTest(codeServer, fakeModelURL) {
  const tapFile = join(runDir, 'ui.tap');
  const env = {
    ...process.env,
    PROMPT_CHAIN_E2E_CODE_SERVER: codeServer.baseURL,
    PROMPT_CHAIN_E2E_EXTENSION: extensionPath,
    PROMPT_CHAIN_E2E_WORKSPACE: workspaceCopy('ui'),
    PROMPT_CHAIN_E2E_FAKE_OPENAI: fakeModelURL,
    PROMPT_CHAIN_E2E_SCREENSHOTS: resultsDir,
  };
  const args = ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tapFile}`, join(repoRoot, 'test/e2e/ui.test.mjs')];
  await timed('UI test (playwright-core)', () => runChild(process.execPath, args, { env, timeoutMs: limits.ui }));
  const tap = existsSync(tapFile) ? readFileSync(tapFile, 'utf8') : '';
  const count = (name) => Number(tap.match(new RegExp(`^# ${name} (\\d+)$`, 'm'))?.[1] ?? 0);
  tally.passed += count('pass');
  tally.failed += count('fail') + count('cancelled');
  if (!tap.includes('# pass')) {
    console.error('[e2e] the UI test reported no results');
    tally.failed++;
  }
}

/** Fresh copy of the workspace template, so every run and every phase starts with no stored memory. */
function workspaceCopy(name) {
  const folder = join(runDir, `workspace-${name}`);
  cpSync(join(repoRoot, 'test/e2e/workspace-template'), folder, { recursive: true });
  return folder;
}

function runChild(command, args, { env, timeoutMs }) {
  return new Promise((resolvePromise) => {
    const child = spawn(command, args, { env, stdio: 'inherit', cwd: repoRoot });
    runningChildren.add(child);
    const timer = setTimeout(() => {
      console.error(`[e2e] ${args.at(-1)} did not finish in ${timeoutMs / 1000}s; stopping it`);
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      runningChildren.delete(child);
      resolvePromise(code);
    });
  });
}

function freePort() {
  return new Promise((resolvePromise, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolvePromise(port));
    });
  });
}

async function timed(label, step) {
  const start = Date.now();
  try {
    return await step();
  } finally {
    console.log(`[e2e] ${label}: ${((Date.now() - start) / 1000).toFixed(1)}s`);
  }
}

async function finish(exitCode) {
  if (finishing) return;
  finishing = true;
  clearTimeout(watchdog);
  for (const cleanup of cleanups) {
    try {
      await cleanup();
    } catch (error) {
      console.error(`[e2e] clean-up: ${error?.message ?? error}`);
    }
  }
  console.log(`${tally.passed} passed, ${tally.failed} failed`);
  process.exit(exitCode);
}

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => { tally.failed++; finish(130); });
