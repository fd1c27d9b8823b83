// Diagnostics of one `.prompt` document: the parser's problems (front matter, template syntax) mapped
// one to one with their codes, then every rule in ./rules. Pure: the host decides when to run it and
// where to send the result; `validateSteps` lets it pause (and stop) while a rule tokenizes a big prompt.
// Computed once per context: code actions ask again which findings the current version has
// (./features/codeActions.ts), and must not pay for a second validation.

import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import type { ParseProblem, Severity, Span } from '../core/format/model';
import { ProblemCode } from '../core/format/problems';
import type { PromptContext } from './context';
import { rangeOf } from './rules/edits';
import { rules } from './rules/index';
import { findingsOf } from './rules/findings';
import type { Rule, RuleFinding } from './rules/rule';
import type { Steps } from '../core/steps';
import { plainText } from './plainText';
import { hintsFor } from './hosts';
import { problemMessage } from './problemAdvice';
import { otherToolFile, otherToolIn } from './rules/otherToolFile';
import { keepShape } from '../core/shapes';

export const diagnosticSource = 'prompt-chain';

const severities: Readonly<Record<Severity, DiagnosticSeverity>> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** Problems after which the parser hands back the raw text: there is no prompt for the rules to judge. */
const unparsed = new Set<string>([ProblemCode.binaryContent, ProblemCode.internalError]);

/**
 * Diagnostics listed per code and document; the rest of that code become one summary diagnostic. A
 * hostile or mangled file (a template pasted into the front matter, 100,000 stray braces) would otherwise
 * send the editor tens of thousands of them, each costing time to send, draw and look up for a quick fix.
 */
export const MAX_DIAGNOSTICS_PER_CODE = 100;

/** The code of the summary diagnostic that stands for the ones past MAX_DIAGNOSTICS_PER_CODE. */
export const moreProblemsCode = 'more-problems';

const validated = new WeakMap<PromptContext, readonly Diagnostic[]>();

/** `validate` in steps (../steps.ts): the rules' long work first, with a pause point after each piece of it. */
export function* validateSteps(ctx: PromptContext): Steps<Diagnostic[]> {
  if (!validated.has(ctx) && !ctx.prompt.problems.some((problem) => unparsed.has(problem.code)) && otherToolIn(ctx) === undefined) {
    for (const rule of rules) if (rule.prepare) yield* prepareSafely(rule.prepare(ctx));
  }
  return validate(ctx);
}

export function validate(ctx: PromptContext): Diagnostic[] {
  let diagnostics = validated.get(ctx);
  if (!diagnostics) {
    diagnostics = computeDiagnostics(ctx);
    validated.set(ctx, diagnostics);
  }
  return [...diagnostics];
}

/**
 * The diagnostics without waiting for long work: the complete ones once `validateSteps` has done it, else
 * the same with provisional findings (estimates) from the rules whose work is not done, not kept. For a
 * host that answers before the work ends and tells the client again when it does (the server).
 */
export function validateNow(ctx: PromptContext): Diagnostic[] {
  if (!isProvisional(ctx)) return validate(ctx);
  return computeDiagnostics(ctx, (rule) => (rule.prepare && !rule.prepared?.(ctx) && rule.provisional ? rule.provisional(ctx) : findingsOf(ctx, rule)));
}

/**
 * The error diagnostics, without waiting for long work. Only rules that warn do long work (counting
 * tokens: the context window), so the errors are the same before it is done: what refuses a turn, an
 * export or a comparison asks this and never waits for a big prompt's first count.
 */
export function errorsNow(ctx: PromptContext): Diagnostic[] {
  return validateNow(ctx).filter((diagnostic) => diagnostic.severity === DiagnosticSeverity.Error);
}

/** Whether `validateNow` would give provisional findings for this context. */
export function isProvisional(ctx: PromptContext): boolean {
  if (validated.has(ctx) || ctx.prompt.problems.some((problem) => unparsed.has(problem.code)) || otherToolIn(ctx) !== undefined) return false;
  return rules.some((rule) => rule.prepare && !rule.prepared?.(ctx));
}

function computeDiagnostics(ctx: PromptContext, findings: (rule: Rule) => readonly RuleFinding[] = (rule) => findingsOf(ctx, rule)): Diagnostic[] {
  const listing = new Listing();
  // Another tool's file (Dotprompt, Continue) is not judged as a prompt of ours: its one notice, nothing else.
  if (otherToolIn(ctx) !== undefined) {
    addRuleDiagnostics(ctx, otherToolFile, listing, findings);
    return listing.diagnostics();
  }
  for (const problem of ctx.prompt.problems) listing.add(problem.code, () => fromProblem(ctx, problem));
  if (ctx.prompt.problems.some((problem) => unparsed.has(problem.code))) return listing.diagnostics();
  for (const rule of rules) addRuleDiagnostics(ctx, rule, listing, findings);
  return listing.diagnostics();
}

/**
 * The first MAX_DIAGNOSTICS_PER_CODE of each code, in order, then one summary per code that had more. A
 * diagnostic is built (its range found, its message made plain text) only when it is listed or is the
 * first hidden one of its code: a rule may report one mistake at each of 50,000 uses of a variable.
 */
class Listing {
  private readonly listed = new Map<string, number>();
  private readonly hidden = new Map<string, { first: Diagnostic; count: number }>();
  private readonly kept: Diagnostic[] = [];

  add(code: string, make: () => Diagnostic): void {
    const count = this.listed.get(code) ?? 0;
    if (count < MAX_DIAGNOSTICS_PER_CODE) {
      this.listed.set(code, count + 1);
      const diagnostic = make();
      // Written with Markdown code spans; only what is listed becomes plain text (./plainText.ts).
      if (typeof diagnostic.message === 'string') diagnostic.message = plainText(diagnostic.message);
      this.kept.push(diagnostic);
      return;
    }
    const more = this.hidden.get(code);
    if (more) more.count++;
    else this.hidden.set(code, { first: make(), count: 1 });
  }

  diagnostics(): Diagnostic[] {
    const result = [...this.kept];
    for (const [code, { first, count }] of this.hidden) result.push(summary(code, first, count));
    return result;
  }
}

// One per validation, dropped after it: its methods' optimized code must outlive it (../core/shapes.ts).
keepShape(new Listing());

function summary(code: string, first: Diagnostic, count: number): Diagnostic {
  const problems = count === 1 ? 'problem' : 'problems';
  const message = `${count} more \`${code}\` ${problems} from here on are not listed (only the first ${MAX_DIAGNOSTICS_PER_CODE} are): fix those first, or check that this file is a prompt.`;
  return { range: first.range, severity: first.severity, code: moreProblemsCode, source: diagnosticSource, message: plainText(message), data: { code, count } };
}

export function toDiagnosticSeverity(severity: Severity): DiagnosticSeverity {
  return severities[severity];
}

/** A rule whose preparation fails reports it from `check`, which runs the same work again. */
function* prepareSafely(steps: Steps<void>): Steps<void> {
  try {
    yield* steps;
  } catch {
    // ruleDiagnostics turns the same failure into the rule's internal-error diagnostic
  }
}

function fromProblem(ctx: PromptContext, problem: ParseProblem): Diagnostic {
  return diagnostic(ctx, problem.span, problem.severity, problem.code, problemMessage(problem, hintsFor(ctx.settings)), problem.data);
}

function fromFinding(ctx: PromptContext, rule: Rule, finding: RuleFinding): Diagnostic {
  return diagnostic(ctx, finding.span, finding.severity ?? rule.severity, rule.code, finding.message, finding.data);
}

/** A failing rule costs its own diagnostics (and says so), never the document's others. */
function addRuleDiagnostics(ctx: PromptContext, rule: Rule, listing: Listing, findings: (rule: Rule) => readonly RuleFinding[]): void {
  try {
    for (const finding of findings(rule)) listing.add(rule.code, () => fromFinding(ctx, rule, finding));
  } catch (error) {
    const message = `The ${rule.code} check failed on this file (${String(error)}); please report it.`;
    listing.add(ProblemCode.internalError, () => diagnostic(ctx, { start: 0, end: 0 }, 'error', ProblemCode.internalError, message, { rule: rule.code }));
  }
}

function diagnostic(
  ctx: PromptContext,
  span: Span,
  severity: Severity,
  code: string,
  message: string,
  data: Record<string, unknown> | undefined,
): Diagnostic {
  // Written with Markdown code spans; Listing makes the listed ones plain text (./plainText.ts).
  const result: Diagnostic = { range: rangeOf(ctx, span), severity: severities[severity], code, source: diagnosticSource, message };
  if (data !== undefined) result.data = data;
  return result;
}
