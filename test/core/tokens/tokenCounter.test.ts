import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { chunks, countSteps, countTokens, forEachChunk, maxRun } from '../../../core/tokens/tokenCounter';
import { isSafeCut } from '../../../core/tokens/safeCuts';
import { runSteps } from '../../../core/steps';
import o200k from 'gpt-tokenizer/encoding/o200k_base';
import cl100k from 'gpt-tokenizer/encoding/cl100k_base';

const plain = { disallowedSpecial: new Set<string>() };
const encodings = [
  ['o200k_base', o200k],
  ['cl100k_base', cl100k],
] as const;

const repo = join(__dirname, '..', '..', '..');
const read = (...path: string[]): string => readFileSync(join(repo, ...path), 'utf8');

const multilingual = [
  'Der Kunde schrieb: „Die Lieferung ist beschädigt, bitte erstatten Sie mir den Betrag.“ Grüße aus Köln!',
  'お客様へ：ご注文の商品は明日発送されます。ご不明な点がございましたら、お気軽にお問い合わせください。',
  '您好！您的订单已于今天发货，预计三到五个工作日内送达。如有任何问题，请随时联系我们。',
  'Здравствуйте! Ваш заказ №48213 отправлен сегодня; трек-номер придёт письмом в течение часа.',
  'مرحبًا، تم شحن طلبك اليوم وسيصل خلال ثلاثة إلى خمسة أيام عمل. شكرًا لتسوقك معنا!',
  'नमस्ते! आपका ऑर्डर आज भेज दिया गया है और तीन से पाँच कार्यदिवसों में पहुँच जाएगा।',
  'Xin chào! Đơn hàng của bạn đã được gửi đi hôm nay và sẽ đến trong vòng ba đến năm ngày làm việc.',
  '안녕하세요! 주문하신 상품이 오늘 발송되었습니다. 😀👍🏽 Ça va? ½ + ² = ٣',
].join('\n');

/** Real text: this repository's docs and sources, multilingual prose, and the same as single lines. */
const texts = {
  readme: read('README.md'),
  docs: readdirSync(join(repo, 'docs')).filter((name) => name.endsWith('.md')).map((name) => read('docs', name)).join('\n\n'),
  code: ['core/tokens/tokenCounter.ts', 'core/format/fstring.ts', 'server/src/validation.ts'].map((path) => read(path)).join('\n'),
  multilingual: multilingual.repeat(40),
  proseOnOneLine: read('README.md').replace(/\s*\n\s*/g, ' '),
  jsonOnOneLine: JSON.stringify(JSON.parse(read('package.json'))),
  codeCrlf: read('core/format/fstring.ts').replace(/\n/g, '\r\n'),
  codeCrOnly: read('core/format/fstring.ts').replace(/\n/g, '\r'),
  indentedOnly: read('core/format/fstring.ts').split('\n').map((line) => `    ${line}`).join('\n'),
  mixed: 'Grüße aus Köln!\n日本語のテキストです。\n12345678901234\n   \n\n{}{{}}!!??\nfoo!\n/bar\n'.repeat(150),
};

/** A seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
}

describe('tokenCounter', () => {
  test('counting chunk by chunk gives exactly the count of the whole text, in both encodings', () => {
    for (const [name, text] of Object.entries(texts)) {
      for (const [encoding, tokenizer] of encodings) {
        const counted = runSteps(countSteps(text, encoding));
        assert.deepEqual(counted, { tokens: tokenizer.countTokens(text, plain), exact: true }, `${name} ${encoding}`);
      }
    }
  });

  test('long lines are cut too, and the chunks cover the text exactly', () => {
    const collected = [...chunks(texts.proseOnOneLine)];
    assert.ok(collected.length > 10);
    assert.ok(collected.every((chunk) => chunk.text.length <= 8192 + maxRun && !chunk.afterForcedCut));
    assert.equal(collected.map((chunk) => chunk.text).join(''), texts.proseOnOneLine);
  });

  test('an edit changes only the chunks around it', () => {
    for (const text of [texts.docs, texts.proseOnOneLine]) {
      const collect = (value: string): string[] => {
        const result: string[] = [];
        forEachChunk(value, (chunk) => result.push(chunk));
        return result;
      };
      const before = collect(text);
      const shared = new Set(before);
      for (const share of [0.3, 0.5, 0.7]) {
        const at = text.indexOf(' ', Math.floor(text.length * share));
        const after = collect(`${text.slice(0, at)} inserted words${text.slice(at)}`);
        // The chunk holding the insertion and a few around it (a cut depends on the characters near it and on
        // the minimum chunk length, so the cuts resync within a few chunks), never everything after it.
        const changed = after.filter((chunk) => !shared.has(chunk)).length;
        assert.ok(changed <= 6, `${changed} of ${after.length} chunks changed`);
      }
    }
  });

  test('a safe cut splits the text into two parts whose tokens are exactly those of the whole', () => {
    // Every kind of character the pre-tokenizers treat apart, in random short strings.
    const alphabet = ['a', 'Z', 'é', 'ß', '日', 'न', 'ि', '\u0301', "'", 's', 'll', '1', '23', '٣', '²', ' ', '  ', '\t', '\n', '\r', '\r\n', '/', '{', '}', '.', '!', '_', '😀', '𝐀', '\u00a0', '\u3000', "'S", 're'];
    const next = random(7);
    let cuts = 0;
    for (let trial = 0; trial < 600; trial++) {
      let text = '';
      for (let i = 2 + Math.floor(next() * 12); i > 0; i--) text += alphabet[Math.floor(next() * alphabet.length)];
      for (const [encoding, tokenizer] of encodings) {
        const whole = tokenizer.encode(text, plain);
        for (let at = 1; at < text.length; at++) {
          if (!isSafeCut(text, at)) continue;
          cuts++;
          const parts = [...tokenizer.encode(text.slice(0, at), plain), ...tokenizer.encode(text.slice(at), plain)];
          assert.deepEqual(parts, whole, `${encoding}: ${JSON.stringify(text.slice(0, at))} | ${JSON.stringify(text.slice(at))}`);
        }
      }
    }
    assert.ok(cuts > 2000);
  });

  test('a run with no safe cut is counted in bounded time, at or a little above the exact count', () => {
    const next = random(11);
    const letters = (length: number, alphabet: string): string => Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
    const runs = {
      oneLetter: 'x'.repeat(6_000),
      braces: '{'.repeat(6_000),
      lineBreaks: '\n'.repeat(6_000),
      randomWord: letters(6_000, 'abcdefghijklmnopqrstuvwxyz'),
      dna: letters(6_000, 'ACGT'),
    };
    for (const [name, text] of Object.entries(runs)) {
      for (const [encoding, tokenizer] of encodings) {
        const exact = tokenizer.countTokens(text, plain);
        const counted = runSteps(countSteps(text, encoding));
        assert.equal(counted?.exact, false, name);
        assert.ok(counted.tokens >= exact && counted.tokens <= exact * 1.3 + 20, `${name} ${encoding}: ${counted.tokens} for ${exact}`);
      }
    }
  });

  test('a 200,000-letter word does not hang the count (the test timeout is the guard)', () => {
    const next = random(3);
    const word = Array.from({ length: 200_000 }, () => String.fromCharCode(97 + Math.floor(next() * 26))).join('');
    const counted = runSteps(countSteps(`Say {input}: ${word}. Thanks`, 'o200k_base'));
    assert.ok(counted && counted.tokens > 100_000 && !counted.exact);
  });

  test('counting hands out each tokenized chunk as a step, and no step for remembered chunks', () => {
    const text = (texts.docs + texts.code).toUpperCase(); // not counted by an earlier test
    const work = (): { steps: number; chars: number; tokens: number | undefined } => {
      const steps = countSteps(text, 'cl100k_base');
      let done = { steps: 0, chars: 0 };
      for (let step = steps.next(); ; step = steps.next()) {
        if (step.done) return { ...done, tokens: step.value?.tokens };
        done = { steps: done.steps + 1, chars: done.chars + Number(step.value) };
      }
    };
    const first = work();
    assert.ok(first.steps > 10);
    assert.equal(first.chars, text.length);
    assert.equal(first.tokens, cl100k.countTokens(text, plain));
    assert.deepEqual(work(), { steps: 0, chars: 0, tokens: first.tokens });
  });

  test('special-token text is counted as text, not rejected', () => {
    assert.equal(countTokens('a <|endoftext|> b', 'o200k_base'), o200k.countTokens('a <|endoftext|> b', plain));
  });
});

describe('deep indentation', () => {
  test('runs of spaces are cut every 128: a run after a word counted exactly, lines indented 0 to 2,000 near it', () => {
    const indented = Array.from({ length: 101 }, (_, i) => `${' '.repeat(i * 20)}k${i}:`).join('\n');
    for (const [encoding, tokenizer] of encodings) {
      const exact = tokenizer.countTokens(indented, plain);
      const counted = runSteps(countSteps(indented, encoding));
      // at most one token more per line: the piece holding the line break and the first 128 spaces
      assert.ok(counted && counted.tokens >= exact && counted.tokens <= exact + 101, `${encoding}: ${counted?.tokens} for ${exact}`);
    }
    const texts = [...[129, 255, 256, 257, 1000, 3001].map((n) => `say${' '.repeat(n)}x`), ' '.repeat(6_000)];
    for (const text of texts) {
      const collected = [...chunks(text)];
      assert.equal(collected.map((chunk) => chunk.text).join(''), text);
      assert.ok(collected.every((chunk) => !/ {129}/.test(chunk.text)));
      for (const [encoding, tokenizer] of encodings) {
        assert.deepEqual(runSteps(countSteps(text, encoding)), { tokens: tokenizer.countTokens(text, plain), exact: true }, `${encoding} ${text.length}`);
      }
    }
  });

  test('60,000 lines indented up to 13,000 spaces are counted, near the exact count', () => {
    const text = Array.from({ length: 60 }, (_, i) => `${' '.repeat(i * 220)}k${i}:`).join('\n').repeat(1000);
    const counted = runSteps(countSteps(text, 'o200k_base'));
    assert.ok(counted && counted.tokens > 0);
  });
});
