import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { maxPromptBytes, PromptFileError, readPromptFile } from '../../../core/files/readPromptFile';

describe('readPromptFile', () => {
  let folder: string;
  const file = (name: string, content: string | Buffer = ''): string => {
    const filePath = path.join(folder, name);
    writeFileSync(filePath, content);
    return filePath;
  };

  before(() => {
    folder = mkdtempSync(path.join(tmpdir(), 'prompt-chain-files-'));
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  /** The one line a host shows for `filePath`. */
  async function refusal(filePath: string): Promise<string> {
    try {
      await readPromptFile(filePath);
    } catch (error) {
      assert.ok(error instanceof PromptFileError, String(error));
      return error.message;
    }
    assert.fail(`${filePath} was read`);
  }

  test('UTF-8 text, without the BOM editors hide', async () => {
    assert.equal(await readPromptFile(file('chat.prompt', '\uFEFFHuman: {input} — café\n')), 'Human: {input} — café\n');
  });

  test('a file of exactly the limit passes the size check', async () => {
    const filePath = file('limit.prompt');
    truncateSync(filePath, maxPromptBytes);
    // Zero bytes are NULs: read, then refused as binary, which shows the size check let it through.
    assert.match(await refusal(filePath), /binary file/);
  });

  test('what is not a prompt: one line naming the file and what is wrong', async () => {
    const huge = file('huge.prompt');
    truncateSync(huge, 50 * 1024 * 1024);
    mkdirSync(path.join(folder, 'prompts'));
    const cases: [string, string][] = [
      [path.join(folder, 'missing.prompt'), 'no such file or folder'],
      [path.join(folder, 'chat.prompt', 'x.prompt'), 'a parent path is not a folder'],
      [path.join(folder, 'prompts'), 'is a folder, not a .prompt file'],
      [file('binary.prompt', Buffer.from([0x2d, 0x2d, 0x2d, 0x0a, 0x00, 0x01, 0xff])), 'binary file (contains NUL bytes), not a .prompt text file'],
      [file('latin1.prompt', Buffer.from('caf\xe9 {input}', 'latin1')), 'not UTF-8 text; save the file as UTF-8'],
      [huge, 'file is too large (50 MB); .prompt files are limited to 5 MB'],
    ];
    for (const [filePath, problem] of cases) assert.equal(await refusal(filePath), `${filePath}: ${problem}`);
  });

  test('a FIFO is refused without being opened (opening one would wait for a writer)', { skip: process.platform === 'win32' }, async () => {
    const fifo = path.join(folder, 'pipe.prompt');
    execFileSync('mkfifo', [fifo]);
    assert.equal(await refusal(fifo), `${fifo}: not a regular file`);
  });
});
