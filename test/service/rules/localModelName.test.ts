import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { check, codes, messageOf, withCode } from './check';

describe('local-model-name', () => {
  test('fires at a local: model the engine cannot run, in the words the turn would fail with', () => {
    const checked = check('---\nmodel: ⟦local:mistral.bin⟧\n---\n{history}\nHuman: {input}\n');
    const found = withCode(checked, 'local-model-name');
    assert.deepEqual(found.map((d) => d.range), [checked.marked[0]]);
    assert.equal(found[0]?.severity, 1);
    assert.match(messageOf(found[0]), /^"local:mistral\.bin" is neither a path nor owner\/repo\/file\.gguf: .*; a turn on it fails before it runs\.$/);
  });

  test('fires at the summary model too', () => {
    const checked = check('---\nmemory:\n  type: summary\n  summary_model: ⟦local:/models/summary.bin⟧\n---\n{history}\nHuman: {input}\n');
    assert.deepEqual(withCode(checked, 'local-model-name').map((d) => d.range), [checked.marked[0]]);
    assert.match(messageOf(withCode(checked, 'local-model-name')[0]), /is not a \.gguf file/);
  });

  test('does not fire for local, a .gguf path, a hub file or a remote model', () => {
    for (const model of ['local', 'local:/models/qwen.gguf', 'local:./qwen.gguf', 'local:Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf', 'gpt-4o-mini', 'localai-model']) {
      assert.deepEqual(codes(check(`---\nmodel: ${model}\n---\n{history}\nHuman: {input}\n`)).filter((code) => code === 'local-model-name'), [], model);
    }
  });
});
