import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFixedTo, assertSingleDiagnostic, check, codes, messageOf, withCode } from './check';

const body = '---\nmodel: gpt-4o-mini\nmemory:\n  type: summary\n  summary_prompt: PROMPT\n---\n{history}\nHuman: {input}\n';
const withPrompt = (prompt: string): string => body.replace('PROMPT', prompt);

describe('summary-prompt-variables', () => {
  test("fires at a variable LangChain's summarizer never fills, with LangChain's own error", () => {
    const checked = check(withPrompt('"Summary: {summary}\\nNew: {new_lines}\\nTone: ⟦{tone}⟧"'));
    assertSingleDiagnostic(checked, 'summary-prompt-variables', /raises “Got unexpected prompt input variables\. The prompt expects \['new_lines', 'summary', 'tone'\], but it should have \{'summary', 'new_lines'\}\.” when it is built/);
    assert.match(messageOf(checked.diagnostics[0]), /Remove \{tone\}/);
  });

  test('a missing variable is reported at the key', () => {
    const checked = check(body.replace('summary_prompt: PROMPT', '⟦summary_prompt⟧: "Summarize: {new_lines}"'));
    assertSingleDiagnostic(checked, 'summary-prompt-variables', /The prompt expects \['new_lines'\], but it should have .* Add \{summary\}\./);
  });

  test('a misspelt variable in a block scalar: one diagnostic, at the variable, renamed by the fix', () => {
    const source = '---\nmemory:\n  type: summary_buffer\n  summary_prompt: |\n    So far: {sumary}\n    New lines: {new_lines}\n---\n{history}\nHuman: {input}\n';
    const checked = check(source.replace('{sumary}', '⟦{sumary}⟧'));
    assert.deepEqual(withCode(checked, 'summary-prompt-variables').map((d) => d.range), [checked.marked[0]]);
    assertFixedTo(checked, 'summary-prompt-variables', 'Rename {sumary} to {summary} in summary_prompt', source.replace('{sumary}', '{summary}'));
  });

  test('a template LangChain cannot read', () => {
    const [diagnostic] = withCode(check(withPrompt('"{summary} {new_lines"')), 'summary-prompt-variables');
    assert.match(messageOf(diagnostic), /“summary_prompt” is not a template LangChain can read/);
  });

  test('does not fire for exactly {summary} and {new_lines}, in any order and repeated', () => {
    assert.deepEqual(codes(check(withPrompt('"{new_lines} / {summary} / {summary}"'))), []);
    assert.deepEqual(codes(check(withPrompt('"Literal {{braces}} {summary} {new_lines}"'))), []);
  });
});
