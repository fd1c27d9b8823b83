import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { assertFixedTo, check, codes, messageOf, withCode } from './check';

describe('partial-overlap', () => {
  test("a partial declared in input_variables: LangChain's overlap error at the declaration", () => {
    const checked = check('---\ninput_variables: [⟦tone⟧, question]\npartial_variables:\n  tone: dry\n---\n{history}\nBe {tone}: {question}\n');
    assert.deepEqual(codes(checked), ['partial-overlap']);
    assert.deepEqual(checked.diagnostics[0]?.range, checked.marked[0]);
    assert.equal(checked.diagnostics[0]?.severity, DiagnosticSeverity.Error);
    assert.match(messageOf(checked.diagnostics[0]), /Found overlapping input and partial variables: \{'tone'\}/);
    assertFixedTo(checked, 'partial-overlap', 'Remove “tone” from input_variables', '---\ninput_variables: [question]\npartial_variables:\n  tone: dry\n---\n{history}\nBe {tone}: {question}\n');
  });

  test('a partial named like input_key or the memory key is overridden: a warning at the partial', () => {
    const checked = check('---\ninput_key: question\npartial_variables:\n  ⟦question⟧: hi\n  ⟦history⟧: none\n---\n{history}\n{question}\n');
    const found = withCode(checked, 'partial-overlap');
    assert.deepEqual(found.map((d) => d.range), checked.marked);
    assert.deepEqual(found.map((d) => d.severity), [DiagnosticSeverity.Warning, DiagnosticSeverity.Warning]);
    assert.match(messageOf(found[0]), /also input_key/);
    assert.match(messageOf(found[1]), /also the memory key/);
  });

  test('does not fire for a partial that is only a partial', () => {
    assert.deepEqual(codes(check('---\ninput_variables: [question]\npartial_variables:\n  tone: dry\n---\n{history}\nBe {tone}: {question}\n')), []);
  });
});
