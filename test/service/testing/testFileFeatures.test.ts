import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createTestFileContext, noTestFileFacts, type TestFileFacts } from '../../../service/testing/testFileContext';
import { getTestFileCompletions } from '../../../service/testing/testCompletion';
import { getTestFileHover } from '../../../service/testing/testHover';
import { validateTestFile } from '../../../service/testing/testDiagnostics';

/** A test file with `|` at the cursor. */
function at(source: string) {
  const offset = source.indexOf('|');
  const text = source.slice(0, offset) + source.slice(offset + 1);
  const ctx = createTestFileContext(TextDocument.create('test://chat.prompt-test.yaml', 'yaml', 1, text));
  return { ctx, position: ctx.textDocument.positionAt(offset) };
}

function labels(source: string, facts: TestFileFacts = noTestFileFacts): string[] {
  const { ctx, position } = at(source);
  return getTestFileCompletions(ctx, position, facts).map((item) => item.label);
}

const head = 'prompt: chat.prompt\nconversations:\n  - name: c\n    turns:\n      - input: hi\n';

describe('test-file completion', () => {
  test('top-level keys', () => {
    assert.deepEqual(labels('|'), ['prompt', 'conversations']);
    assert.deepEqual(labels('prompt: a.prompt\nconv|'), ['prompt', 'conversations']);
  });

  test('conversation keys, in a new item and as a later key of one', () => {
    const conversation = ['name', 'vars', 'history', 'repeat', 'pass_rate', 'turns'];
    assert.deepEqual(labels('prompt: a\nconversations:\n  - |'), conversation);
    assert.deepEqual(labels('prompt: a\nconversations:\n  - name: c\n    |'), conversation);
    assert.deepEqual(labels('prompt: a\nconversations:\n- name: c\n  re|'), conversation);
  });

  test('turn keys and assertion kinds', () => {
    assert.deepEqual(labels(`${head}        ex|`), ['input', 'expect']);
    const kinds = labels(`${head}        expect:\n          - contains: x\n          - |`);
    assert.deepEqual(kinds.slice(0, 3), ['contains', 'not_contains', 'equals']);
    assert.equal(kinds.length, 11);
    assert.deepEqual(labels(`${head}        expect:\n          - judge:\n              |`), ['rubric', 'model']);
  });

  test('an assertion kind replaces what was typed, as a snippet', () => {
    const { ctx, position } = at(`${head}        expect:\n          - con|`);
    const item = getTestFileCompletions(ctx, position, noTestFileFacts).find((candidate) => candidate.label === 'contains');
    assert.ok(item?.textEdit && 'range' in item.textEdit);
    assert.equal(item.textEdit.newText, 'contains: ${1:text}');
    assert.equal(item.textEdit.range.start.character, 12);
  });

  test("the prompt's variables under vars:, prompt files after prompt:", () => {
    const facts = { promptFiles: ['chat.prompt', 'prompts/pirate.prompt'], variables: ['persona', 'tone'] };
    assert.deepEqual(labels('prompt: a\nconversations:\n  - name: c\n    vars:\n      |', facts), ['persona', 'tone']);
    assert.deepEqual(labels('prompt: pro|', facts), ['chat.prompt', 'prompts/pirate.prompt']);
    assert.deepEqual(labels('prompt: a\nconversations:\n  - name: pro|', facts), []);
  });
});

describe('test-file hover and diagnostics', () => {
  test("a key's doc and an assertion's doc", () => {
    const hover = (source: string) => {
      const { ctx, position } = at(source);
      const result = getTestFileHover(ctx, position);
      return result && typeof result.contents === 'object' && 'value' in result.contents ? result.contents.value : null;
    };
    assert.match(hover('prompt: a\nconversations:\n  - name: c\n    rep|eat: 3\n    turns: [{ input: hi }]\n')!, /^\*\*`repeat`\*\* \(default: 1\)\n\nHow many times/);
    assert.match(hover(`${head}        expect:\n          - prompt_con|tains: x\n`)!, /assertion\n\nThe formatted prompt sent to the model contains/);
    assert.equal(hover('prompt: a\nconversations:\n  - name: c|\n'), null);
  });

  test('parse and check problems become diagnostics at their text', () => {
    const { ctx } = at('prompt: a\nconversations:\n  - nmae: c|\n');
    const checked = [{ code: 'test-prompt-missing' as const, message: 'gone', span: ctx.testFile.promptSpan, severity: 'error' as const }];
    const diagnostics = validateTestFile(ctx, checked);
    assert.deepEqual(diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character, d.severity]), [
      ['test-unknown-key', 2, 4, 1],
      ['test-missing-key', 2, 4, 1],
      ['test-missing-key', 2, 4, 1],
      ['test-prompt-missing', 0, 8, 1],
    ]);
    assert.equal(diagnostics[0]!.source, 'prompt-chain');
  });
});
