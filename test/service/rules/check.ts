// Shared by the rule tests: validate a `.prompt` text whose expected diagnostic ranges are marked with
// ⟦ and ⟧ (the markers are removed from the document), pick diagnostics by code, and apply a quick fix; and
// the two assertions most rule tests make.

import assert from 'node:assert/strict';
import type { CodeAction, Diagnostic, Range } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { applyEdits, fixture, type FixtureOptions } from '../../support/fixture';
import type { PromptContext } from '../../../service/context';
import { validate } from '../../../service/diagnostics';
import { getCodeActions } from '../../../service/features/codeActions';

export interface Checked {
  readonly text: string;
  readonly ctx: PromptContext;
  readonly diagnostics: Diagnostic[];
  /** The ranges marked ⟦…⟧ in the source, in order. */
  readonly marked: Range[];
  readonly options: FixtureOptions;
}

export function check(source: string, options: FixtureOptions = {}): Checked {
  const { text, spans } = unmark(source);
  const fixtureOptions = { ...options, cursor: false };
  const { ctx } = fixture(text, fixtureOptions);
  const doc = TextDocument.create('test://ranges', 'prompt', 0, text);
  const marked = spans.map(([start, end]) => ({ start: doc.positionAt(start), end: doc.positionAt(end) }));
  return { text, ctx, diagnostics: validate(ctx), marked, options: fixtureOptions };
}

export function withCode(checked: Checked, code: string): Diagnostic[] {
  return checked.diagnostics.filter((diagnostic) => diagnostic.code === code);
}

export function codes(checked: Checked): string[] {
  return checked.diagnostics.map((diagnostic) => String(diagnostic.code));
}

/** The quick fixes offered for the `index`-th diagnostic with `code`. */
export function fixesFor(checked: Checked, code: string, index = 0): CodeAction[] {
  const diagnostic = withCode(checked, code)[index];
  if (!diagnostic) throw new Error(`no ${code} diagnostic in:\n${checked.text}\n${JSON.stringify(checked.diagnostics, null, 1)}`);
  return getCodeActions(checked.ctx, diagnostic.range, [diagnostic]);
}

/** Applies the fix titled `title` for the `index`-th `code` diagnostic and validates the result. */
export function applyFix(checked: Checked, code: string, title: string, index = 0): Checked {
  const actions = fixesFor(checked, code, index);
  const action = actions.find((candidate) => candidate.title === title);
  if (!action) throw new Error(`no fix "${title}" for ${code}; offered: ${actions.map((a) => a.title).join(' | ')}`);
  const edits = action.edit?.changes?.[checked.ctx.textDocument.uri] ?? [];
  return check(applyEdits(checked.text, edits), checked.options);
}

/** Asserts that `checked` has one diagnostic, `code`, at the first ⟦marked⟧ range, its message matching `message`. */
export function assertSingleDiagnostic(checked: Checked, code: string, message: RegExp): void {
  assert.deepEqual(codes(checked), [code]);
  assert.deepEqual(checked.diagnostics[0]?.range, checked.marked[0]);
  assert.match(messageOf(checked.diagnostics[0]), message);
}

/** Asserts that the fix titled `title` for the first `code` diagnostic turns the text into `expected`, with no diagnostic left. */
export function assertFixedTo(checked: Checked, code: string, title: string, expected: string): void {
  const fixed = applyFix(checked, code, title);
  assert.equal(fixed.text, expected);
  assert.deepEqual(fixed.diagnostics, []);
}

function unmark(source: string): { text: string; spans: [number, number][] } {
  const spans: [number, number][] = [];
  let text = '';
  let open = -1;
  for (const char of source) {
    if (char === '⟦') open = text.length;
    else if (char === '⟧') {
      spans.push([open, text.length]);
      open = -1;
    } else text += char;
  }
  return { text, spans };
}

/** A diagnostic's message as text (the LSP type also allows markup, which validate never produces). */
export function messageOf(diagnostic: Diagnostic | undefined): string {
  const message = diagnostic?.message ?? '';
  return typeof message === 'string' ? message : message.value;
}
