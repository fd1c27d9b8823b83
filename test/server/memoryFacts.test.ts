// The memory facts a document's context carries (server/src/memoryFacts.ts): its stored turns and the
// memory view for hover, read from the store without any model call, and read again only when what the
// view depends on changes — not for an edit of the template or of a prefix.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveConfig } from '../../core/chain/config';
import { parsePrompt } from '../../core/format/parse';
import { createInMemoryConversation } from '../../core/memory/inMemory';
import { memoryFactsKey, readMemoryFacts } from '../../server/src/memoryFacts';

const file = (memory: string, body = '{history}\nHuman: {input}\nAI:') => `---\nmodel: gpt-3.5-turbo-instruct\nmemory:\n${memory}\n---\n${body}\n`;
const configOf = (text: string) => resolveConfig(parsePrompt(text), { model: 'gpt-4o-mini' });

describe('memory facts', () => {
  test('the view of a summary memory comes from the saved state: the summary, all messages summarized', async () => {
    const config = configOf(file('  type: summary'));
    const conversation = createInMemoryConversation([{ input: 'Hi', output: 'Hello' }]);
    await conversation.saveState({ basis: { type: 'summary', summaryPrompt: config.memory!.summaryPrompt }, turns: 1, prunedMessages: 2, summary: 'A greeting.' });
    const facts = await readMemoryFacts(conversation, config.memory!, config);
    assert.equal(facts.storedTurns.length, 1);
    assert.deepEqual(facts.memoryView, { type: 'summary', storedTurns: 1, keptMessages: 0, prunedMessages: 2, summary: 'A greeting.' });
  });

  test('a token_buffer view counts the kept messages against the limit', async () => {
    const config = configOf(file('  type: token_buffer\n  max_token_limit: 6'));
    const conversation = createInMemoryConversation([{ input: 'first question here', output: 'alpha beta gamma' }, { input: 'second question here', output: 'delta epsilon zeta' }]);
    const { memoryView } = await readMemoryFacts(conversation, config.memory!, config);
    assert.deepEqual([memoryView?.keptMessages, memoryView?.prunedMessages, memoryView?.tokens, memoryView?.maxTokenLimit], [1, 3, 6, 6]);
  });

  test('the facts are read again when the type, limit, summary prompt or model change, not for the template or a prefix', () => {
    const base = memoryFactsKey(configOf(file('  type: token_buffer\n  max_token_limit: 6')));
    assert.equal(memoryFactsKey(configOf(file('  type: token_buffer\n  max_token_limit: 6', 'Chat so far: {history}\nMe: {input}'))), base);
    assert.equal(memoryFactsKey(configOf(file('  type: token_buffer\n  max_token_limit: 6\n  human_prefix: Me'))), base);
    for (const changed of [file('  type: token_buffer\n  max_token_limit: 7'), file('  type: summary_buffer\n  max_token_limit: 6'), file('  type: token_buffer\n  max_token_limit: 6\n  key: chat')]) {
      assert.notEqual(memoryFactsKey(configOf(changed)), base, changed);
    }
    assert.notEqual(memoryFactsKey(configOf(file('  type: token_buffer\n  max_token_limit: 6').replace('gpt-3.5-turbo-instruct', 'gpt-4o'))), base);
  });
});
