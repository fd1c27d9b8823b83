import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { MarkupContent } from 'vscode-languageserver-types';
import type { MemoryView, Turn } from '../../../core/chain/types';
import { getHover } from '../../../service/features/hover';
import { fixture, type FixtureOptions } from '../../support/fixture';

function hoverText(source: string, options: FixtureOptions = {}): string {
  const f = fixture(source, options);
  const result = getHover(f.ctx, f.position);
  assert.ok(result, 'expected a hover');
  return (result.contents as MarkupContent).value;
}

const turns = (count: number): Turn[] => Array.from({ length: count }, (_, i) => ({ input: `q${i}`, output: `a${i}` }));
const typed = (type: string, extra = ''): string => `---\nmodel: gpt-4o-mini\nmemory:\n  type: ${type}\n${extra}---\n{hist|ory}\nHuman: {input}\n`;

describe('hover on the memory variable of a summary memory', () => {
  test('summary: the class, the summary now and that every turn is in it', () => {
    const view: MemoryView = { type: 'summary', storedTurns: 4, keptMessages: 0, prunedMessages: 8, summary: 'The human asked four questions.' };
    const text = hoverText(typed('summary'), { storedTurns: turns(4), memoryView: view });
    assert.match(text, /^\*\*`\{history\}`\*\* — the conversation's summary from memory/);
    assert.match(text, /ConversationSummaryMemory \(`memory_key="history"`\): a running summary/);
    assert.match(text, /as the summary text \(`return_messages: false`\)/);
    assert.match(text, /4 turns stored for this workspace, all of them in the summary\./);
    assert.match(text, /Summary now:\n\n```text\nThe human asked four questions\.\n```/);
    assert.doesNotMatch(text, /pending/);
  });

  test('summary_buffer: kept and pruned messages, tokens against the limit, a pending summary', () => {
    const view: MemoryView = { type: 'summary_buffer', storedTurns: 6, keptMessages: 3, prunedMessages: 9, summary: 'Earlier: greetings.', tokens: 41, maxTokenLimit: 50, pendingSummary: true };
    const text = hoverText(typed('summary_buffer', '  max_token_limit: 50\n'), { storedTurns: turns(6), memoryView: view });
    assert.match(text, /ConversationSummaryBufferMemory \(`memory_key="history"`, `max_token_limit=50`\)/);
    assert.match(text, /6 turns stored for this workspace: the prompt sees 3 messages verbatim, 9 messages pruned \(summarized\)\./);
    assert.match(text, /Kept messages: 41 of 50 tokens \(`max_token_limit`\)\./);
    assert.match(text, /Summary now:\n\n```text\nEarlier: greetings\./);
    assert.match(text, /\*\*Summary pending:\*\* .* brought up to date before the next turn is formatted/);
  });

  test('token_buffer with a model the tokenizer does not know: approximate', () => {
    const view: MemoryView = { type: 'token_buffer', storedTurns: 2, keptMessages: 4, prunedMessages: 0, tokens: 1234, maxTokenLimit: 2000, approximate: true };
    const text = hoverText(typed('token_buffer').replace('gpt-4o-mini', 'llama3.2'), { storedTurns: turns(2), memoryView: view });
    assert.match(text, /the prompt sees 4 messages verbatim, none pruned\./);
    assert.match(text, /Kept messages: 1,234 of 2,000 tokens \(`max_token_limit`\) \(approximate: /);
    assert.doesNotMatch(text, /Summary/);
  });

  test('a state derived for another type: derived again next turn', () => {
    const view: MemoryView = { type: 'token_buffer', storedTurns: 2, keptMessages: 4, prunedMessages: 0 };
    const text = hoverText(typed('summary'), { storedTurns: turns(2), memoryView: view });
    assert.match(text, /2 turns stored for this workspace\. Its stored state was derived for `type: token_buffer`: the next turn derives it again/);
  });

  test('nothing stored yet, no summary yet', () => {
    const view: MemoryView = { type: 'summary_buffer', storedTurns: 0, keptMessages: 0, prunedMessages: 0, summary: '', tokens: 0, maxTokenLimit: 2000 };
    const text = hoverText(typed('summary_buffer'), { memoryView: view });
    assert.match(text, /No turns stored for this workspace yet\.\n\nKept messages: 0 of 2,000 tokens/);
    assert.match(text, /No summary yet\./);
  });
});
