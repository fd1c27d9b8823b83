import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits, fixture } from '../../support/fixture';
import { parsePrompt } from '../../../core/format/parse';
import { fieldWithKeyAt, moveFrontMatterKey, removeFrontMatterKey } from '../../../service/rules/frontMatterMoves';

/** The context of `text` and the field whose key is the `nth` occurrence of `key:`. */
function at(text: string, key: string, nth = 0) {
  const { ctx } = fixture(text, { cursor: false });
  let start = -1;
  for (let i = 0; i <= nth; i++) start = text.indexOf(`${key}:`, start + 1);
  const field = ctx.prompt.frontMatter && fieldWithKeyAt(ctx.prompt.frontMatter, { start, end: start + key.length });
  assert.ok(field, `a field ${key} at ${start}`);
  return { ctx, field };
}

describe('removeFrontMatterKey', () => {
  test('of a key written twice, removes the one asked for', () => {
    const text = '---\nmodel: a\nmodel: b\nname: n\n---\n{x}\n';
    const { ctx, field } = at(text, 'model', 1);
    assert.equal(applyEdits(text, removeFrontMatterKey(ctx, field) ?? []), '---\nmodel: a\nname: n\n---\n{x}\n');
  });

  test('keeps the lines around, comments included', () => {
    const text = '---\n# who we are\nname: n\nurl: http://x\n# the model\nmodel: m\n---\n{x}\n';
    const { ctx, field } = at(text, 'url');
    assert.equal(applyEdits(text, removeFrontMatterKey(ctx, field) ?? []), '---\n# who we are\nname: n\n# the model\nmodel: m\n---\n{x}\n');
  });
});

describe('moveFrontMatterKey', () => {
  test('into `memory: false`, which becomes a block', () => {
    const text = '---\nmemory: false\nparameters:\n  key: h\n  top_p: 1\n---\n{h}\n{x}\n';
    const { ctx, field } = at(text, 'key');
    const out = applyEdits(text, moveFrontMatterKey(ctx, field, ['memory', 'key']) ?? []);
    assert.equal(out, '---\nmemory:\n  key: h\nparameters:\n  top_p: 1\n---\n{h}\n{x}\n');
    assert.deepEqual(parsePrompt(out).problems, []);
  });

  test('a block scalar keeps its lines', () => {
    const text = '---\nmemory:\n  description: |\n    Remembers\n    everything.\n  key: h\n---\n{h}\n{x}\n';
    const { ctx, field } = at(text, 'description');
    const out = applyEdits(text, moveFrontMatterKey(ctx, field, ['description']) ?? []);
    assert.equal(out, '---\nmemory:\n  key: h\ndescription: |\n  Remembers\n  everything.\n---\n{h}\n{x}\n');
    assert.equal(parsePrompt(out).frontMatter?.description?.value, 'Remembers\neverything.\n');
  });

  test('no edit into a key that exists, or in front matter that does not parse', () => {
    const taken = '---\nmodel: a\nmemory:\n  model: b\n---\n{x}\n';
    const first = at(taken, 'model', 1);
    assert.equal(moveFrontMatterKey(first.ctx, first.field, ['model']), undefined);
    const broken = '---\ntemperature: 1\nname: "open\n---\n{x}\n';
    const second = at(broken, 'temperature');
    assert.equal(moveFrontMatterKey(second.ctx, second.field, ['parameters', 'temperature']), undefined);
  });
});
