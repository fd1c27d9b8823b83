// `npm run test:e2e`: the extension in a real VS Code.
//   1. the extension-host suite (test/e2e/suite, VS Code's extensionTestsPath contract): in desktop VS Code when
//      one is available (VSCODE_EXECUTABLE_PATH, or @vscode/test-electron can download it), else in code-server;
//   2. the UI test (test/e2e/ui.test.mjs): playwright-core drives the code-server workbench in headless chromium;
//   3. the packaged extension (test/e2e/vsix.test.mjs): `npm run package`, `code-server --install-extension` of
//      the .vsix into a fresh code-server with workspace trust on, then a person's first steps in it;
//   4. checks over the whole run: no API key in any file written, no request to the endpoint the workspace named.
// All talk to one fake OpenAI-compatible server started here (OPENAI_BASE_URL for the extension). Every workspace
// copy names a second one, the trap, in its .vscode/settings.json: the extension must never send turns there.
// Prints `N passed, N failed` last; exits non-zero on any failure; a watchdog bounds the whole run.
//
// Options (for working on the harness): --suite-only, --ui-only, --vsix-only, --suite-entry PATH (another suite's
// index.ts), --extension DIR (another extension folder to load; skips the packaged-extension phase), --ui-file TEXT
// (with --ui-only: only the ui-*.test.mjs files whose name contains TEXT, e.g. `--ui-file history`).
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import assert from 'node:assert/strict';
import * as esbuild from 'esbuild';
import { tsImport } from 'tsx/esm/api';
import { environmentApiKey, storedApiKey } from './lib/apiKeys.mjs';
import { installExtension, startCodeServer } from './lib/codeServer.mjs';
import { runExtensionTestsInBrowser } from './lib/browser.mjs';
import { findDesktopVSCode, runExtensionTestsInDesktop } from './lib/desktop.mjs';
import { ensureTools } from './lib/tools.mjs';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const resultsDir = join(repoRoot, 'test-results');
const limits = { wholeRun: 14 * 60_000, setup: 8 * 60_000, codeServerStart: 60_000, suite: 5 * 60_000, ui: 4 * 60_000, vsix: 3 * 60_000 };

const { values: options } = parseArgs({
  options: {
    'suite-only': { type: 'boolean', default: false },
    'ui-only': { type: 'boolean', default: false },
    'vsix-only': { type: 'boolean', default: false },
    'suite-entry': { type: 'string', default: join(repoRoot, 'test/e2e/suite/index.ts') },
    extension: { type: 'string', default: repoRoot },
    'ui-file': { type: 'string' },
  },
});

const extensionPath = resolve(options.extension);
const only = ['suite-only', 'ui-only', 'vsix-only'].find((name) => options[name]);
const phases = {
  suite: !only || only === 'suite-only',
  ui: !only || only === 'ui-only',
  vsix: (!only || only === 'vsix-only') && extensionPath === resolve(repoRoot),
};
const tally = { passed: 0, failed: 0 };
let finishing = false;
let toolsReady; // set-up runs once, however many code-servers a run starts
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
  const { historyStorePassword: historyPassword } = await tsImport('./historyPassword.ts', import.meta.url);
  const fakeModel = await startFakeModel();
  const trap = await startFakeModel();
  const extensionEnv = {
    OPENAI_BASE_URL: fakeModel.baseURL,
    OPENAI_API_KEY: environmentApiKey, // SecretStorage is empty until the UI test sets a key
    PROMPT_CHAIN_E2E_FAKE_OPENAI: fakeModel.baseURL,
    PROMPT_CHAIN_E2E_RESULTS: join(runDir, 'suite-results.json'),
  };
  const run = { env: extensionEnv, fakeModelURL: fakeModel.baseURL, trapURL: trap.baseURL };
  let codeServer;
  const ensureCodeServer = async () => (codeServer ??= await startCodeServerForRun('code-server', extensionEnv));
  if (phases.suite) await runSuite(run, ensureCodeServer);
  if (phases.ui) await runUiTest(run, await ensureCodeServer());
  if (phases.vsix) await runPackagedExtensionTest(run);
  check('no request reached the endpoint named by the workspace settings', () => {
    assert.deepEqual(trap.requests.map((r) => `${r.method} ${r.path}`), []);
  });
  check('no file written during the run holds an API key or a history store password (settings, logs, workspace storage, memory)', () => {
    const { filesWithKeys, filesWithTurns } = scanRunFiles(runDir, [environmentApiKey, storedApiKey, historyPassword], 'Hi there my friend');
    // The suite alone ends by clearing its turns, one UI file alone (--ui-file) may store none: then only the keys are looked for.
    assert.ok(filesWithTurns.length > 0 || only === 'suite-only' || options['ui-file'] !== undefined, 'the scan reached the stored conversations');
    assert.deepEqual(filesWithKeys, []);
  });
}

async function startFakeModel() {
  const { startFakeOpenAI } = await tsImport('../support/fakeOpenAI.ts', import.meta.url);
  const fake = await startFakeOpenAI();
  cleanups.unshift(() => fake.close());
  return fake;
}

async function startCodeServerForRun(name, env, { workspaceTrust = false, vsix } = {}) {
  // An installed extension needs no smoke-test driver, and without it notifications show as toasts.
  const smokeTestDriver = !vsix;
  toolsReady ??= timed('set-up (test/e2e/setup.sh)', () => ensureTools({ timeoutMs: limits.setup }));
  await toolsReady;
  const stateDir = join(runDir, name);
  if (vsix) await timed(`${name}: --install-extension`, async () => console.log(installExtension({ stateDir, vsix })));
  const server = await timed(`${name} start`, async () =>
    startCodeServer({ stateDir, port: await freePort(), env, timeoutMs: limits.codeServerStart, workspaceTrust, smokeTestDriver }));
  cleanups.unshift(() => server.stop());
  cleanups.unshift(() => { if (tally.failed > 0) cpSync(server.logPath, join(resultsDir, `${name}.log`)); });
  return server;
}

async function runSuite({ env, trapURL }, ensureCodeServer) {
  const extensionTestsPath = await bundleSuite(options['suite-entry']);
  const folder = workspaceCopy('suite', trapURL);
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

/**
 * The UI stories, ui.test.mjs and each ui-<area>.test.mjs, in name order in the same code-server and
 * workspace (each file opens its own page; files keep to their own .prompt files, so stored turns do not mix).
 */
async function runUiTest({ fakeModelURL, trapURL }, codeServer) {
  const workspace = workspaceCopy('ui', trapURL);
  const files = readdirSync(join(repoRoot, 'test/e2e'))
    .filter((name) => /^ui(-[\w-]+)?\.test\.mjs$/.test(name) && (!options['ui-file'] || name.includes(options['ui-file'])))
    .sort();
  for (const file of files) {
    await runNodeTest(`UI test ${file} (playwright-core)`, file, {
      PROMPT_CHAIN_E2E_CODE_SERVER: codeServer.baseURL,
      PROMPT_CHAIN_E2E_EXTENSION: extensionPath,
      PROMPT_CHAIN_E2E_WORKSPACE: workspace,
      PROMPT_CHAIN_E2E_FAKE_OPENAI: fakeModelURL,
    }, limits.ui);
  }
}

/** What a user installs: `npm run package`'s .vsix, into a code-server that has never seen the extension. */
async function runPackagedExtensionTest({ env, fakeModelURL, trapURL }) {
  const vsix = join(repoRoot, 'dist/prompt-chain.vsix');
  rmSync(vsix, { force: true });
  const packaged = await timed('npm run package', () => runChild('npm', ['run', 'package', '--silent'], { env: process.env, timeoutMs: limits.vsix, quiet: true }));
  if (packaged !== 0 || !existsSync(vsix)) throw new Error(`npm run package failed (exit ${packaged})`);
  const codeServer = await startCodeServerForRun('code-server-vsix', env, { workspaceTrust: true, vsix });
  await runNodeTest('packaged extension (vsix.test.mjs)', 'vsix.test.mjs', {
    PROMPT_CHAIN_E2E_CODE_SERVER: codeServer.baseURL,
    PROMPT_CHAIN_E2E_VSIX: vsix,
    PROMPT_CHAIN_E2E_WORKSPACE: workspaceCopy('vsix', trapURL),
    PROMPT_CHAIN_E2E_FAKE_OPENAI: fakeModelURL,
  }, limits.vsix);
}

/** Runs a test file under node's test runner: spec output for people, TAP in a file for the counts. */
async function runNodeTest(label, file, testEnv, timeoutMs) {
  const tapFile = join(runDir, `${file}.tap`);
  const env = { ...process.env, ...testEnv, PROMPT_CHAIN_E2E_SCREENSHOTS: resultsDir };
  const args = ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tapFile}`, join(repoRoot, 'test/e2e', file)];
  await timed(label, () => runChild(process.execPath, args, { env, timeoutMs }));
  const tap = existsSync(tapFile) ? readFileSync(tapFile, 'utf8') : '';
  const count = (name) => Number(tap.match(new RegExp(`^# ${name} (\\d+)$`, 'm'))?.[1] ?? 0);
  tally.passed += count('pass');
  tally.failed += count('fail') + count('cancelled');
  if (!tap.includes('# pass')) {
    console.error(`[e2e] ${file} reported no results`);
    tally.failed++;
  }
}

/**
 * Fresh copy of the workspace template, so every run and every phase starts with no stored memory. Its
 * workspace settings name `trapURL` as the endpoint, as a hostile repository would.
 */
function workspaceCopy(name, trapURL) {
  const folder = join(runDir, `workspace-${name}`);
  cpSync(join(repoRoot, 'test/e2e/workspace-template'), folder, { recursive: true });
  mkdirSync(join(folder, '.vscode'), { recursive: true });
  writeFileSync(join(folder, '.vscode/settings.json'), JSON.stringify({ 'promptChain.baseUrl': trapURL }, null, 2));
  return folder;
}

/** A check over the whole run, counted like a test. */
function check(name, body) {
  try {
    body();
    tally.passed++;
    console.log(`[e2e] ✔ ${name}`);
  } catch (error) {
    tally.failed++;
    console.error(`[e2e] ✖ ${name}: ${error.message}`);
  }
}

/** Every file under `dir` that contains one of `secrets`, and how many contain `turnText` (memory was scanned). */
function scanRunFiles(dir, secrets, turnText) {
  const filesWithKeys = [];
  const filesWithTurns = [];
  const needles = secrets.map((secret) => Buffer.from(secret));
  const turnNeedle = Buffer.from(turnText);
  for (const file of filesUnder(dir)) {
    const content = readFileSync(file);
    if (needles.some((needle) => content.includes(needle))) filesWithKeys.push(file);
    if (content.includes(turnNeedle)) filesWithTurns.push(file);
  }
  return { filesWithKeys, filesWithTurns };
}

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(path);
    return entry.isFile() && statSync(path).size < 64 * 1024 * 1024 ? [path] : [];
  });
}

function runChild(command, args, { env, timeoutMs, quiet = false }) {
  return new Promise((resolvePromise) => {
    const child = spawn(command, args, { env, stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit', cwd: repoRoot });
    // A quiet child's output is shown only when it fails.
    let output = '';
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));
    runningChildren.add(child);
    const timer = setTimeout(() => {
      console.error(`[e2e] ${args.at(-1)} did not finish in ${timeoutMs / 1000}s; stopping it`);
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      runningChildren.delete(child);
      if (code !== 0 && quiet) console.error(output);
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
