import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits, fixture } from '../../support/fixture';
import { addFrontMatterKey, addListItem, removeListItem, setFrontMatterValue, yamlScalar } from '../../../service/rules/frontMatterEdits';
import { parsePrompt } from '../../../core/format/parse';

function set(text: string, path: string[], value: string): string {
  const { ctx } = fixture(text, { cursor: false });
  const edits = setFrontMatterValue(ctx, path, value);
  assert.ok(edits, 'an edit is offered');
  return applyEdits(text, edits);
}

function parsesCleanly(text: string): void {
  assert.deepEqual(parsePrompt(text).problems, []);
}

describe('setFrontMatterValue', () => {
  test('creates the front matter when the file has none', () => {
    const out = set('Hi {x}\n', ['memory', 'key'], 'chat_history');
    assert.equal(out, '---\nmemory:\n  key: chat_history\n---\nHi {x}\n');
    parsesCleanly(out);
  });

  test('replaces an existing value in place, quoted or empty', () => {
    assert.equal(set('---\nmemory:\n  key: "history"\n---\n{x}\n', ['memory', 'key'], 'chat'), '---\nmemory:\n  key: chat\n---\n{x}\n');
    assert.equal(set('---\ninput_key:\n---\n{x}\n', ['input_key'], 'x'), '---\ninput_key: x\n---\n{x}\n');
  });

  test('adds a key after the last one of its block, with its indentation, comments kept', () => {
    const out = set('---\nmemory:\n    key: chat_history # ours\n    scope: file\nmodel: gpt-4o\n---\n{x}\n', ['memory', 'return_messages'], 'true');
    assert.equal(out, '---\nmemory:\n    key: chat_history # ours\n    scope: file\n    return_messages: true\nmodel: gpt-4o\n---\n{x}\n');
    parsesCleanly(out);
  });

  test('turns `memory: false` into a block', () => {
    const out = set('---\nmemory: false\n---\n{x}\n', ['memory', 'key'], 'h');
    assert.equal(out, '---\nmemory:\n  key: h\n---\n{x}\n');
    parsesCleanly(out);
  });

  test('adds a new top-level key at the end of the YAML', () => {
    assert.equal(set('---\nmodel: gpt-4o\n---\n{x}\n', ['input_key'], 'x'), '---\nmodel: gpt-4o\ninput_key: x\n---\n{x}\n');
    assert.equal(set('---\n---\n{x}\n', ['memory', 'key'], 'h'), '---\nmemory:\n  key: h\n---\n{x}\n');
  });

  test('a flow mapping is rewritten through the YAML library', () => {
    const out = set('---\nmemory: {key: chat_history}\n---\n{chat_history}\n', ['memory', 'return_messages'], 'true');
    parsesCleanly(out);
    assert.equal(parsePrompt(out).frontMatter?.fields.find((f) => f.path.join('.') === 'memory.return_messages')?.value, true);
    assert.match(out, /key: chat_history/);
  });

  test('keeps CRLF line breaks', () => {
    assert.equal(set('---\r\nmodel: gpt-4o\r\n---\r\n{x}\r\n', ['input_key'], 'x'), '---\r\nmodel: gpt-4o\r\ninput_key: x\r\n---\r\n{x}\r\n');
  });

  test('addFrontMatterKey writes a block value under the key, indented for where it lands, CRLF kept', () => {
    const text = '---\r\nmodel: m\r\n---\r\n{x}\r\n';
    const { ctx } = fixture(text, { cursor: false });
    const out = applyEdits(text, addFrontMatterKey(ctx, ['parameters', 'stop'], '\n  - "Human:" # turn\n  - "AI:"') ?? []);
    assert.equal(out, '---\r\nmodel: m\r\nparameters:\r\n  stop:\r\n    - "Human:" # turn\r\n    - "AI:"\r\n---\r\n{x}\r\n');
    assert.deepEqual(parsePrompt(out).frontMatter?.parameters?.value, { stop: ['Human:', 'AI:'] });
  });

  test('quotes values YAML would misread', () => {
    assert.equal(yamlScalar('chat_history'), 'chat_history');
    assert.equal(yamlScalar('true'), '"true"');
    assert.equal(yamlScalar('a: b'), '"a: b"');
  });
});

describe('list items', () => {
  test('add to a list that does not exist yet', () => {
    const text = '---\nmodel: gpt-4o\n---\n{x}\n';
    const { ctx } = fixture(text, { cursor: false });
    const edits = addListItem(ctx, ['input_variables'], undefined, 'x');
    assert.equal(applyEdits(text, edits ?? []), '---\nmodel: gpt-4o\ninput_variables: [x]\n---\n{x}\n');
  });

  test('remove the middle item of a flow list', () => {
    const text = '---\ninput_variables: [a, "b", c]\n---\n{a}\n';
    const { ctx } = fixture(text, { cursor: false });
    const list = ctx.prompt.frontMatter?.inputVariables;
    assert.ok(list);
    assert.equal(applyEdits(text, removeListItem(ctx, ['input_variables'], list, 1) ?? []), '---\ninput_variables: [a, c]\n---\n{a}\n');
  });
});
