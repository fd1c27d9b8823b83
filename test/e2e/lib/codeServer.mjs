// code-server (VS Code's server + web workbench, from npm) on 127.0.0.1 for one e2e run.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tools } from './tools.mjs';

// A quiet, fast workbench: no Welcome tab, no chat/agent panel, no gallery or update checks (offline anyway).
const userSettings = {
  'workbench.startupEditor': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
  'chat.disableAIFeatures': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
};

// With workspace trust on, a folder opens in restricted mode until the user trusts it (no start-up dialog).
const trustSettings = { 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.banner': 'never' };

/** The folders of one code-server instance under its state folder. */
function stateFolders(stateDir) {
  return { userDataDir: join(stateDir, 'user-data'), extensionsDir: join(stateDir, 'extensions'), config: join(stateDir, 'config.yaml') };
}

/**
 * `code-server --install-extension x.vsix` into the instance's own extensions folder, as a user installs a
 * downloaded .vsix (offline: a file, not a gallery id). Throws with code-server's output when it fails.
 */
export function installExtension({ stateDir, vsix }) {
  const { userDataDir, extensionsDir, config } = stateFolders(stateDir);
  mkdirSync(extensionsDir, { recursive: true });
  const args = [tools.codeServerEntry, '--config', config, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir,
    '--install-extension', vsix];
  const result = spawnSync(tools.node24, args, { encoding: 'utf8', timeout: 120_000 });
  if (result.status !== 0) throw new Error(`code-server --install-extension ${vsix} failed (${result.status}):\n${result.stdout}${result.stderr}`);
  return result.stdout.trim();
}

/**
 * Starts code-server in its own process group (it forks a server, file watchers and extension hosts; killing the
 * group stops them all at once). `env` reaches the extension host and, through it, the language server.
 * `workspaceTrust: true` keeps VS Code's workspace trust on (off by default: the other tests need a trusted folder).
 * The smoke-test driver lets the workbench URL load a development extension and its tests; it also turns
 * notification toasts off (they still reach the notification centre). An installed extension needs neither.
 * Resolves once code-server reports it is listening.
 */
export function startCodeServer({ stateDir, port, env, timeoutMs, workspaceTrust = false, smokeTestDriver = true }) {
  const { userDataDir, extensionsDir, config } = stateFolders(stateDir);
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  const settings = workspaceTrust ? { ...userSettings, ...trustSettings } : userSettings;
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  const logPath = join(stateDir, 'code-server.log');
  const args = [tools.codeServerEntry,
    '--config', config, // else it writes ~/.config/code-server/config.yaml
    '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
    '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir,
    '--disable-telemetry', '--disable-update-check', '--disable-getting-started-override',
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    ...(smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : [])];
  const child = spawn(tools.node24, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  const log = createWriteStream(logPath);
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const server = { baseURL: `http://127.0.0.1:${port}`, logPath, stop: () => stopGroup(child) };
  // Even if the harness itself crashes, never leave a code-server (and its extension hosts) behind.
  process.once('exit', server.stop);
  return new Promise((resolve, reject) => {
    const fail = (why) => { clearTimeout(timer); stopGroup(child); reject(new Error(`code-server ${why}; log: ${logPath}`)); };
    const timer = setTimeout(() => fail(`not listening after ${timeoutMs} ms`), timeoutMs);
    child.on('exit', (code) => fail(`exited with ${code}`));
    child.on('error', (e) => fail(`failed to start: ${e.message}`));
    let output = '';
    const onOutput = (chunk) => {
      output += String(chunk);
      if (!output.includes('HTTP server listening')) return;
      clearTimeout(timer);
      child.stdout.off('data', onOutput);
      child.removeAllListeners('exit');
      resolve(server);
    };
    child.stdout.on('data', onOutput);
  });
}

function stopGroup(child) {
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
