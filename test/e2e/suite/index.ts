// The extensionTestsPath module (VS Code's extension test contract, same in desktop VS Code and code-server):
// the extension host calls run() and reports a rejection as a failed run. run.mjs bundles this file with
// esbuild into out/e2e/suite.js; `vscode` and `mocha` stay external (the host provides the first, the
// repository's node_modules the second).
import { writeFileSync } from 'node:fs';
import Mocha from 'mocha';

export interface SuiteResults {
  passed: number;
  failed: number;
  failures: { title: string; error: string }[];
}

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, reporter: 'spec' });
  // Test files are bundled, so mocha cannot load them by path: give them its globals (suite, test, ...)
  // first, then evaluate them (esbuild keeps a require()d module's body lazy until this call).
  mocha.suite.emit('pre-require', globalThis, 'prompt-chain-e2e', mocha);
  require('./memoryKeyMismatch.test');
  require('./chatTurn.test');
  require('./historyStores.test');
  const results = await runMocha(mocha);
  reportResults(results);
  if (results.failed > 0) throw new Error(`${results.failed} of ${results.passed + results.failed} e2e tests failed`);
}

function runMocha(mocha: Mocha): Promise<SuiteResults> {
  return new Promise((resolve) => {
    const failures: SuiteResults['failures'] = [];
    const runner = mocha.run(() => {
      const passed = runner.stats?.passes ?? 0;
      resolve({ passed, failed: failures.length, failures });
    });
    runner.on('fail', (test, error: Error) => failures.push({ title: test.fullTitle(), error: error.message }));
  });
}

/** The harness reads the counts from a file: the only channel that works the same in both hosts. */
function reportResults(results: SuiteResults): void {
  const path = process.env.PROMPT_CHAIN_E2E_RESULTS;
  if (path) writeFileSync(path, JSON.stringify(results));
}
