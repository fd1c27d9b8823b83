import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { chatRequestBody, completionRequestBody, serializedChatBody, serializedCompletionBody } from '../../../core/model/requestBody';
import { runTurn } from '../../../core/chain/run';
import { createInMemoryConversation } from '../../../core/memory/inMemory';
import type { ChatMessage, LanguageModel, ModelRequest } from '../../../core/chain/types';
import { loadPrompt, promptFile } from '../chain/helpers';
import { useFakeOpenAI } from '../../support/useFakeOpenAI';

/** Text a JSON serializer must escape or keep exactly: quotes, controls, C1, emoji, a lone surrogate. */
const awkward = ['say "hi"\\', 'tab\there\nnl\u0000\u001b[31m\u0007', '\u0085\u009b é 漢字 🎉', 'lone \ud800 and \udc00 end', ''];

function awkwardMessages(count: number): ChatMessage[] {
  const types = ['system', 'human', 'ai'] as const;
  return Array.from({ length: count }, (_, i) => ({ type: types[i % 3]!, content: `${awkward[i % awkward.length]} #${i}` }));
}

const parameters = { temperature: 0, max_tokens: 9, stop: ['\nHuman:'], seed: undefined, top_p: null } as unknown as ModelRequest['parameters'];

/** A model that checks, each turn, that the kept serialization is exactly what JSON.stringify makes of the body. */
function checkingModel(seen: { turns: number }): LanguageModel {
  return {
    invoke: async (request) => {
      const expected = request.api === 'chat' ? JSON.stringify(chatRequestBody(request)) : JSON.stringify(completionRequestBody(request));
      const actual = request.api === 'chat' ? serializedChatBody(request) : serializedCompletionBody(request);
      assert.equal(actual, expected, `turn ${seen.turns + 1}`);
      seen.turns++;
      return { text: `${awkward[seen.turns % awkward.length]} reply ${seen.turns}` };
    },
  };
}

async function converse(source: string, turns: number, clearAt?: number): Promise<number> {
  const { prompt, config } = loadPrompt(source);
  config.parameters = parameters;
  const conversation = createInMemoryConversation();
  const seen = { turns: 0 };
  const model = checkingModel(seen);
  for (let i = 0; i < turns; i++) {
    if (i === clearAt) await conversation.clear();
    await runTurn({ prompt, config, input: `${awkward[i % awkward.length]} question ${i}`, conversation, model });
  }
  return seen.turns;
}

describe('serialized request bodies', () => {
  test('are JSON.stringify of the body, byte for byte, for every role, parameter and awkward character', () => {
    for (const count of [0, 1, 15, 16, 17, 200]) {
      const request: ModelRequest = { api: 'chat', model: 'm', messages: awkwardMessages(count), parameters };
      assert.equal(serializedChatBody(request), JSON.stringify(chatRequestBody(request)));
    }
    const completion: ModelRequest = { api: 'completion', model: 'm', prompt: awkward.join('\n'), parameters };
    assert.equal(serializedCompletionBody(completion), JSON.stringify(completionRequestBody(completion)));
  });

  test('short and long lists of random code units (controls, quotes, surrogates, U+2028) are JSON.stringify exactly', () => {
    let seed = 7;
    const random = (below: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % below);
    const units = [0x00, 0x08, 0x09, 0x0a, 0x1f, 0x20, 0x22, 0x5c, 0x7f, 0x85, 0x9b, 0x2028, 0xd83c, 0xdf89, 0xd800, 0xdfff, 0xe000, 0xffff];
    const text = () => String.fromCharCode(...Array.from({ length: random(12) }, () => (random(3) === 0 ? 0x61 + random(26) : units[random(units.length)]!)));
    const types = ['system', 'human', 'ai'] as const;
    for (const count of [1, 3, 40, 1024, 1025, 3000]) {
      const messages: ChatMessage[] = Array.from({ length: count }, () => ({ type: types[random(3)]!, content: text() }));
      const request: ModelRequest = { api: 'chat', model: 'm', messages, parameters };
      assert.equal(serializedChatBody(request), JSON.stringify(chatRequestBody(request)), `${count} messages`);
    }
  });

  test('a history list appended to turn after turn is serialized incrementally and stays exact', () => {
    const history: ChatMessage[] = [];
    for (let turn = 0; turn < 150; turn++) {
      const system: ChatMessage[] = [{ type: 'system', content: 'Be brief.' }];
      const human: ChatMessage[] = [{ type: 'human', content: `q ${turn} ${awkward[turn % awkward.length]}` }];
      const request: ModelRequest = { api: 'chat', model: 'm', messages: [...system, ...history, ...human], messageParts: [system, history, human], parameters };
      assert.equal(serializedChatBody(request), JSON.stringify(chatRequestBody(request)), `turn ${turn}`);
      history.push(...awkwardMessages(2).map((m, i) => ({ ...m, content: `${m.content} ${turn}.${i}` })));
    }
  });

  test('a list emptied and refilled in place with other messages is serialized again, not from what was kept', () => {
    const list = awkwardMessages(40);
    const request = (): ModelRequest => ({ api: 'chat', model: 'm', messages: [...list], messageParts: [list], parameters: {} });
    serializedChatBody(request());
    list.length = 0;
    list.push(...awkwardMessages(50).reverse());
    assert.equal(serializedChatBody(request()), JSON.stringify(chatRequestBody(request())));
  });

  const chat = promptFile('---', 'memory:', '  key: history', '  return_messages: true', '---', 'system:', 'Be brief.', '', 'placeholder:', '{history}', '', 'human:', '{input}');
  test('through a chain: the history placeholder, its template messages, 150 turns, a clear', async () => {
    assert.equal(await converse(chat, 150, 90), 150);
  });

  test('through a chain: the placeholder in the middle, template messages after it', async () => {
    const middle = promptFile('---', 'memory:', '  key: history', '  return_messages: true', '---', 'system:', 'Be brief.', '', 'placeholder:', '{history}', '', 'human:', '{input}', '', 'ai:', 'Thinking…', '', 'human:', 'Now answer.');
    assert.equal(await converse(middle, 80), 80);
  });

  test('through a chain: a buffer window of k exchanges', async () => {
    const window = promptFile('---', 'memory:', '  type: buffer_window', '  k: 12', '  key: history', '  return_messages: true', '---', 'placeholder:', '{history}', '', 'human:', '{input}');
    assert.equal(await converse(window, 40), 40);
  });

  test('through a chain: a completion prompt', async () => {
    const completion = promptFile('---', 'api: completion', 'memory:', '  key: history', '---', 'Be brief.', '{history}', 'Human: {input}', 'AI:');
    // Past 4,096 characters the history text is escaped only where it grew.
    assert.equal(await converse(completion, 200, 120), 200);
  });

  test('a completion prompt whose long piece grows, even splitting a surrogate pair where it grew, stays exact', () => {
    let history = 'x'.repeat(5000) + awkward.join('|');
    const pieces = (extra: string): ModelRequest => {
      const parts = ['Be brief.\n', history + extra, '\nHuman: hi 🎉\nAI:'];
      return { api: 'completion', model: 'm', prompt: parts.join(''), promptParts: parts, parameters };
    };
    for (const grow of ['\nmore é', '\n\u0000\u001b', ' \ud83c', '\udf89 done', '', '\n漢字']) {
      history += grow;
      const request = pieces('');
      assert.equal(serializedCompletionBody(request), JSON.stringify(completionRequestBody(request)), JSON.stringify(grow));
    }
    // Pieces that split a pair between them are escaped as one text.
    const split: ModelRequest = { api: 'completion', model: 'm', prompt: 'a\ud83c\udf89b', promptParts: ['a\ud83c', '\udf89b'], parameters };
    assert.equal(serializedCompletionBody(split), JSON.stringify(completionRequestBody(split)));
  });

  test('a long history seen for the first time is serialized whole, and what is kept of it builds the next turns exactly', () => {
    const system: ChatMessage[] = [{ type: 'system', content: `Be "brief" ${awkward[1]}` }];
    const after: ChatMessage[] = [{ type: 'human', content: `q ${awkward[2]}` }];
    const trailing: ChatMessage[] = [{ type: 'ai', content: awkward[3]! }, { type: 'human', content: '' }];
    for (const layout of ['first', 'middle', 'last', 'alone'] as const) {
      // A fresh run: a conversation loaded from disk, its history list new to the serializer.
      const history = awkwardMessages(40);
      const parts = () =>
        layout === 'first' ? [history, after] : layout === 'middle' ? [system, history, after, trailing] : layout === 'last' ? [system, trailing, history] : [history];
      for (let turn = 0; turn < 4; turn++) {
        const request: ModelRequest = { api: 'chat', model: 'm', messages: parts().flat(), messageParts: parts(), parameters };
        assert.equal(serializedChatBody(request), JSON.stringify(chatRequestBody(request)), `${layout}, turn ${turn}`);
        history.push(...awkwardMessages(2).map((m) => ({ ...m, content: `${m.content} ${layout} ${turn}` })));
      }
    }
    for (const layout of ['first', 'middle', 'last'] as const) {
      let history = `${awkward.join('\n')} `.repeat(300);
      for (let turn = 0; turn < 4; turn++) {
        const parts = layout === 'first' ? [history, '\nHuman: é\nAI:'] : layout === 'middle' ? ['Be "brief".\n', history, '\nHuman: 🎉\nAI:'] : ['\u0000 start\n', history];
        const request: ModelRequest = { api: 'completion', model: 'm', prompt: parts.join(''), promptParts: parts, parameters };
        assert.equal(serializedCompletionBody(request), JSON.stringify(completionRequestBody(request)), `${layout}, turn ${turn}`);
        history += `\nHuman: ${awkward[turn % awkward.length]} ${layout} ${turn}`;
      }
    }
  });

  describe('over HTTP', () => {
    const { fake, model } = useFakeOpenAI();

    test('the server receives exactly JSON.stringify of the body, for both apis', async () => {
      const chatRequest: ModelRequest = { api: 'chat', model: 'gpt-4o-mini', messages: awkwardMessages(30), parameters };
      const completionRequest: ModelRequest = { api: 'completion', model: 'gpt-3.5-turbo-instruct', prompt: awkward.join('\n'), parameters };
      fake.enqueue({ reply: 'ok' }, { reply: 'ok' });
      await model().invoke(chatRequest);
      await model().invoke(completionRequest);
      assert.equal(fake.requests[0]?.raw, JSON.stringify(chatRequestBody(chatRequest)));
      assert.equal(fake.requests[0]?.headers['content-type'], 'application/json');
      assert.equal(fake.requests[1]?.raw, JSON.stringify(completionRequestBody(completionRequest)));
    });

    test('a retried request resends the same bytes, and the reply still streams', async () => {
      const request: ModelRequest = { api: 'chat', model: 'gpt-4o-mini', messages: awkwardMessages(20), parameters: {} };
      fake.enqueue({ fault: 'status', status: 503, headers: { 'retry-after-ms': '1' } }, { reply: 'second time', chunks: ['second', ' time'] });
      const tokens: string[] = [];
      const reply = await model({ maxRetries: 1 }).invoke({ ...request, onToken: (t) => tokens.push(t) });
      assert.equal(reply.text, 'second time');
      assert.deepEqual(tokens, ['second', ' time']);
      assert.equal(fake.requests.length, 2);
      assert.equal(fake.requests[1]?.raw, fake.requests[0]?.raw);
      assert.equal(fake.requests[1]?.raw, JSON.stringify(chatRequestBody(request)));
    });
  });
});
