// Message counts as LangChain's get_num_tokens_from_messages takes them (langchain_openai ChatOpenAI for
// chat models, langchain_core BaseLanguageModel for the completions API), checked against the encoders
// themselves, and the documented fallback for models Python cannot count.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import o200k from 'gpt-tokenizer/encoding/o200k_base';
import cl100k from 'gpt-tokenizer/encoding/cl100k_base';
import { countMessages, messageCounter } from '../../../core/tokens/messageTokens';
import type { ChatMessage } from '../../../core/chain/types';

const plain = { disallowedSpecial: new Set<string>() };
const o = (text: string) => o200k.encode(text, plain).length;
const cl = (text: string) => cl100k.encode(text, plain).length;

const conversation: ChatMessage[] = [
  { type: 'human', content: 'Hi, I am planning a trip to Lisbon in May.' },
  { type: 'ai', content: 'Lovely! May is warm and dry there.' },
  { type: 'system', content: 'The human is planning a trip.' },
];

describe('chat models (ChatOpenAI.get_num_tokens_from_messages)', () => {
  test('3 per message, the content, the role as sent (user/assistant/system), and 3 for the reply priming', () => {
    const expected = 3 + (3 + o(conversation[0]!.content) + o('user')) + (3 + o(conversation[1]!.content) + o('assistant')) + (3 + o(conversation[2]!.content) + o('system'));
    assert.deepEqual(countMessages(messageCounter('chat', 'gpt-4o-mini'), conversation), { tokens: expected, exact: true });
  });

  test('an empty list counts the priming only; empty content counts nothing (`elif not value: continue`)', () => {
    const counter = messageCounter('chat', 'gpt-4o');
    assert.equal(countMessages(counter, []).tokens, 3);
    assert.equal(countMessages(counter, [{ type: 'ai', content: '' }]).tokens, 3 + 3 + o('assistant'));
  });

  test('the encoding follows the model: cl100k_base for gpt-4 and gpt-3.5-turbo; 4 per message for gpt-3.5-turbo-0301', () => {
    const one: ChatMessage[] = [{ type: 'human', content: 'naïve café — 東京' }];
    assert.equal(countMessages(messageCounter('chat', 'gpt-4'), one).tokens, 3 + 3 + cl(one[0]!.content) + cl('user'));
    assert.equal(countMessages(messageCounter('chat', 'gpt-3.5-turbo-0301'), one).tokens, 3 + 4 + cl(one[0]!.content) + cl('user'));
    assert.notEqual(cl(one[0]!.content), o(one[0]!.content), 'the sample tells the encodings apart');
  });

  test('a model Python cannot count is counted with cl100k_base, 3 per message, and flagged approximate', () => {
    const local = countMessages(messageCounter('chat', 'llama3.2'), conversation.slice(0, 1));
    assert.deepEqual(local, { tokens: 3 + 3 + cl(conversation[0]!.content) + cl('user'), exact: false });
    // tiktoken knows o3's encoding, but ChatOpenAI has no per-message rule for it (NotImplementedError).
    assert.equal(countMessages(messageCounter('chat', 'o3-mini'), conversation).exact, false);
    assert.equal(messageCounter('chat', 'gpt-5-mini').approximate, false);
  });
});

describe('completion models (BaseLanguageModel.get_num_tokens_from_messages)', () => {
  test('the sum of get_num_tokens(get_buffer_string([m])), with the default prefixes; an empty list counts 0', () => {
    const counter = messageCounter('completion', 'gpt-3.5-turbo-instruct');
    const expected = cl(`Human: ${conversation[0]!.content}`) + cl(`AI: ${conversation[1]!.content}`) + cl(`System: ${conversation[2]!.content}`);
    assert.deepEqual(countMessages(counter, conversation), { tokens: expected, exact: true });
    assert.equal(countMessages(counter, []).tokens, 0);
  });

  test('an unknown completion model is approximate', () => {
    assert.equal(messageCounter('completion', 'my-local-model').approximate, true);
  });
});
