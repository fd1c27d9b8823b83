// Property tests: a `.prompt` file means the same with LF, CRLF or CR line ends. For generated texts, the
// three versions give the same document (spans compared as line/column), the same diagnostics, the same
// formatted prompt (LF line ends, as Python's universal newlines give LangChain), and every quick fix applied
// to the CRLF or CR version gives the CRLF or CR version of the fixed LF text.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, TextEdit } from 'vscode-languageserver-types';
import { createContext, getCodeActions, validate, type PromptContext } from '../../service/languageService';
import { LineIndex } from '../../core/format/lineIndex';
import { preparePrompt } from '../../core/chain/prepare';
import { templateVariableNames } from '../../core/chain/inputKey';
import { ChainError } from '../../core/chain/errors';
import { applyEdits } from '../support/fixture';
import { chatExample, completionExample } from '../support/examples';

type LineEnd = '\r\n' | '\r';
const otherLineEnds: readonly LineEnd[] = ['\r\n', '\r'];

/** `text` (LF line ends only) with every `\n` written as `lineEnd`. */
function converted(text: string, lineEnd: string): string {
  return text.split('\n').join(lineEnd);
}

// Fragments without `\r`: the LF version is the reference the other two are converted from.
const frontMatterLines = [
  'memory:', '  key: chat_history', '  key: history', '  return_messages: true', '  type: buffer_window', '  k: 2',
  '  human_prefix: Q', '  ai_prefix: A', '  scope: workspace', '  kye: x', 'memory: false', 'memroy:', 'api: chat',
  'api: completion', 'template_format: mustache', 'input_key: q', 'input_variables: [a, q]', 'input_variables:',
  '  - a', '  - q', '  - 1', 'partial_variables:', '  p: x', '  p: |', '    two', '    lines', '  p: >', '    folded',
  '    text', '  p: "a', '    b"', "  p: 'c", "    d'", 'parameters:', '  temperature: 3', '  temperature: 0.2',
  '  stop: ["\\n", "human:"]', '  stop:', '  - "x"', 'model: gpt-4o', 'description: |-', '  kept', '',
  '# a comment', 'name: [a,', '  b]', 'key: history', 'temperature: 1', 'openai_api_key: sk-abc', 'base_url: http://x',
  '  ', 'x: {a: 1,', '  b: 2}', '? complex', ': value', 'memory: {key: q}', 'name: "tab\\there"',
];
const bodyLines = [
  'system:', 'human:', 'ai:', 'user:', 'assistant:', 'placeholder:', 'System:', 'human :', '  user:', 'usr:', 'Human:',
  'AI:', 'Human: {input}', 'AI:', '{history}', '{chat_history}', '{q}', '{a}', '{p}', '{stop}', '{input}', 'text',
  '', ' ', '\t', 'You are a chatbot.', '{x!r}', '{x:>10}', '{0}', '{}', '{a.b}', '{', '}', '{{', '}}', '{{x}}',
  '{{#s}}', '{{/s}}', '{{^s}}x{{/s}}', '{{{y}}}', '{{history}}', 'Q: {q}', '{human_input}', 'one {a} two {q}',
  '{unclosed', 'é 😀', '---', 'api: chat', 'human: ', 'ai:  ', '{input} ', '\t{q}\t',
];

/** Lines from `pool`, with now and then a short random one (never holding a line break). */
const lines = (pool: readonly string[], maxLength: number) =>
  fc.array(fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...pool) }, { weight: 1, arbitrary: fc.string({ maxLength: 6 }).map((line) => line.replace(/[\r\n]/g, ' ')) }), { maxLength });

/** A front matter (sometimes unclosed or absent) and a body, joined with LF. */
const generatedText = fc
  .record({
    frontMatter: fc.option(lines(frontMatterLines, 10), { nil: undefined }),
    closed: fc.boolean(),
    body: lines(bodyLines, 14),
    finalLineBreak: fc.boolean(),
  })
  .map(({ frontMatter, closed, body, finalLineBreak }) => {
    const head = frontMatter === undefined ? [] : ['---', ...frontMatter, ...(closed ? ['---'] : [])];
    const text = [...head, ...body].join('\n');
    return finalLineBreak ? `${text}\n` : text;
  });

/** The shipped examples with whole lines inserted, removed or replaced. */
const editedExample = fc
  .tuple(
    fc.constantFrom(completionExample, chatExample),
    fc.array(fc.tuple(fc.nat(), fc.nat({ max: 2 }), lines([...frontMatterLines, ...bodyLines], 2)), { minLength: 1, maxLength: 4 }),
  )
  .map(([example, edits]) => {
    const exampleLines = example.split('\n');
    for (const [at, remove, insert] of edits) exampleLines.splice(at % (exampleLines.length + 1), remove, ...insert);
    return exampleLines.join('\n');
  });

const promptText = fc.oneof(generatedText, editedExample);

function contextOf(text: string): PromptContext {
  return createContext(TextDocument.create('test://endings.prompt', 'prompt', 1, text));
}

/** The parsed document with every span as line/column and the raw text left out. */
function documentShape(ctx: PromptContext): unknown {
  const index = new LineIndex(ctx.prompt.text);
  const { text: _text, ...document } = ctx.prompt;
  return JSON.parse(JSON.stringify(document, (_key, value: unknown) => (isSpan(value) ? index.rangeAt(value) : value)));
}

function isSpan(value: unknown): value is { start: number; end: number } {
  if (typeof value !== 'object' || value === null) return false;
  const keys = Object.keys(value);
  return keys.length === 2 && typeof (value as { start?: unknown }).start === 'number' && typeof (value as { end?: unknown }).end === 'number';
}

function diagnosticShape(diagnostic: Diagnostic): unknown {
  const { code, message, range, severity, data } = diagnostic;
  return { code, message, range, severity, data };
}

/** The formatted prompt for fixed inputs (multi-line, as a user's are), or the error that refuses it. */
function formatted(ctx: PromptContext): unknown {
  const variables = Object.fromEntries(templateVariableNames(ctx.prompt.body).map((name) => [name, `${name} value\nsecond line`]));
  const turns = [{ input: 'first\nquestion', output: 'first\nanswer' }];
  try {
    return preparePrompt(ctx.prompt, ctx.config, { input: 'the\ninput', variables, turns });
  } catch (error) {
    if (error instanceof ChainError) return { error: error.message };
    throw error;
  }
}

/** Each quick fix of each diagnostic, applied to the text. */
function fixedTexts(ctx: PromptContext, diagnostics: readonly Diagnostic[]): string[][] {
  return diagnostics.map((diagnostic) =>
    getCodeActions(ctx, diagnostic.range, [diagnostic]).map((action) => {
      const edits: TextEdit[] = action.edit?.changes?.[ctx.textDocument.uri] ?? [];
      return applyEdits(ctx.textDocument.getText(), edits);
    }),
  );
}

function assertSameMeaning(lfText: string): void {
  if (!lfText.includes('\n')) return; // one line: the same file whatever the line ends
  const lf = contextOf(lfText);
  const lfDiagnostics = validate(lf);
  const lfFixes = fixedTexts(lf, lfDiagnostics);
  for (const lineEnd of otherLineEnds) {
    const what = lineEnd === '\r\n' ? 'CRLF' : 'CR';
    const other = contextOf(converted(lfText, lineEnd));
    assert.deepEqual(documentShape(other), documentShape(lf), `${what}: the same document`);
    const diagnostics = validate(other);
    assert.deepEqual(diagnostics.map(diagnosticShape), lfDiagnostics.map(diagnosticShape), `${what}: the same diagnostics`);
    assert.deepEqual(formatted(other), formatted(lf), `${what}: the same formatted prompt`);
    const expectedFixes = lfFixes.map((texts) => texts.map((text) => converted(text, lineEnd)));
    assert.deepEqual(fixedTexts(other, diagnostics), expectedFixes, `${what}: each quick fix gives the converted LF result`);
  }
}

describe('LF, CRLF and CR files mean the same', { timeout: 120_000 }, () => {
  test('generated front matter and bodies', () => {
    fc.assert(fc.property(generatedText, assertSameMeaning), { numRuns: 300, includeErrorInReport: true });
  });

  test('the shipped examples with lines inserted, removed and replaced', () => {
    fc.assert(fc.property(editedExample, assertSameMeaning), { numRuns: 200, includeErrorInReport: true });
  });

  test('any mix of the above', () => {
    fc.assert(fc.property(promptText, assertSameMeaning), { numRuns: 100, includeErrorInReport: true });
  });
});
