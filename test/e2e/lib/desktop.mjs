// Desktop VS Code through @vscode/test-electron, used when one is available: VSCODE_EXECUTABLE_PATH, or a
// download from update.code.visualstudio.com that succeeds (it fails fast offline: ENOTFOUND).
import { platform } from 'node:os';

/** The desktop VS Code to test in, or undefined when there is none (offline, or no display to show it on). */
export async function findDesktopVSCode() {
  if (process.env.VSCODE_EXECUTABLE_PATH) return process.env.VSCODE_EXECUTABLE_PATH;
  if (process.env.PROMPT_CHAIN_E2E_TARGET === 'code-server') return undefined;
  // Electron cannot start without a display; under CI run `xvfb-run -a npm run test:e2e` to use the desktop.
  if (platform() === 'linux' && !process.env.DISPLAY) return undefined;
  const { downloadAndUnzipVSCode } = await import('@vscode/test-electron');
  try {
    return await downloadAndUnzipVSCode({ version: process.env.VSCODE_VERSION || 'stable', timeout: 30_000 });
  } catch (error) {
    console.log(`[e2e] no desktop VS Code (${error.message.split('\n')[0]}); using code-server`);
    return undefined;
  }
}

/** Runs the extension-host suite in desktop VS Code; resolves with its exit code (0 = passed). */
export async function runExtensionTestsInDesktop(vscodeExecutablePath, { folder, extensionDevelopmentPath, extensionTestsPath, userDataDir, extensionsDir, env }) {
  const { runTests } = await import('@vscode/test-electron');
  try {
    return await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath,
      extensionTestsPath,
      extensionTestsEnv: env,
      launchArgs: [folder, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes',
        '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir],
    });
  } catch (error) {
    console.error(`[e2e] desktop VS Code run failed: ${error.message ?? error}`);
    return 1;
  }
}
