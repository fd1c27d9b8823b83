import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { check, codes, messageOf } from './rules/check';
import { fixture } from '../support/fixture';
import { chatExample, completionExample } from '../support/examples';
import { validate } from '../../service/diagnostics';
import { rules } from '../../service/rules/index';
import { parsePrompt } from '../../core/format/parse';
import { ProblemCode } from '../../core/format/problems';

describe('validate', () => {
  test("LangChain's own examples are clean", () => {
    assert.deepEqual(validate(fixture(completionExample, { cursor: false }).ctx), []);
    assert.deepEqual(validate(fixture(chatExample, { cursor: false }).ctx), []);
  });

  test('parse problems come through one to one: code, message, severity, range', () => {
    const checked = check('---\n⟦memroy⟧:\n  key: x\n---\nHi ⟦{⟧name\n');
    const problems = parsePrompt(checked.text).problems;
    assert.deepEqual(codes(checked), ['unknown-key', 'fstring-unclosed-brace']);
    assert.deepEqual(checked.diagnostics.map((d) => d.range), checked.marked);
    assert.deepEqual(checked.diagnostics.map(messageOf), problems.map((p) => p.message));
    assert.deepEqual(checked.diagnostics.map((d) => d.severity), [DiagnosticSeverity.Error, DiagnosticSeverity.Error]);
    assert.deepEqual(checked.diagnostics[0]?.data, { key: 'memroy', path: ['memroy'], suggestion: 'memory' });
  });

  test("every diagnostic is marked as Prompt Chain's, with a code", () => {
    const checked = check('---\nmemory:\n  key: chat_history\n---\n{history}\nHuman: {input}\n');
    assert.equal(checked.diagnostics.length, 2);
    for (const diagnostic of checked.diagnostics) {
      assert.equal(diagnostic.source, 'prompt-chain');
      assert.equal(typeof diagnostic.code, 'string');
    }
  });

  test('rule codes are unique and none collides with a parse problem code', () => {
    const ruleCodes = rules.map((rule) => rule.code);
    assert.equal(new Set(ruleCodes).size, ruleCodes.length);
    const parseCodes = new Set<string>(Object.values(ProblemCode));
    assert.deepEqual(ruleCodes.filter((code) => parseCodes.has(code)), []);
  });

  test('a 5,000-line prompt with stored memory validates to the one real problem', () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `Rule ${i}: keep answers about {topic} short.`);
    const text = `---\nmodel: gpt-4o-mini\ninput_key: question\npartial_variables:\n  topic: cats\n---\n${lines.join('\n')}\n{history}\nQ: {question}\nA: {answr}\n`;
    const storedTurns = Array.from({ length: 300 }, (_, i) => ({ input: `q${i}`, output: `a${i}` }));
    const diagnostics = validate(fixture(text, { cursor: false, storedTurns }).ctx);
    assert.deepEqual(diagnostics.map((d) => d.code), ['unprovided-variable']);
    assert.deepEqual(diagnostics[0]?.range, { start: { line: 5008, character: 3 }, end: { line: 5008, character: 10 } });
  });

  test('binary junk yields the parser problem and nothing else, without throwing', () => {
    const diagnostics = validate(fixture('\u0000\u0001\u0002{x}}{', { cursor: false }).ctx);
    assert.deepEqual(diagnostics.map((d) => d.code), ['binary-content']);
  });

  test('a broken memory setting is reported once, not again by every variable rule', () => {
    const misspelt = check('---\nmemroy:\n  key: chat_history\n---\n{chat_history}\nHuman: {input}\n');
    assert.deepEqual(codes(misspelt), ['unknown-key']);
    const unrelated = check('---\nauthor: me\nmemory:\n  key: chat_history\n---\n{history}\nHuman: {input}\n');
    assert.deepEqual(codes(unrelated), ['unknown-key', 'memory-key-unused', 'unprovided-variable']);
  });
});

describe('diagnostics per document', () => {
  test('at most 100 of one code are listed, then one summary saying how many more, at the 101st', () => {
    const text = `human:\n${'{x\n'.repeat(30_000)}Hi }\n`;
    const diagnostics = validate(fixture(text, { cursor: false }).ctx);
    const unclosed = diagnostics.filter((d) => d.code === 'fstring-unclosed-brace');
    assert.equal(unclosed.length, 100);
    assert.deepEqual(unclosed.map((d) => d.range.start.line), Array.from({ length: 100 }, (_, i) => i + 1));
    const more = diagnostics.filter((d) => d.code === 'more-problems');
    assert.equal(more.length, 1);
    assert.deepEqual(more[0]?.data, { code: 'fstring-unclosed-brace', count: 29_900 });
    assert.equal(more[0]?.range.start.line, 101);
    assert.match(String(more[0]?.message), /^29900 more `fstring-unclosed-brace` problems/);
    // another code is listed on its own count
    assert.equal(diagnostics.filter((d) => d.code === 'fstring-single-close-brace').length, 1);
  });

  test('100 of one code are all listed, with no summary', () => {
    const diagnostics = validate(fixture(`human:\n${'{x\n'.repeat(100)}`, { cursor: false }).ctx);
    assert.equal(diagnostics.filter((d) => d.code === 'fstring-unclosed-brace').length, 100);
    assert.equal(diagnostics.filter((d) => d.code === 'more-problems').length, 0);
  });
});
