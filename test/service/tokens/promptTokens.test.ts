import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import o200k from 'gpt-tokenizer/encoding/o200k_base';
import cl100k from 'gpt-tokenizer/encoding/cl100k_base';
import type { Turn } from '../../../core/chain/types';
import { formatPrompt } from '../../../core/chain/format';
import { loadMemoryVariables } from '../../../core/chain/memory';
import type { PromptContext } from '../../../service/context';
import { runSteps } from '../../../core/steps';
import { promptLayout, promptTokensSteps } from '../../../service/tokens/promptTokens';
import { fixture } from '../../support/fixture';

const plain = { disallowedSpecial: new Set<string>() };

/** Turns whose edges are every kind of character a cut could trip on. */
function turns(count: number, seed = 0): Turn[] {
  const endings = ['!', ' ', '\n', '', '😀', 'done', '/', '42', '  \n\n', '}', "it's"];
  return Array.from({ length: count }, (_, i) => ({
    input: `${['  ', '', '/', 'Q'][(i + seed) % 4]}question ${i} about {braces} and ünïcode${endings[(i + seed + 3) % endings.length]}`,
    output: `answer ${i}: see https://example.com/a/${i}${endings[(i + seed) % endings.length]}`,
  }));
}

/** What the model would get, formatted by the chain engine, and the chat overhead the rule adds. */
function expectedTokens(ctx: PromptContext): number {
  const tokenizer = ctx.config.model?.startsWith('gpt-4o') ? o200k : cl100k;
  const values: Record<string, unknown> = {};
  for (const ref of ctx.prompt.body.kind === 'completion' ? ctx.prompt.body.template.variables : ctx.prompt.body.messages.flatMap((m) => m.template.variables)) values[ref.name] = '';
  Object.assign(values, ctx.config.partialVariables, ctx.config.memory ? loadMemoryVariables(ctx.facts.storedTurns, ctx.config.memory) : {});
  const formatted = formatPrompt(ctx.prompt.body, values as never);
  if (!formatted.messages) return tokenizer.countTokens(formatted.prompt, plain);
  return formatted.messages.reduce((sum, message) => sum + 3 + tokenizer.countTokens(message.content, plain), 3);
}

function measured(ctx: PromptContext): number | undefined {
  const encoding = ctx.config.model?.startsWith('gpt-4o') ? 'o200k_base' : 'cl100k_base';
  const count = runSteps(promptTokensSteps(promptLayout(ctx), encoding));
  assert.equal(count?.exact, true);
  return count?.tokens;
}

describe('prompt tokens', () => {
  const templates = {
    'history between lines': 'You are a bot.\n{history}\nHuman: {input}\nAI:',
    'history right after punctuation': 'History:{history}!\n{input}',
    'history at the start and the end': '{history}',
    'history twice, with a partial': '---\npartial_variables:\n  persona: a pirate!\n---\nAs {persona}:\n{history}\n\n{history}...{input}',
    'other prefixes': '---\nmemory:\n  human_prefix: User\n  ai_prefix: "/bot"\n---\n{history}\n{input}',
    'a prefix starting with a space': '---\nmemory:\n  human_prefix: " Human"\n---\n{history}\n{input}',
    'an empty prefix': '---\nmemory:\n  human_prefix: ""\n---\n>{history}<\n{input}',
    'a buffer window': '---\nmemory:\n  type: buffer_window\n  k: 3\n---\n{history}\n{input}',
    'a buffer window with the default k': '---\nmemory:\n  type: buffer_window\n---\n{history}\n{input}',
  };

  test('the stored turns counted turn by turn give exactly the count of the formatted prompt', () => {
    for (const [name, body] of Object.entries(templates)) {
      for (const model of ['gpt-4o', 'gpt-4']) {
        const withModel = body.startsWith('---\n') ? body.replace('---\n', `---\nmodel: ${model}\n`) : `---\nmodel: ${model}\n---\n${body}`;
        for (const count of [0, 1, 2, 7, 40]) {
          const { ctx } = fixture(withModel, { storedTurns: turns(count, count), cursor: false });
          assert.equal(measured(ctx), expectedTokens(ctx), `${name}, ${model}, ${count} turns`);
        }
      }
    }
  });

  test('chat placeholders count each stored turn as two messages', () => {
    const chat = '---\nmodel: gpt-4o\nmemory:\n  return_messages: true\n---\nsystem:\nBe brief!\n\nplaceholder:\n{history}\n\nhuman:\n{input}\n';
    for (const count of [0, 1, 25]) {
      const { ctx } = fixture(chat, { storedTurns: turns(count), cursor: false });
      assert.equal(measured(ctx), expectedTokens(ctx), `${count} turns`);
    }
  });

  test('a keystroke tokenizes the template, not the stored conversation; a new turn costs only itself', () => {
    // 2.4 MB of turns: more than the chunk memory holds, so re-counting them would tokenize again.
    const stored = Array.from({ length: 12_000 }, (_, i) => ({ input: `question ${i} ${'about the weather '.repeat(5)}`, output: `answer ${i} ${'it will rain tomorrow '.repeat(4)}` }));
    const tokenized = (text: string): number => {
      const { ctx } = fixture(text, { storedTurns: stored, cursor: false });
      const steps = promptTokensSteps(promptLayout(ctx), 'o200k_base');
      let chars = 0;
      for (let step = steps.next(); !step.done; step = steps.next()) chars += Number(step.value);
      return chars;
    };
    assert.ok(tokenized('{history}\nHuman: {input}') > 2_000_000);
    // The edited text after the history is counted with the last turn's line, nothing else.
    assert.ok(tokenized('{history}\nHuman: {input}!') < 1_000);
    stored.push({ input: 'one more', output: 'word '.repeat(4000) });
    // The new turn, and the one before it now that a line break follows it.
    assert.ok(tokenized('{history}\nHuman: {input}?') < 20_000 + 1_000);
    // At most the last chunk (8,192 characters) of the turn before, which now ends in a line break.
    stored.push({ input: 'and another', output: 'short' });
    assert.ok(tokenized('{history}\nHuman: {input}.') < 8_192 + 1_000);
  });
});
