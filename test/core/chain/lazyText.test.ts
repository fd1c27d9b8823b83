import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { defineLazyText } from '../../../core/chain/lazyText';

describe('defineLazyText', () => {
  it('computes the text on its first read only, and keeps it', () => {
    let calls = 0;
    const holder = defineLazyText({ reply: 'hi' }, 'prompt', () => `made ${++calls}`);
    assert.equal(calls, 0);
    assert.equal(holder.prompt, 'made 1');
    assert.equal(holder.prompt, 'made 1');
    assert.equal(calls, 1);
  });

  it('is seen by JSON, spreads, keys and equality as a plain property', () => {
    const holder = defineLazyText({ reply: 'hi' }, 'prompt', () => 'the prompt');
    assert.equal(JSON.stringify(holder), '{"reply":"hi","prompt":"the prompt"}');
    assert.deepEqual(Object.keys(holder), ['reply', 'prompt']);
    assert.deepStrictEqual({ ...holder }, { reply: 'hi', prompt: 'the prompt' });
    assert.deepStrictEqual(holder, { reply: 'hi', prompt: 'the prompt' });
  });

  it('keeps two texts of one object apart', () => {
    const holder = defineLazyText(defineLazyText({}, 'prompt', () => 'p'), 'trace', () => 't');
    assert.deepStrictEqual({ ...holder }, { prompt: 'p', trace: 't' });
  });

  it('gives every object the same getter, so objects do not each get a hidden class of their own', () => {
    const getter = (object: object) => Object.getOwnPropertyDescriptor(object, 'prompt')?.get;
    const first = defineLazyText({}, 'prompt', () => 'one');
    const second = defineLazyText({}, 'prompt', () => 'two');
    assert.equal(getter(first), getter(second));
    assert.deepEqual([first.prompt, second.prompt], ['one', 'two']);
  });
});
