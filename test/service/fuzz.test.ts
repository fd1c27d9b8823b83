// Random and mutated `.prompt` text through the parser, the diagnostics and every editing feature at
// random positions, under varied settings and stored conversations, with quick fixes also asked for the
// diagnostics of the text before the edit: nothing throws, and every answer is one an editor can apply
// (non-overlapping edits, ranges inside the document, well-formed token data).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, Range, TextEdit } from 'vscode-languageserver-types';
import {
  createContext,
  defaultServiceSettings,
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
} from '../../service/languageService';
import { ruleFor } from '../../service/rules/index';
import { applyEdits } from '../support/fixture';
import { completionExample } from '../support/examples';

const seeds = [
  completionExample,
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

/** [seed, the seed after a few random edits] */
const mutatedSeed = fc
  .tuple(fc.constantFrom(...seeds), fc.array(mutation, { minLength: 1, maxLength: 6 }))
  .map(([seed, mutations]): [string, string] => [
    seed,
    mutations.reduce((text, m) => {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + m.insert + text.slice(at + m.remove);
    }, seed),
  ]);

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

function exerciseDocument(ctx: PromptContext, staleDiagnostics: Diagnostic[]): Diagnostic[] {
  const diagnostics = validate(ctx);
  for (const diagnostic of diagnostics) {
    assertInside(ctx, diagnostic.range);
    // validate and getCodeActions contain a failing rule; here a failure must show.
    assert.notEqual(diagnostic.code, 'internal-error', String(diagnostic.message));
    ruleFor(String(diagnostic.code))?.fixes?.(ctx, diagnostic);
  }
  const whole = { start: { line: 0, character: 0 }, end: ctx.textDocument.positionAt(ctx.textDocument.getText().length) };
  // The client may ask for fixes of diagnostics computed on an older text: they must still apply or be left out.
  for (const action of getCodeActions(ctx, whole, [...diagnostics, ...staleDiagnostics])) {
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
  return diagnostics;
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

/** What the host adds to the text: settings (the default memory key decides many rules) and stored turns. */
interface Host {
  defaultMemoryKey: string;
  storedTurns: number;
}

const hosts: fc.Arbitrary<Host> = fc.record({
  defaultMemoryKey: fc.constantFrom('history', 'chat_history', 'q', 'stop', 'a b'),
  storedTurns: fc.constantFrom(0, 1, 3, 2000),
});

const plainHost: Host = { defaultMemoryKey: 'history', storedTurns: 0 };

function contextOf(text: string, host: Host, version: number): PromptContext {
  const settings = { ...defaultServiceSettings, defaultMemoryKey: host.defaultMemoryKey };
  const storedTurns = Array.from({ length: host.storedTurns }, (_, i) => ({ input: `question ${i} {x}`, output: `answer ${i}\nhuman:` }));
  return createContext(TextDocument.create('test://fuzz.prompt', 'prompt', version, text), settings, { storedTurns });
}

function exercise(text: string, fractions: number[], host: Host = plainHost, staleDiagnostics: Diagnostic[] = []): Diagnostic[] {
  const ctx = contextOf(text, host, 1);
  const diagnostics = exerciseDocument(ctx, staleDiagnostics);
  for (const fraction of [0, 1, ...fractions]) exercisePosition(ctx, fraction);
  return diagnostics;
}

/** A seed, then its mutation checked with the seed's diagnostics still in the client's hands. */
function exerciseEdit(seed: string, mutated: string, fractions: number[], host: Host): void {
  const seedDiagnostics = validate(contextOf(seed, host, 1));
  exercise(mutated, fractions, host, seedDiagnostics);
}

describe('fuzz: parse, diagnostics and every feature never throw', { timeout: 120_000 }, () => {
  test('text built from format fragments', () => {
    fc.assert(fc.property(fragmentText, cursors, hosts, (text, fractions, host) => void exercise(text, fractions, host)), { numRuns: 500 });
  });

  test('mutated example files, with any settings and stored turns, and fixes asked for the old version', () => {
    fc.assert(fc.property(mutatedSeed, cursors, hosts, ([seed, mutated], fractions, host) => exerciseEdit(seed, mutated, fractions, host)), { numRuns: 500 });
  });

  test('arbitrary UTF-16 text, lone surrogates and NULs included', () => {
    fc.assert(fc.property(anyCharText, cursors, (text, fractions) => void exercise(text, fractions)), { numRuns: 200 });
  });

  test('a long file of repeated messages', () => {
    const body = 'human:\n{human_input}\nai:\nok {chat_history}\n'.repeat(2000);
    exercise(`---\nmemory:\n  key: chat_history\n---\n${body}`, [0.25, 0.5, 0.999]);
  });
});
