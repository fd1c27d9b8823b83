// Quick fixes for the diagnostics in a range: each diagnostic goes back to the rule that reported it (by
// its code), which builds the edits against the current text. Parse problems whose data names their fix
// (a did-you-mean, a block to move the key to, an endpoint or key to remove, a replacement value) go to
// ./problemFixes.
//
// The client sends back the diagnostics it holds, which may be those of an older version of the text (it
// asks while the new ones are being computed). A diagnostic is answered only when the current version has
// the very same finding — code, message, range and data — so no edit is ever built from a stale range; and
// an action with an edit outside the current text is dropped whatever produced it. The same edit offered
// for several diagnostics is one action.

import type { CodeAction, Diagnostic, Position, Range, TextEdit } from 'vscode-languageserver-types';
import type { PromptContext } from '../context';
import { diagnosticSource, validateNow } from '../diagnostics';
import { ruleFor } from '../rules/index';
import { problemFixes } from './problemFixes';

export function getCodeActions(ctx: PromptContext, range: Range, diagnostics: readonly Diagnostic[]): CodeAction[] {
  if (!isRange(range) || !Array.isArray(diagnostics)) return [];
  const asked = diagnostics.filter((diagnostic) => isOurs(diagnostic) && isRange(diagnostic.range) && overlaps(diagnostic.range, range));
  if (asked.length === 0) return [];
  // Never waits for long work (a first token count): what is not counted yet has no quick fix anyway.
  const current = new Set(validateNow(ctx).map(findingKey));
  const actions = fewOfEach(asked.filter((diagnostic) => current.has(findingKey(diagnostic))))
    .flatMap((diagnostic) => fixesFor(ctx, diagnostic))
    .filter((action) => editsInside(ctx, action));
  return merged(actions);
}

/** Diagnostics with the same code and message asked for at once (one mistake, marked at each place). */
const MAX_ALIKE = 20;

/**
 * The first MAX_ALIKE of each code and message: a range over a file whose input key is ambiguous among
 * hundreds of variables asks for each of their hundreds of uses, and each offers the same hundreds of
 * fixes; building them all was seconds of work for the same list.
 */
function fewOfEach(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Map<string, number>();
  return diagnostics.filter((diagnostic) => {
    const key = `${String(diagnostic.code)}\n${typeof diagnostic.message === 'string' ? diagnostic.message : ''}`;
    const count = (seen.get(key) ?? 0) + 1;
    seen.set(key, count);
    return count <= MAX_ALIKE;
  });
}

/** Diagnostics a merged action names. */
const MAX_NAMED = 5;

/**
 * One action per distinct edit: a rule that marks several places for one mistake (every candidate of an
 * ambiguous input key) offers the same fixes at each, and a range covering two of them must not list
 * every fix twice. The kept action names the first MAX_NAMED diagnostics it fixes: naming all of them (a
 * hundred diagnostics, each listing hundreds of candidates, on each of hundreds of actions) made answers
 * of hundreds of megabytes.
 */
function merged(actions: readonly CodeAction[]): CodeAction[] {
  const byEdit = new Map<string, CodeAction>();
  for (const action of actions) {
    const key = JSON.stringify([action.title, action.edit ?? null]);
    const kept = byEdit.get(key);
    if (!kept) byEdit.set(key, { ...action, diagnostics: [...(action.diagnostics ?? [])] });
    else for (const diagnostic of action.diagnostics ?? []) if (kept.diagnostics!.length < MAX_NAMED) kept.diagnostics!.push(diagnostic);
  }
  return [...byEdit.values()];
}

function fixesFor(ctx: PromptContext, diagnostic: Diagnostic): CodeAction[] {
  try {
    const rule = ruleFor(String(diagnostic.code));
    if (rule?.fixes) return rule.fixes(ctx, diagnostic);
    return problemFixes(ctx, diagnostic);
  } catch {
    // A fix that fails on a diagnostic the client mangled must not take the other fixes down; it is simply not offered.
    return [];
  }
}

/** What tells one finding from another, as it survives the trip to the client and back (JSON). */
function findingKey(diagnostic: Diagnostic): string {
  const { start, end } = diagnostic.range;
  return JSON.stringify([diagnostic.code, diagnostic.message, start.line, start.character, end.line, end.character, diagnostic.data ?? null]);
}

/** Every edit is on this document, at positions that exist in its current text. */
function editsInside(ctx: PromptContext, action: CodeAction): boolean {
  const changes = action.edit?.changes ?? {};
  const uris = Object.keys(changes);
  if (uris.some((uri) => uri !== ctx.textDocument.uri)) return false;
  return (changes[ctx.textDocument.uri] ?? []).every((edit) => editInside(ctx, edit));
}

function editInside(ctx: PromptContext, edit: TextEdit): boolean {
  const doc = ctx.textDocument;
  const exists = (position: Position) => {
    const roundTrip = doc.positionAt(doc.offsetAt(position));
    return roundTrip.line === position.line && roundTrip.character === position.character;
  };
  return isRange(edit.range) && exists(edit.range.start) && exists(edit.range.end) && !before(edit.range.end, edit.range.start);
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
