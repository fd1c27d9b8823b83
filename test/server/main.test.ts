// The `prompt-chain-language-server` command line: --version, --help, a missing transport, and the
// node-ipc transport VS Code uses (stdio is covered by every other server test).

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fork, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter, type InitializeResult } from 'vscode-languageserver/node';
import { ensureServerBuilt, serverPath, hangGuardMs } from './lspClient';

const packageVersion = JSON.parse(readFileSync(path.join(__dirname, '../../package.json'), 'utf8')).version as string;

function runServer(...args: string[]) {
  return spawnSync(process.execPath, [serverPath, ...args], { encoding: 'utf8', input: '' });
}

describe('prompt-chain-language-server command line', { timeout: hangGuardMs }, () => {
  before(() => ensureServerBuilt());

  test('--version prints the package version', () => {
    const run = runServer('--version');
    assert.equal(run.status, 0);
    assert.equal(run.stdout.trim(), packageVersion);
  });

  test('--help names the transports', () => {
    const run = runServer('--help');
    assert.equal(run.status, 0);
    assert.match(run.stdout, /--stdio/);
    assert.match(run.stdout, /--node-ipc/);
  });

  test('without a transport it says what to choose and exits 2', () => {
    const run = runServer();
    assert.equal(run.status, 2);
    assert.match(run.stderr, /choose a transport/);
    assert.equal(run.stdout, '');
  });

  test('--node-ipc answers initialize over the IPC channel', async () => {
    const child = fork(serverPath, ['--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    const connection = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    connection.listen();
    try {
      const result = await connection.sendRequest<InitializeResult>('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
      assert.equal(result.serverInfo?.name, 'prompt-chain-language-server');
      assert.equal(result.serverInfo?.version, packageVersion);
      await connection.sendRequest('shutdown');
      const exited = new Promise((resolve) => child.once('exit', resolve));
      await connection.sendNotification('exit');
      await exited;
    } finally {
      connection.dispose();
      child.kill();
    }
  });
});
