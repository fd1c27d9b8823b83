// Random and mutated `.prompt` text through the parser, the diagnostics and every editing feature at
// random positions: nothing throws, and every answer is one an editor can apply (non-overlapping edits,
// ranges inside the document, well-formed token data).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range, TextEdit } from 'vscode-languageserver-types';
import {
  createContext,
  getCodeActions,
  getCodeLenses,
  getCompletions,
  getDefinition,
  getDocumentSymbols,
  getFoldingRanges,
  getHover,
  getReferences,
  getRenameEdits,
  getSemanticTokens,
  prepareRename,
  validate,
  type PromptContext,
} from './fuzzShim.tmp';
import { applyEdits } from '../support/fixture';

const seeds = [
  '---\nmemory:\n  key: chat_history\n---\nYou are a chatbot having a conversation with a human.\n\n{chat_history}\nHuman: {human_input}\nChatbot:\n',
  '---\nmemory:\n  key: chat_history\n  return_messages: true\n---\nsystem:\nYou are a chatbot.\n\nplaceholder:\n{chat_history}\n\nhuman:\n{human_input}\n',
  '---\nname: x\ntemplate_format: mustache\ninput_key: q\ninput_variables:\n  - q\n  - topic\npartial_variables:\n  persona: a pirate\nmemory: {type: buffer_window, k: 2}\nparameters:\n  temperature: 0.2\n  stop: ["\\n"]\n---\n{{#history}}{{history}}{{/history}}\n{{q}} {{topic}} {{persona}}\n',
];

/** Pieces that steer random text towards the interesting corners of the format. */
const fragments = [
  '---\n', '---', '\n', '\r\n', ' ', '  ', '\t', ':', '- ', '#', '"', "'", '[', ']',
  'memory:\n', '  key: chat_history\n', '  key: ', 'key: history\n', '  return_messages: true\n', '  type: buffer_window\n',
  '  k: 0\n', '  scope: workspace\n', 'memory: false\n', 'memory: {}\n', 'input_key: q\n', 'input_variables: [a, q]\n',
  'input_variables:\n  - a\n', 'partial_variables:\n  p: x\n', 'template_format: mustache\n', 'api: completion\n',
  'api: chat\n', 'parameters:\n  temperature: 3\n', 'model: gpt-4o\n', 'system:\n', 'human:\n', 'ai:\n', 'user:\n',
  'assistant:\n', 'placeholder:\n', 'System:\n', 'human :\n', '{', '}', '{{', '}}', '{history}', '{chat_history}',
  '{q}', '{a}', '{stop}', '{p}', '{{x}}', '{{#s}}', '{{/s}}', '{{{y}}}', '{x!r}', '{x:>10}', '{0}', '{}', '{a.b}',
  'text', 'é', '😀', '\u0000', '\ud800', '\ufeff',
];

const anyCharText = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 120 });
const fragmentText = fc.array(fc.constantFrom(...fragments), { maxLength: 40 }).map((parts) => parts.join(''));

interface Mutation {
  at: number;
  remove: number;
  insert: string;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  remove: fc.nat({ max: 8 }),
  insert: fc.oneof(fc.constantFrom(...fragments), fc.string({ maxLength: 4 })),
});

const mutatedSeed = fc
  .tuple(fc.constantFrom(...seeds), fc.array(mutation, { minLength: 1, maxLength: 6 }))
  .map(([seed, mutations]) =>
    mutations.reduce((text, m) => {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + m.insert + text.slice(at + m.remove);
    }, seed),
  );

/** Offsets to ask at: fractions of the length, so they land anywhere in texts of any size. */
const cursors = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 4 });

function assertInside(ctx: PromptContext, range: Range): void {
  const doc = ctx.textDocument;
  for (const position of [range.start, range.end]) {
    assert.ok(position.line >= 0 && position.line < doc.lineCount, `line ${position.line} outside the document`);
  }
  assert.ok(doc.offsetAt(range.start) <= doc.offsetAt(range.end), 'range ends before it starts');
}

function assertApplicable(ctx: PromptContext, edits: TextEdit[]): void {
  const sorted = [...edits].sort((a, b) => ctx.textDocument.offsetAt(a.range.start) - ctx.textDocument.offsetAt(b.range.start));
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1]!;
    assert.ok(ctx.textDocument.offsetAt(previous.range.end) <= ctx.textDocument.offsetAt(sorted[i]!.range.start), 'overlapping edits');
  }
  for (const edit of edits) assertInside(ctx, edit.range);
  applyEdits(ctx.textDocument.getText(), edits);
}

function exerciseDocument(ctx: PromptContext): void {
  const diagnostics = validate(ctx);
  const whole = { start: { line: 0, character: 0 }, end: ctx.textDocument.positionAt(ctx.textDocument.getText().length) };
  for (const action of getCodeActions(ctx, whole, diagnostics)) {
    assertApplicable(ctx, action.edit?.changes?.[ctx.textDocument.uri] ?? []);
  }
  for (const fold of getFoldingRanges(ctx)) assert.ok(fold.startLine < fold.endLine && fold.endLine < ctx.textDocument.lineCount);
  const visit = (symbols: ReturnType<typeof getDocumentSymbols>): void => {
    for (const symbol of symbols) {
      assert.ok(symbol.name.length > 0, 'a symbol without a name');
      assertInside(ctx, symbol.range);
      visit(symbol.children ?? []);
    }
  };
  visit(getDocumentSymbols(ctx));
  const tokens = getSemanticTokens(ctx).data;
  assert.equal(tokens.length % 5, 0);
  for (const lens of getCodeLenses(ctx)) assertInside(ctx, lens.range);
}

function exercisePosition(ctx: PromptContext, fraction: number): void {
  const doc = ctx.textDocument;
  const position = doc.positionAt(Math.floor(fraction * doc.getText().length));
  for (const item of getCompletions(ctx, position).items) {
    if (item.textEdit && 'range' in item.textEdit) assertApplicable(ctx, [item.textEdit]);
  }
  const hover = getHover(ctx, position);
  if (hover?.range) assertInside(ctx, hover.range);
  getDefinition(ctx, position).forEach((location) => assertInside(ctx, location.range));
  getReferences(ctx, position, { includeDeclaration: true }).forEach((location) => assertInside(ctx, location.range));
  const prepared = prepareRename(ctx, position);
  if (prepared) assertInside(ctx, prepared.range);
  for (const newName of ['renamed', 'history', '1bad', 'stop']) {
    const result = getRenameEdits(ctx, position, newName);
    if ('edit' in result) assertApplicable(ctx, result.edit.changes?.[doc.uri] ?? []);
  }
}

let runs = 0; process.on("exit", () => console.log("RUNS", runs));
function exercise(text: string, fractions: number[]): void {
  runs++;
  const ctx = createContext(TextDocument.create('test://fuzz.prompt', 'prompt', 1, text));
  exerciseDocument(ctx);
  for (const fraction of [0, 1, ...fractions]) exercisePosition(ctx, fraction);
}

describe('fuzz: parse, diagnostics and every feature never throw', { timeout: 120_000 }, () => {
  test('text built from format fragments', () => {
    fc.assert(fc.property(fragmentText, cursors, exercise), { numRuns: 3000 });
  });

  test('mutated example files', () => {
    fc.assert(fc.property(mutatedSeed, cursors, exercise), { numRuns: 3000 });
  });

  test('arbitrary UTF-16 text, lone surrogates and NULs included', () => {
    fc.assert(fc.property(anyCharText, cursors, exercise), { numRuns: 1500 });
  });

  test('a long file of repeated messages', () => {
    const body = 'human:\n{human_input}\nai:\nok {chat_history}\n'.repeat(2000);
    exercise(`---\nmemory:\n  key: chat_history\n---\n${body}`, [0.25, 0.5, 0.999]);
  });
});
