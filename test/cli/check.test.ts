import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { truncateSync } from 'node:fs';
import { createWorkspace, useCliWorkspaces } from './support/cli';
import { chatExample, completionExample } from '../support/examples';

useCliWorkspaces();

const unclosed = '---\nmemory: false\n---\nHello {name\n';

describe('prompt-chain check', () => {
  test('a good file: no output on stdout, a summary on stderr, exit 0', async () => {
    const ws = createWorkspace({ 'good.prompt': completionExample });
    assert.deepEqual(await ws.run(['check', 'good.prompt']), { code: 0, stdout: '', stderr: '1 file checked: 0 errors, 0 warnings\n' });
  });

  test('a bad file: one `file:line:col severity code message` line per problem (1-based), exit 1', async () => {
    const ws = createWorkspace({ 'bad.prompt': unclosed });
    const result = await ws.run(['check', 'bad.prompt']);
    assert.equal(result.code, 1);
    const lines = result.stdout.trimEnd().split('\n');
    assert.match(lines[0] ?? '', /^bad\.prompt:4:7 error [\w-]+ \S.*$/);
    assert.match(result.stderr, /^1 file checked: [1-9]\d* errors?, 0 warnings\n$/);
  });

  test('warnings alone are printed but exit 0', async () => {
    const ws = createWorkspace({ 'warn.prompt': '---\nmemory:\n  key: chat_history\n---\nHuman: {input}\n' });
    const result = await ws.run(['check', 'warn.prompt']);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^warn\.prompt:3:8 warning memory-key-unused \S.*\n$/);
    assert.equal(result.stderr, '1 file checked: 0 errors, 1 warning\n');
  });

  test('folders are searched recursively for *.prompt, skipping node_modules and .git', async () => {
    const ws = createWorkspace({
      'prompts/a.prompt': completionExample,
      'prompts/deeper/b.prompt': unclosed,
      'prompts/notes.txt': unclosed,
      'prompts/node_modules/pkg/c.prompt': unclosed,
      'prompts/.git/d.prompt': unclosed,
    });
    const result = await ws.run(['check', 'prompts']);
    assert.equal(result.code, 1);
    const files = new Set(result.stdout.trimEnd().split('\n').map((line) => line.split(':')[0]));
    assert.deepEqual([...files], ['prompts/deeper/b.prompt']);
    assert.match(result.stderr, /^2 files checked: /);
  });

  test('--json prints an array of {file, range, severity, code, message}', async () => {
    const ws = createWorkspace({ 'bad.prompt': unclosed, 'good.prompt': chatExample });
    const result = await ws.run(['check', '--json', 'bad.prompt', 'good.prompt']);
    assert.equal(result.code, 1);
    const diagnostics = JSON.parse(result.stdout);
    assert.ok(Array.isArray(diagnostics) && diagnostics.length > 0);
    for (const d of diagnostics) {
      assert.deepEqual(Object.keys(d), ['file', 'range', 'severity', 'code', 'message']);
      assert.equal(d.file, 'bad.prompt');
      assert.equal(typeof d.code, 'string');
      assert.equal(typeof d.message, 'string');
    }
    assert.equal(diagnostics[0].severity, 'error');
    assert.deepEqual(diagnostics[0].range.start, { line: 4, column: 7 });
    const clean = await ws.run(['check', '--json', 'good.prompt']);
    assert.deepEqual({ code: clean.code, stdout: clean.stdout }, { code: 0, stdout: '[]\n' });
  });

  test('unreadable paths are one line each on stderr; the other files are still checked; exit 1', async () => {
    const ws = createWorkspace({ 'good.prompt': chatExample, 'empty/readme.md': 'no prompts here' });
    ws.write('binary.prompt', Buffer.from([0x00, 0x01, 0x02]));
    ws.write('latin1.prompt', Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
    truncateSync(ws.write('huge.prompt', ''), 50 * 1024 * 1024);
    const result = await ws.run(['check', 'missing.prompt', 'empty', 'binary.prompt', 'latin1.prompt', 'huge.prompt', 'good.prompt']);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.equal(
      result.stderr,
      [
        'missing.prompt: no such file or folder',
        'empty: no .prompt or .prompt-test.yaml files in this folder',
        'binary.prompt: binary file (contains NUL bytes), not a .prompt text file',
        'latin1.prompt: not UTF-8 text; save the file as UTF-8',
        'huge.prompt: file is too large (50 MB); .prompt files are limited to 5 MB',
        '1 file checked: 0 errors, 0 warnings; 5 paths could not be read',
        '',
      ].join('\n'),
    );
  });

  test('a folder without .prompt or .prompt-test.yaml files alone: one line, exit 1', async () => {
    const ws = createWorkspace({ 'empty/readme.md': 'x' });
    assert.deepEqual(await ws.run(['check', 'empty']), { code: 1, stdout: '', stderr: 'empty: no .prompt or .prompt-test.yaml files in this folder\n' });
  });

  test('test files are checked as the language server checks them: their own problems and those against the prompt', async () => {
    const typo = 'prompt: chat.prompt\nconversations:\n  - name: greets\n    vars: { persona: x }\n    turns:\n      - input: Hi\n        expect:\n          - contain: Hi\n';
    const ws = createWorkspace({
      'tests/chat.prompt': chatExample,
      'tests/typo.prompt-test.yaml': typo,
      'tests/gone.prompt-test.yaml': 'prompt: gone.prompt\nconversations:\n  - name: x\n    turns: [{ input: Hi }]\n',
      'tests/good.prompt-test.yaml': 'prompt: chat.prompt\nconversations:\n  - name: ok\n    turns: [{ input: Hi }]\n',
    });
    const result = await ws.run(['check', 'tests']);
    assert.equal(result.code, 1, result.stderr);
    assert.deepEqual(result.stdout.trimEnd().split('\n'), [
      'tests/gone.prompt-test.yaml:1:9 error test-prompt-missing The prompt “gone.prompt” cannot be read: no such file or folder.',
      'tests/typo.prompt-test.yaml:4:13 error test-unknown-variable The prompt has no variable “persona”. It takes no variable besides the input; remove it.',
      'tests/typo.prompt-test.yaml:8:13 error test-unknown-assertion Unknown assertion “contain”. Did you mean “contains”?',
    ]);
    assert.equal(result.stderr, '4 files checked: 3 errors, 0 warnings\n');
    const json = await ws.run(['check', '--json', 'tests/typo.prompt-test.yaml']);
    assert.deepEqual(JSON.parse(json.stdout).map((d: { code: string; range: unknown }) => [d.code, d.range]), [
      ['test-unknown-variable', { start: { line: 4, column: 13 }, end: { line: 4, column: 20 } }],
      ['test-unknown-assertion', { start: { line: 8, column: 13 }, end: { line: 8, column: 20 } }],
    ]);
    const clean = await ws.run(['check', 'tests/good.prompt-test.yaml']);
    assert.deepEqual(clean, { code: 0, stdout: '', stderr: '1 file checked: 0 errors, 0 warnings\n' });
  });

  test('a test file with warnings only exits 0', async () => {
    const ws = createWorkspace({ 'chat.prompt': chatExample, 'empty.prompt-test.yaml': 'prompt: chat.prompt\nconversations: []\n' });
    const result = await ws.run(['check', 'empty.prompt-test.yaml']);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^empty\.prompt-test\.yaml:2:16 warning test-missing-key No conversations: add one \(“- name: …” with “turns:”\), or there is nothing to test\.\n$/);
  });

  test('no path is a usage error', async () => {
    const ws = createWorkspace();
    const result = await ws.run(['check']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^prompt-chain: check needs at least one file or folder/);
  });

  test('column numbers count UTF-16 units after a BOM, as the editor shows them', async () => {
    const ws = createWorkspace();
    ws.write('bom.prompt', `\uFEFF${unclosed}`);
    const result = await ws.run(['check', 'bom.prompt']);
    assert.match(result.stdout, /^bom\.prompt:4:7 error /);
  });
});
