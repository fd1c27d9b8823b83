import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { ResponseError } from 'vscode-languageserver';
import type { Diagnostic } from 'vscode-languageserver-types';
import { failureOf, problemsMessage, refusedForErrors } from '../../client/src/fileProblems';
import type { FailureData } from '../../server/src/protocol';

const diagnostic: Diagnostic = { range: { start: { line: 5, character: 0 }, end: { line: 5, character: 9 } }, message: 'x', severity: 1 };

describe('fileProblems', () => {
  test('a file-has-errors refusal gives its diagnostics, read from the typed data', () => {
    const error = new ResponseError<FailureData>(-32803, 'whatever the text says', { kind: 'file-has-errors', diagnostics: [diagnostic, diagnostic] });
    assert.deepEqual(refusedForErrors(error), [diagnostic, diagnostic]);
    assert.equal(failureOf(error)?.kind, 'file-has-errors');
  });

  test('any other failure, or an error without typed data, is no refusal; the text is never read', () => {
    assert.equal(refusedForErrors(new ResponseError<FailureData>(-32803, 'file has errors', { kind: 'endpoint' })), undefined);
    assert.equal(refusedForErrors(new Error('file-has-errors')), undefined);
    assert.equal(failureOf(new ResponseError(-32803, 'm', { kind: 'no-such-kind' })), undefined);
    assert.equal(failureOf(undefined), undefined);
  });

  test('the message counts the problems', () => {
    assert.equal(
      problemsMessage('chatbot.prompt', 2, 'its prompt can be previewed'),
      'Prompt Chain: chatbot.prompt has 2 problems to fix before its prompt can be previewed; LangChain would fail on them.',
    );
    assert.equal(
      problemsMessage('a.prompt', 1, 'its prompt can be previewed'),
      'Prompt Chain: a.prompt has a problem to fix before its prompt can be previewed; LangChain would fail on it.',
    );
  });
});
