import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { createWorkspace, useCliWorkspaces, repoRoot, runProcess } from './support/cli';

useCliWorkspaces();

const version = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version;

describe('prompt-chain', () => {
  test('--help and -h print the usage of every command', async () => {
    const ws = createWorkspace();
    for (const flag of ['--help', '-h', 'help']) {
      const result = await ws.run([flag]);
      assert.equal(result.code, 0);
      for (const command of ['check', 'run', 'memory show|clear|repair']) assert.ok(result.stdout.includes(`prompt-chain ${command}`), flag);
    }
  });

  test('each command has its own --help', async () => {
    const ws = createWorkspace();
    for (const command of ['check', 'run', 'memory']) {
      const result = await ws.run([command, '--help']);
      assert.equal(result.code, 0);
      assert.match(result.stdout, new RegExp(`^Usage: prompt-chain ${command} `));
    }
  });

  test('--version prints the package version', async () => {
    assert.deepEqual(await createWorkspace().run(['--version']), { code: 0, stdout: `${version}\n`, stderr: '' });
  });

  test('no command prints the usage to stderr and exits 2', async () => {
    const result = await createWorkspace().run([]);
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /Usage:/);
  });

  test('an unknown command or flag is a one-line usage error, exit 2', async () => {
    const ws = createWorkspace();
    assert.deepEqual(await ws.run(['frobnicate']), {
      code: 2,
      stdout: '',
      stderr: 'prompt-chain: unknown command "frobnicate" (see "prompt-chain --help")\n',
    });
    assert.deepEqual(await ws.run(['--frobnicate']), {
      code: 2,
      stdout: '',
      stderr: 'prompt-chain: unknown option --frobnicate (see "prompt-chain --help")\n',
    });
  });

  test('`npx prompt-chain --help` works from the repository root', async () => {
    const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
    const result = await runProcess(npx, ['--no-install', 'prompt-chain', '--help'], repoRoot, process.env);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^prompt-chain: check, run, export and import LangChain \.prompt files/);
  });
});
