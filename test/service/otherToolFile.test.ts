// other-tool-file: a Dotprompt or Continue `.prompt` gets one information diagnostic and nothing else (no
// YAML, front matter or template error, no other rule, no run lens); its quick fix runs the Import command
// with the file's URI. Prompt Chain files are not touched by the rule.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { fixture } from '../support/fixture';
import { isProvisional, validate, validateSteps } from '../../service/diagnostics';
import { getCodeActions } from '../../service/features/codeActions';
import { getCodeLenses } from '../../service/features/codeLens';
import { importCommand } from '../../core/interop/types';
import { parsePrompt } from '../../core/format/parse';
import { chatExample } from '../support/examples';
import { fixtureText } from '../core/interop/importedFormatting';
import type { Steps } from '../../core/steps';

function finish<T>(steps: Steps<T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

const dotprompt = fixtureText('dotprompt', 'media-output-tools.prompt');
const continuePrompt = fixtureText('continue', 'unit-tests-v1.prompt');

describe('other-tool-file', () => {
  test('a Dotprompt file: its parse errors exist, yet the one diagnostic is the information that it is left alone', () => {
    assert.ok(parsePrompt(dotprompt).problems.some((problem) => problem.severity === 'error'), 'the fixture would have errors as ours');
    const { ctx } = fixture(dotprompt, { cursor: false, uri: 'file:///w/vision.prompt' });
    const diagnostics = validate(ctx);
    assert.equal(diagnostics.length, 1);
    const [notice] = diagnostics;
    assert.equal(notice?.code, 'other-tool-file');
    assert.equal(notice?.severity, DiagnosticSeverity.Information);
    assert.equal(notice?.message, 'A Dotprompt file (Firebase Genkit): Prompt Chain leaves it alone — Import… makes a Prompt Chain copy beside it.');
    assert.deepEqual(notice?.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 3 } });
    assert.deepEqual(finish(validateSteps(ctx)), diagnostics);
    assert.equal(isProvisional(ctx), false);
  });

  test("its quick fix runs the Import command on the file's URI and edits nothing", () => {
    const uri = 'file:///w/vision.prompt';
    const { ctx } = fixture(dotprompt, { cursor: false, uri });
    const [notice] = validate(ctx);
    assert.ok(notice);
    const actions = getCodeActions(ctx, notice.range, [notice]);
    assert.deepEqual(actions.map((action) => [action.title, action.command?.command, action.command?.arguments, action.edit]), [
      ['Import this Dotprompt file as a new Prompt Chain prompt', importCommand, [uri], undefined],
    ]);
  });

  test('no run lens on another tool\'s file; ours keep theirs', () => {
    assert.deepEqual(getCodeLenses(fixture(dotprompt, { cursor: false }).ctx), []);
    assert.deepEqual(getCodeLenses(fixture(continuePrompt, { cursor: false }).ctx), []);
    assert.ok(getCodeLenses(fixture(chatExample, { cursor: false }).ctx).length > 0);
  });

  test('a Continue file: one information diagnostic naming Continue, and the same Import quick fix', () => {
    const { ctx } = fixture(continuePrompt, { cursor: false, uri: 'file:///w/tests.prompt' });
    const diagnostics = validate(ctx);
    assert.deepEqual(diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.severity]), [['other-tool-file', DiagnosticSeverity.Information]]);
    assert.equal(diagnostics[0]?.message, 'A Continue prompt file: Prompt Chain leaves it alone — Import… makes a Prompt Chain copy beside it.');
    assert.deepEqual(getCodeActions(ctx, diagnostics[0]!.range, diagnostics).map((action) => [action.title, action.command?.arguments]), [
      ['Import this Continue file as a new Prompt Chain prompt', ['file:///w/tests.prompt']],
    ]);
  });

  test('a Prompt Chain file gets no other-tool-file diagnostic, errors and all', () => {
    for (const text of [chatExample, '---\nmemroy: false\n---\n{{role "user"}} {input}\n', '---\ntemplate_format: mustache\n---\n{{#if}}\n']) {
      const codes = validate(fixture(text, { cursor: false }).ctx).map((diagnostic) => diagnostic.code);
      assert.ok(!codes.includes('other-tool-file'), text);
    }
  });
});
