import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { countTokens, forEachChunk } from '../../../service/tokens/tokenCounter';
import o200k from 'gpt-tokenizer/encoding/o200k_base';
import cl100k from 'gpt-tokenizer/encoding/cl100k_base';

const plain = { disallowedSpecial: new Set<string>() };
const texts = {
  prose: Array.from({ length: 200 }, (_, i) => `Rule ${i}: you are a helpful assistant.\nAnswer {question} briefly (${i}).\n\n  Indented line\n\tTabbed: yes.\n`).join(''),
  mixed: 'Grüße aus Köln!\n日本語のテキストです。\n12345678901234\n   \n\n{}{{}}!!??\n'.repeat(150),
  oneLongLine: 'x'.repeat(20_000) + '\n' + '    \n'.repeat(300) + 'end',
  crlf: 'Human: hi there\r\nAI: hello\r\n'.repeat(400),
};

describe('tokenCounter', () => {
  test('counting chunk by chunk gives exactly the count of the whole text, in both encodings', () => {
    for (const [name, text] of Object.entries(texts)) {
      assert.equal(countTokens(text, 'o200k_base'), o200k.countTokens(text, plain), `${name} o200k_base`);
      assert.equal(countTokens(text, 'cl100k_base'), cl100k.countTokens(text, plain), `${name} cl100k_base`);
    }
  });

  test('the text is really split, and the chunks cover it exactly', () => {
    const chunks: string[] = [];
    forEachChunk(texts.prose, (chunk) => chunks.push(chunk));
    assert.ok(chunks.length > 10);
    assert.equal(chunks.join(''), texts.prose);
  });

  test('an edit changes only the chunks around it', () => {
    const collect = (text: string): string[] => {
      const chunks: string[] = [];
      forEachChunk(text, (chunk) => chunks.push(chunk));
      return chunks;
    };
    const before = collect(texts.prose);
    const after = collect(texts.prose.replace('Answer {question}', 'Answer the {question}'));
    const shared = new Set(before);
    assert.ok(after.filter((chunk) => !shared.has(chunk)).length <= 2);
  });

  test('special-token text is counted as text, not rejected', () => {
    assert.equal(countTokens('a <|endoftext|> b', 'o200k_base'), o200k.countTokens('a <|endoftext|> b', plain));
  });
});
