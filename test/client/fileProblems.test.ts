import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { ResponseError } from 'vscode-languageserver';
import type { Diagnostic } from 'vscode-languageserver-types';
import { failureOf } from '../../client/src/errorMessage';
import { problemsNotice, refusedProblems } from '../../client/src/fileProblems';
import type { FailureData } from '../../server/src/protocol';

const diagnostic: Diagnostic = { range: { start: { line: 5, character: 0 }, end: { line: 5, character: 9 } }, message: 'x', severity: 1 };

describe('fileProblems', () => {
  test('a file-has-errors refusal counts its diagnostics, read from the typed data', () => {
    const error = new ResponseError<FailureData>(-32803, 'whatever the text says', { kind: 'file-has-errors', diagnostics: [diagnostic, diagnostic] });
    assert.equal(refusedProblems(failureOf(error)), 2);
    assert.equal(refusedProblems(failureOf(new ResponseError<FailureData>(-32803, 'm', { kind: 'file-has-errors' }))), 1, 'at least one');
  });

  test('any other failure, or an error without typed data, is no refusal; the text is never read', () => {
    assert.equal(refusedProblems(failureOf(new ResponseError<FailureData>(-32803, 'file has errors', { kind: 'endpoint' }))), undefined);
    assert.equal(refusedProblems(failureOf(new Error('file-has-errors'))), undefined);
    assert.equal(refusedProblems(failureOf(new ResponseError(-32803, 'm', { kind: 'no-such-kind' }))), undefined);
    assert.equal(refusedProblems(failureOf(undefined)), undefined);
  });

  test('one wording, counting the problems, for whatever they block; Show Problems is offered', () => {
    const turn = problemsNotice('chatbot.prompt', 2, 'turn');
    assert.equal(turn.message, 'chatbot.prompt has 2 problems to fix before a turn can run (see the Problems panel). Nothing was sent.');
    assert.deepEqual(turn.actions.map((action) => action.id), ['showProblems']);
    const preview = problemsNotice('a.prompt', 1, 'preview');
    assert.equal(preview.message, 'a.prompt has 1 problem to fix before its prompt can be previewed (see the Problems panel).');
    assert.deepEqual(preview.actions, turn.actions);
  });
});
