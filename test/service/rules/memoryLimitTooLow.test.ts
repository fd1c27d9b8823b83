import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { applyFix, assertSingleDiagnostic, check, codes, withCode } from './check';

const chat = (type: string, limit: number): string => `---\nmodel: gpt-4o-mini\nmemory:\n  type: ${type}\n  max_token_limit: ⟦${limit}⟧\n  return_messages: true\n---\nplaceholder:\n{history}\n\nhuman:\n{input}\n`;
const completion = (limit: number): string => `---\nmodel: gpt-3.5-turbo-instruct\nmemory:\n  type: token_buffer\n  max_token_limit: ⟦${limit}⟧\n---\n{history}\nHuman: {input}\n`;

describe('memory-limit-too-low', () => {
  test('below what an empty chat buffer counts: an error (LangChain pops from an empty list)', () => {
    const checked = check(chat('summary_buffer', 2));
    assertSingleDiagnostic(checked, 'memory-limit-too-low', /below what an empty chat buffer counts \(3 tokens.*IndexError: pop from empty list/);
    assert.equal(checked.diagnostics[0]?.severity, DiagnosticSeverity.Error);
    const fixed = applyFix(checked, 'memory-limit-too-low', 'Set memory.max_token_limit to 13');
    assert.match(fixed.text, /max_token_limit: 13\n/);
    assert.deepEqual(codes(fixed), []);
  });

  test('below the shortest exchange: information, every exchange is summarized or dropped', () => {
    const summarized = check(chat('summary_buffer', 10));
    assertSingleDiagnostic(summarized, 'memory-limit-too-low', /shortest exchange counts \(13 tokens\).*one summary call per turn/);
    assert.equal(summarized.diagnostics[0]?.severity, DiagnosticSeverity.Information);
    assertSingleDiagnostic(check(completion(5)), 'memory-limit-too-low', /shortest exchange counts \(6 tokens\).*never sees any history/);
  });

  test('a completion model counts an empty buffer as 0: a limit of 0 is not an error', () => {
    const [diagnostic] = withCode(check(completion(0)), 'memory-limit-too-low');
    assert.equal(diagnostic?.severity, DiagnosticSeverity.Information);
  });

  test('does not fire for an ordinary limit, or without a limit', () => {
    assert.deepEqual(codes(check(chat('token_buffer', 13))), []);
    assert.deepEqual(codes(check(completion(6))), []);
    assert.deepEqual(codes(check('---\nmemory:\n  type: token_buffer\n---\n{history}\nHuman: {input}\n')), []);
  });
});
