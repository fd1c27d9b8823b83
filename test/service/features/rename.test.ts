import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TextEdit } from 'vscode-languageserver-types';
import { MAX_SEPARATE_EDITS, getRenameEdits, prepareRename } from '../../../service/features/rename';
import { applyEdits, fixture } from '../../support/fixture';

/** The document after renaming the symbol at the cursor, or the error. */
function rename(source: string, newName: string): string {
  const f = fixture(source);
  const result = getRenameEdits(f.ctx, f.position, newName);
  if ('error' in result) return `error: ${result.error}`;
  const edits = result.edit.changes?.['test://a.prompt'] as TextEdit[];
  return applyEdits(f.text, edits);
}

describe('rename', () => {
  test('the memory variable renames memory.key and every use', () => {
    const source = '---\nmemory:\n  key: chat_history\n---\n{chat_|history}\nHuman: {human_input}\n{chat_history}\n';
    assert.equal(rename(source, 'conversation'), '---\nmemory:\n  key: conversation\n---\n{conversation}\nHuman: {human_input}\n{conversation}\n');
  });

  test('from memory.key, keeping its quotes', () => {
    const source = '---\nmemory:\n  key: "chat|_history"\n---\n{chat_history}\n{input}\n';
    assert.equal(rename(source, 'log'), '---\nmemory:\n  key: "log"\n---\n{log}\n{input}\n');
  });

  test('an implicit memory key without front matter: writes one', () => {
    assert.equal(rename('{hist|ory}\nHuman: {input}\n', 'chat_history'), '---\nmemory:\n  key: chat_history\n---\n{chat_history}\nHuman: {input}\n');
  });

  test('an implicit memory key with front matter but no memory block: adds the block', () => {
    assert.equal(rename('---\nmodel: gpt-4o\n---\n{|history}\n{input}\n', 'log'), '---\nmodel: gpt-4o\nmemory:\n  key: log\n---\n{log}\n{input}\n');
  });

  test('an implicit memory key inside a memory block: adds the key at the block indentation', () => {
    const source = '---\nmemory:\n    type: buffer\nmodel: x\n---\n{|history}\n{input}\n';
    assert.equal(rename(source, 'log'), '---\nmemory:\n    key: log\n    type: buffer\nmodel: x\n---\n{log}\n{input}\n');
  });

  test('an implicit memory key in a flow-style memory block', () => {
    assert.equal(rename('---\nmemory: {type: buffer}\n---\n{|history}\n{input}\n', 'log'), '---\nmemory: {key: log, type: buffer}\n---\n{log}\n{input}\n');
  });

  test('input_key, input_variables entries and partial keys follow the variable', () => {
    const source = '---\ninput_variables: [question, persona]\ninput_key: question\npartial_variables:\n  persona: pirate\n---\n{history}\n{ques|tion} as {persona}\n';
    assert.equal(
      rename(source, 'query'),
      '---\ninput_variables: [query, persona]\ninput_key: query\npartial_variables:\n  persona: pirate\n---\n{history}\n{query} as {persona}\n',
    );
    assert.equal(
      rename(source.replace('{ques|tion}', '{question}').replace('as {persona}', 'as {pers|ona}'), 'role'),
      '---\ninput_variables: [question, role]\ninput_key: question\npartial_variables:\n  role: pirate\n---\n{history}\n{question} as {role}\n',
    );
  });

  test('a variable in a mustache template', () => {
    const source = '---\ntemplate_format: mustache\n---\n{{history}}\n{{ques|tion}} {{question}}\n';
    assert.equal(rename(source, 'query'), '---\ntemplate_format: mustache\n---\n{{history}}\n{{query}} {{query}}\n');
  });

  test('rejects names LangChain could not use', () => {
    const source = '{history}\n{in|put}\n';
    assert.match(rename(source, '1st'), /^error: "1st" is not a valid variable name/);
    assert.match(rename(source, 'user-input'), /^error: "user-input" is not a valid variable name/);
    assert.match(rename(source, ''), /^error: "" is not a valid variable name/);
    assert.match(rename(source, 'a\nb\u009b[2J'), /^error: "a\\nb\\u009b\[2J" is not a valid variable name[^\n]*$/);
    assert.match(rename(source, 'x'.repeat(500) + '!'), /^error: "x{80}…" is not a valid variable name/);
    assert.match(rename(source, 'stop'), /^error: 'stop' is reserved/);
    assert.match(rename(source, 'history'), /^error: 'history' is already a variable of this prompt/);
  });

  test('renaming to the unused memory key binds the variable to memory (no merge to refuse)', () => {
    const source = '---\nmemory:\n  key: chat_history\n---\n{hist|ory}\n{input}\n';
    assert.equal(rename(source, 'chat_history'), '---\nmemory:\n  key: chat_history\n---\n{chat_history}\n{input}\n');
  });

  test('nothing to rename in plain text', () => {
    assert.match(rename('Hel|lo {input}\n', 'x'), /^error: /);
  });
});

describe('prepareRename', () => {
  test('the name under the cursor, without braces', () => {
    const f = fixture('{history}\nHuman: {inp|ut}\n');
    assert.deepEqual(prepareRename(f.ctx, f.position), {
      range: { start: { line: 1, character: 8 }, end: { line: 1, character: 13 } },
      placeholder: 'input',
    });
  });

  test('memory.key in the front matter', () => {
    const f = fixture('---\nmemory:\n  key: |chat_history\n---\n{chat_history}\n{input}\n');
    assert.deepEqual(prepareRename(f.ctx, f.position), {
      range: { start: { line: 2, character: 7 }, end: { line: 2, character: 19 } },
      placeholder: 'chat_history',
    });
  });

  test('nowhere else', () => {
    const f = fixture('---\nmod|el: x\n---\nHello {input}\n');
    assert.equal(prepareRename(f.ctx, f.position), null);
  });
});

test('rename writes the memory key with the file’s own line breaks', () => {
  assert.equal(rename('---\r\nmodel: x\r\n---\r\n{hist|ory}\r\n{input}\r\n', 'log'), '---\r\nmodel: x\r\nmemory:\r\n  key: log\r\n---\r\n{log}\r\n{input}\r\n');
});

describe('rename of many uses', () => {
  test('50,000 uses on one line are all renamed, by a bounded answer', () => {
    const n = 50_000;
    const source = `---\nmemory:\n  key: h\n---\n${'x{h}'.repeat(n)}\n{input}\n`;
    const f = fixture(source.replace('x{h}', 'x{|h}'));
    const result = getRenameEdits(f.ctx, f.position, 'history');
    assert.ok('edit' in result);
    const edits = result.edit.changes?.['test://a.prompt'] as TextEdit[];
    assert.equal(applyEdits(f.text, edits), `---\nmemory:\n  key: history\n---\n${'x{history}'.repeat(n)}\n{input}\n`);
    assert.ok(edits.length <= 2, `${edits.length} edits`);
    assert.ok(JSON.stringify(edits).length < 2 * source.length * 'history'.length, 'no edit per use');
  });

  test('past MAX_SEPARATE_EDITS, far-apart uses keep their own edits, close ones share one', () => {
    const far = Array.from({ length: MAX_SEPARATE_EDITS + 1 }, () => `{v}${' '.repeat(100)}`).join('\n');
    const source = `{history}\n${far}\n{v} {v}{v}\n`;
    const f = fixture(source.replace('{v}', '{|v}'));
    const result = getRenameEdits(f.ctx, f.position, 'w');
    assert.ok('edit' in result);
    const edits = result.edit.changes?.['test://a.prompt'] as TextEdit[];
    assert.equal(applyEdits(f.text, edits), f.text.replaceAll('{v}', '{w}'));
    assert.equal(edits.length, MAX_SEPARATE_EDITS + 2);
    assert.deepEqual(edits.at(-1), { range: { start: { line: MAX_SEPARATE_EDITS + 2, character: 1 }, end: { line: MAX_SEPARATE_EDITS + 2, character: 9 } }, newText: 'w} {w}{w' });
  });

  test('up to MAX_SEPARATE_EDITS uses: one edit each, as the editor previews them', () => {
    const source = `{history}\n${'{v}'.repeat(MAX_SEPARATE_EDITS)}\n`;
    const f = fixture(source.replace('{v}', '{|v}'));
    const result = getRenameEdits(f.ctx, f.position, 'w');
    assert.ok('edit' in result);
    const edits = result.edit.changes?.['test://a.prompt'] as TextEdit[];
    assert.equal(edits.length, MAX_SEPARATE_EDITS);
    assert.ok(edits.every((e) => e.newText === 'w' && e.range.end.character - e.range.start.character === 1));
  });
});
