// `prompt-chain export`: the built CLI writes exactly what the dispatcher exports, to stdout or a file,
// lists what the format cannot hold on stderr, and refuses a wrong command line (exit 2) and a broken file
// (exit 1, its problems first) before writing anything.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createWorkspace, useCliWorkspaces } from './support/cli';
import { chatExample, completionExample } from '../support/examples';
import { exportPrompt } from '../../core/interop/exportPrompt';
import type { ExportFormat, ExportOptions } from '../../core/interop/types';
import { chainDefaults, defaultServiceSettings } from '../../service/context';

useCliWorkspaces();

const broken = '---\nmemory: false\n---\nHello {name\n';

function expected(text: string, file: string, format: ExportFormat, options: ExportOptions = {}) {
  return exportPrompt(text, file, format, options, chainDefaults(defaultServiceSettings));
}

function notCarriedLines(notCarried: readonly string[]): string {
  return notCarried.map((line) => `not carried: ${line}\n`).join('');
}

describe('prompt-chain export', () => {
  test('stdout: the exported text, and on stderr one "not carried" line per thing the format drops', async () => {
    const ws = createWorkspace({ 'chat.prompt': chatExample });
    const exported = expected(chatExample, 'chat.prompt', 'langchain-json');
    assert.deepEqual(await ws.run(['export', 'chat.prompt', '--to', 'langchain-json']), {
      code: 0,
      stdout: exported.text,
      stderr: notCarriedLines(exported.notCarried),
    });
  });

  test('-o writes the exact text (replacing an older export); nothing on stdout', async () => {
    const ws = createWorkspace({ 'bot.prompt': completionExample, 'bot.py': 'old\n' });
    const result = await ws.run(['export', 'bot.prompt', '--to', 'python', '--style', 'modern', '-o', 'bot.py']);
    const exported = expected(completionExample, 'bot.prompt', 'python', { style: 'modern' });
    assert.deepEqual(result, { code: 0, stdout: '', stderr: notCarriedLines(exported.notCarried) });
    assert.equal(readFileSync(join(ws.root, 'bot.py'), 'utf8'), exported.text);
  });

  test('-o never writes over the file being exported', async () => {
    const ws = createWorkspace({ 'bot.prompt': completionExample });
    const result = await ws.run(['export', 'bot.prompt', '--to', 'langchain-yaml', '--output=./bot.prompt']);
    assert.deepEqual(result, { code: 1, stdout: '', stderr: './bot.prompt: is the file being read; write to another file\n' });
    assert.equal(readFileSync(join(ws.root, 'bot.prompt'), 'utf8'), completionExample);
  });

  test('an OUT that cannot be written is one line saying why', async () => {
    const ws = createWorkspace({ 'bot.prompt': completionExample, 'out/keep.txt': '' });
    assert.deepEqual(await ws.run(['export', 'bot.prompt', '--to', 'python', '-o', 'out']), { code: 1, stdout: '', stderr: 'out: is a folder; name a file\n' });
    assert.deepEqual(await ws.run(['export', 'bot.prompt', '--to', 'python', '-o', 'missing/bot.py']), {
      code: 1,
      stdout: '',
      stderr: 'missing/bot.py: its folder does not exist\n',
    });
  });

  test('a wrong command line is a usage error (exit 2), said before the file is read', async () => {
    const ws = createWorkspace({ 'bad.prompt': broken });
    const cases: [string[], string][] = [
      [['export', 'bad.prompt'], 'export needs --to FORMAT (langchain-json, langchain-yaml, python, typescript)'],
      [['export', 'bad.prompt', '--to', 'xml'], '--to needs one of langchain-json, langchain-yaml, python, typescript, got "xml"'],
      [['export', 'bad.prompt', '--to', 'python', '--style', 'fancy'], '--style needs classic or modern, got "fancy"'],
      [
        ['export', 'bad.prompt', '--to', 'langchain-json', '--style', 'modern'],
        '--style: a style (modern) is for generated code (python, typescript), not for langchain-json',
      ],
      [['export', '--to', 'python'], 'export needs a FILE'],
      [['export', 'a.prompt', 'b.prompt', '--to', 'python'], 'export takes one FILE; unexpected "b.prompt"'],
    ];
    for (const [args, message] of cases) {
      assert.deepEqual(await ws.run(args), { code: 2, stdout: '', stderr: `prompt-chain: ${message} (see "prompt-chain --help")\n` }, args.join(' '));
    }
  });

  test('a file with errors: its problems as check prints them, then the refusal; nothing written', async () => {
    const ws = createWorkspace({ 'bad.prompt': broken });
    const result = await ws.run(['export', 'bad.prompt', '--to', 'typescript', '-o', 'bad.ts']);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    const lines = result.stderr.trimEnd().split('\n');
    assert.match(lines[0] ?? '', /^bad\.prompt:4:7 error [\w-]+ \S/);
    assert.equal(lines.at(-1), 'bad.prompt: 1 error; fix it before exporting');
    assert.equal(existsSync(join(ws.root, 'bad.ts')), false);
  });

  test('a chat prompt as langchain-yaml: one line naming the file and the format that works, exit 1', async () => {
    const ws = createWorkspace({ 'chat.prompt': chatExample });
    const result = await ws.run(['export', 'chat.prompt', '--to', 'langchain-yaml']);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^chat\.prompt: [^\n]*langchain-json[^\n]*\n$/);
  });

  test('another tool\'s .prompt (no errors shown for it) is refused: import it first', async () => {
    const dotprompt = '---\nmodel: googleai/gemini-1.5-flash\ninput:\n  schema:\n    name: string\n---\n{{role "user"}}\nSay hello to {{name}}.\n';
    const ws = createWorkspace({ 'greet.prompt': dotprompt });
    assert.deepEqual(await ws.run(['export', 'greet.prompt', '--to', 'langchain-json']), {
      code: 1,
      stdout: '',
      stderr: 'greet.prompt is a Dotprompt file, not a Prompt Chain prompt: import it first (prompt-chain import, or Prompt Chain: Import…), then export the new file\n',
    });
  });

  test('--help lists the formats and the style', async () => {
    const result = await createWorkspace().run(['export', '--help']);
    assert.equal(result.code, 0);
    for (const word of ['langchain-json', 'langchain-yaml', 'python', 'typescript', '--style', '-o, --output']) assert.ok(result.stdout.includes(word), word);
  });
});
