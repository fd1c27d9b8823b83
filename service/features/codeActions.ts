// Quick fixes for the diagnostics in a range: each diagnostic goes back to the rule that reported it (by
// its code), which builds the edits against the current text. Parse problems that name their fix (an
// unknown key or value with a "did you mean") get a replacement too.

import type { CodeAction, Diagnostic, Position, Range } from 'vscode-languageserver-types';
import type { PromptContext } from '../context';
import { diagnosticSource } from '../diagnostics';
import { dataString, quickFix } from '../rules/edits';
import { ruleFor } from '../rules/index';

export function getCodeActions(ctx: PromptContext, range: Range, diagnostics: readonly Diagnostic[]): CodeAction[] {
  if (!isRange(range) || !Array.isArray(diagnostics)) return [];
  return diagnostics
    .filter((diagnostic) => isOurs(diagnostic) && isRange(diagnostic.range) && overlaps(diagnostic.range, range))
    .flatMap((diagnostic) => fixesFor(ctx, diagnostic));
}

function fixesFor(ctx: PromptContext, diagnostic: Diagnostic): CodeAction[] {
  try {
    const rule = ruleFor(String(diagnostic.code));
    if (rule?.fixes) return rule.fixes(ctx, diagnostic);
    return suggestionFix(ctx, diagnostic);
  } catch {
    // A fix computed against a stale diagnostic must not take the other fixes down; it is simply not offered.
    return [];
  }
}

/** The parser's "did you mean" on an unknown key or an invalid value: replace the word it points at. */
function suggestionFix(ctx: PromptContext, diagnostic: Diagnostic): CodeAction[] {
  const suggestion = dataString(diagnostic, 'suggestion');
  if (suggestion === undefined || (diagnostic.code !== 'unknown-key' && diagnostic.code !== 'invalid-value')) return [];
  const doc = ctx.textDocument;
  const current = doc.getText(diagnostic.range);
  const expected = dataString(diagnostic, diagnostic.code === 'unknown-key' ? 'key' : 'value');
  if (expected === undefined || !current.includes(expected)) return [];
  const start = doc.offsetAt(diagnostic.range.start) + current.indexOf(expected);
  const range = { start: doc.positionAt(start), end: doc.positionAt(start + expected.length) };
  return [quickFix(ctx, `Change to \`${suggestion}\``, [{ range, newText: suggestion }], diagnostic, true)];
}

function isOurs(diagnostic: Diagnostic | null): boolean {
  if (typeof diagnostic !== 'object' || diagnostic === null) return false;
  return diagnostic.source === undefined || diagnostic.source === diagnosticSource;
}

/** Ranges come back from the client: a mangled one is skipped, never allowed to fail the other fixes. */
function isRange(range: Partial<Range> | null | undefined): range is Range {
  return isPosition(range?.start) && isPosition(range?.end);
}

function isPosition(position: Partial<Position> | null | undefined): boolean {
  return Number.isFinite(position?.line) && Number.isFinite(position?.character);
}

function overlaps(a: Range, b: Range): boolean {
  return !(before(a.end, b.start) || before(b.end, a.start));
}

function before(a: { line: number; character: number }, b: { line: number; character: number }): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}
