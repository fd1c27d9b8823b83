import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { formatTrace, shouldColor, traceEnd, traceStart } from '../../../core/chain/trace';

describe('verbose trace', () => {
  test('with colour: byte for byte what StdOutCallbackHandler prints', () => {
    assert.equal(
      formatTrace('Human: hi', { color: true }),
      '\n\n\x1b[1m> Entering new LLMChain chain...\x1b[0m\nPrompt after formatting:\n\x1b[32;1m\x1b[1;3mHuman: hi\x1b[0m\n\n\x1b[1m> Finished chain.\x1b[0m\n',
    );
  });

  test('without colour: the same text without escape codes', () => {
    assert.equal(
      formatTrace('line 1\nline 2', { color: false }),
      '\n\n> Entering new LLMChain chain...\nPrompt after formatting:\nline 1\nline 2\n\n> Finished chain.\n',
    );
  });

  test('start and end halves make the whole trace', () => {
    for (const color of [true, false]) {
      assert.equal(traceStart('p', { color }) + traceEnd({ color }), formatTrace('p', { color }));
    }
  });
});

describe('shouldColor', () => {
  test('colours a terminal', () => {
    assert.equal(shouldColor({ isTTY: true }, {}), true);
  });
  test('never colours a pipe or file', () => {
    assert.equal(shouldColor({ isTTY: false }, {}), false);
    assert.equal(shouldColor({}, {}), false);
  });
  test('honours NO_COLOR (any non-empty value)', () => {
    assert.equal(shouldColor({ isTTY: true }, { NO_COLOR: '1' }), false);
    assert.equal(shouldColor({ isTTY: true }, { NO_COLOR: '' }), true);
  });
});
