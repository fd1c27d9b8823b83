import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, assertSingleDiagnostic, check, codes, messageOf, withCode } from './check';

describe('memory-limit-exceeds-window', () => {
  test("the default 2000 with a small model's window: at type, with the limit that fits", () => {
    const source = `---\nmodel: llama3.2\nmemory:\n  type: ⟦summary_buffer⟧\n---\n${'Be helpful and brief. '.repeat(20)}\n{history}\nHuman: {input}\n`;
    const checked = check(source, { settings: { contextWindow: 2048 } });
    assertSingleDiagnostic(checked, 'memory-limit-exceeds-window', /ConversationSummaryBufferMemory keeps messages up to “max_token_limit” \(not set: LangChain's default 2000\) tokens; with the prompt's \d+ tokens that passes llama3\.2's 2,048-token context window \(assumed\)/);
    const limit = Number(/Set “max_token_limit” to ([\d,]+)/.exec(messageOf(checked.diagnostics[0]))?.[1]?.replace(/,/g, ''));
    const fixed = applyFix(checked, 'memory-limit-exceeds-window', `Set memory.max_token_limit to ${limit}`);
    assert.deepEqual(codes(fixed), []);
  });

  test('a written limit plus max_tokens: at the limit', () => {
    const checked = check('---\nmodel: gpt-3.5-turbo-instruct\nparameters:\n  max_tokens: 1000\nmemory:\n  type: token_buffer\n  max_token_limit: ⟦3500⟧\n---\n{history}\nHuman: {input}\n');
    assertSingleDiagnostic(checked, 'memory-limit-exceeds-window', /“max_token_limit: 3500” tokens; with the prompt's \d+ tokens and 1,000 reserved for the reply \(max_tokens\) that passes gpt-3\.5-turbo-instruct's 4,096-token context window, so/);
  });

  test('does not fire when the limit and the prompt fit, or for types without a limit', () => {
    assert.deepEqual(withCode(check('---\nmodel: gpt-4o-mini\nmemory:\n  type: summary_buffer\n---\n{history}\nHuman: {input}\n'), 'memory-limit-exceeds-window'), []);
    assert.deepEqual(withCode(check('---\nmodel: llama3.2\n---\n{history}\nHuman: {input}\n', { settings: { contextWindow: 1024 } }), 'memory-limit-exceeds-window'), []);
  });
});
