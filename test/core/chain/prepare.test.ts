import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { preparePrompt } from '../../../core/chain/prepare';
import { ChainError } from '../../../core/chain/errors';
import { loadPrompt, promptFile } from './helpers';

function chainError(fn: () => unknown): ChainError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ChainError, `expected a ChainError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a ChainError');
}

describe('preparePrompt', () => {
  test('missing variables: LangChain\'s error naming them', () => {
    const { prompt, config } = loadPrompt(promptFile('---', 'input_key: q', '---', '{name} {q} {place}'));
    const err = chainError(() => preparePrompt(prompt, config, { input: 'x' }));
    assert.equal(err.kind, 'missing-input');
    assert.equal(err.message, "Missing some input keys: {'name', 'place'}");
  });

  test('partials, then variables, then the input, then memory: later ones win', () => {
    const text = promptFile('---', 'input_key: q', 'partial_variables:', '  who: partial', '---', '{who}|{q}|{history}');
    const { prompt, config } = loadPrompt(text);
    const prepared = preparePrompt(prompt, config, {
      input: 'the input',
      variables: { who: 'variable', q: 'ignored', history: 'ignored' },
      turns: [{ input: 'a', output: 'b' }],
    });
    assert.equal(prepared.prompt, 'variable|the input|Human: a\nAI: b');
    assert.equal(prepared.inputKey, 'q');
  });

  test('names that exist on every JS object are ordinary variables: missing unless given', () => {
    // (Not `hasOwnProperty` in mustache: mustache.js itself, and so LangChain.js, breaks on that name.)
    for (const name of ['constructor', 'toString', 'valueOf']) {
      for (const format of ['f-string', 'mustache']) {
        const reference = format === 'mustache' ? `{{${name}}} {{q}}` : `{${name}} {q}`;
        const { prompt, config } = loadPrompt(promptFile('---', `template_format: ${format}`, 'input_key: q', '---', reference));
        const err = chainError(() => preparePrompt(prompt, config, { input: 'x' }));
        assert.equal(err.message, `Missing some input keys: {'${name}'}`, `${format} ${name}`);
        assert.equal(preparePrompt(prompt, config, { input: 'x', variables: { [name]: 'given' } }).prompt, 'given x');
      }
    }
  });

  test('a partial or variable named __proto__ is kept like any other', () => {
    const { prompt, config } = loadPrompt(promptFile('---', 'input_key: q', 'partial_variables:', '  __proto__: partial', '---', '{__proto__} {q}'));
    assert.equal(preparePrompt(prompt, config, { input: 'x' }).prompt, 'partial x');
    const variables = Object.fromEntries([['__proto__', 'variable']]);
    assert.equal(preparePrompt(prompt, config, { input: 'x', variables }).prompt, 'variable x');
  });

  // The parser gives `api: chat` a chat body and `api: completion` a completion body; a host may still
  // pair them differently (config from elsewhere), and LangChain has an answer for both.
  test('a completion body on the chat api is sent as one human message, as LangChain does', () => {
    const { prompt, config } = loadPrompt(promptFile('Q: {q}'));
    assert.deepEqual(preparePrompt(prompt, { ...config, api: 'chat' }, { input: 'why' }), {
      inputKey: 'q',
      prompt: 'Q: why',
      messages: [{ type: 'human', content: 'Q: why' }],
    });
  });

  test('a chat body on the completion api is sent as its buffer string', () => {
    const { prompt, config } = loadPrompt(promptFile('system:', 'Be kind.', 'human:', '{q}'));
    assert.deepEqual(preparePrompt(prompt, { ...config, api: 'completion' }, { input: 'hi' }), { inputKey: 'q', prompt: 'System: Be kind.\nHuman: hi' });
  });

  test('memory off: the turns are ignored and `history` is an ordinary variable', () => {
    const { prompt, config } = loadPrompt(promptFile('---', 'memory: false', 'input_key: q', '---', '{history}{q}'));
    const err = chainError(() => preparePrompt(prompt, config, { input: 'x', turns: [{ input: 'a', output: 'b' }] }));
    assert.equal(err.message, "Missing some input keys: {'history'}");
  });

  test('a document with errors is refused with one message naming the first error\'s line', () => {
    const { prompt, config } = loadPrompt(promptFile('line one', 'bad {', 'worse }'));
    const err = chainError(() => preparePrompt(prompt, config, { input: 'x' }));
    assert.equal(err.kind, 'invalid-prompt');
    assert.match(err.message, /^Cannot run a prompt with errors: line 2: .+ \(and 1 more\); fix them/);
    assert.ok(!err.message.includes('\n'));
  });
});
