// Another tool's `.prompt` in the terminal: `check` prints its one notice and passes, `run` refuses it as the
// server does, naming the tool and the import that makes a Prompt Chain copy, before any model call.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createWorkspace, useCliWorkspaces } from './support/cli';
import { fixtureText } from '../core/interop/importedFormatting';

useCliWorkspaces();

describe("prompt-chain on another tool's .prompt", () => {
  test('check: the one information notice, exit 0', async () => {
    const ws = createWorkspace({ 'greet.prompt': fixtureText('dotprompt', 'system-role.prompt') });
    const result = await ws.run(['check', 'greet.prompt']);
    assert.equal(result.code, 0, result.stderr + result.stdout);
    assert.equal(
      result.stdout + result.stderr,
      'greet.prompt:1:1 information other-tool-file A Dotprompt file (Firebase Genkit): Prompt Chain leaves it alone — Import… makes a Prompt Chain copy beside it.\n1 file checked: 0 errors, 0 warnings\n',
    );
  });

  test('run: refused with the tool named, nothing sent', async () => {
    const ws = createWorkspace({ 'greet.prompt': fixtureText('dotprompt', 'system-role.prompt') });
    const result = await ws.run(['run', 'greet.prompt', '--input', 'hi', '--base-url', 'http://127.0.0.1:9/v1']);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /greet\.prompt is a Dotprompt file, not a Prompt Chain prompt: Prompt Chain does not run it\. `prompt-chain import greet\.prompt` makes a Prompt Chain copy/);
  });
});
