// Quick fixes for the diagnostics in a range: each diagnostic goes back to the rule that reported it (by
// its code), which builds the edits against the current text. Parse problems whose data names their fix
// (a did-you-mean, a block to move the key to, an endpoint or key to remove, a replacement value) go to
// ./problemFixes.

import type { CodeAction, Diagnostic, Position, Range } from 'vscode-languageserver-types';
import type { PromptContext } from '../context';
import { diagnosticSource } from '../diagnostics';
import { ruleFor } from '../rules/index';
import { problemFixes } from './problemFixes';

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
    return problemFixes(ctx, diagnostic);
  } catch {
    // A fix computed against a stale diagnostic must not take the other fixes down; it is simply not offered.
    return [];
  }
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
