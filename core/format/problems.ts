// Every problem code the parser can report, in one place. Codes are stable: diagnostics, quick fixes,
// the CLI's `check --json` and docs/prompt-format.md all key on them.

import type { ParseProblem, Severity, Span } from './model';

export const ProblemCode = {
  binaryContent: 'binary-content',
  unclosedFrontMatter: 'unclosed-front-matter',
  frontMatterTooLarge: 'front-matter-too-large',
  frontMatterTooDeep: 'front-matter-too-deep',
  yamlTooManyErrors: 'yaml-too-many-errors',
  yamlSyntax: 'yaml-syntax',
  yamlWarning: 'yaml-warning',
  duplicateKey: 'duplicate-key',
  frontMatterNotAMap: 'front-matter-not-a-map',
  unknownKey: 'unknown-key',
  endpointInFile: 'endpoint-in-file',
  secretInFile: 'secret-in-file',
  invalidType: 'invalid-type',
  invalidValue: 'invalid-value',
  outOfRange: 'out-of-range',
  textBeforeFirstMessage: 'text-before-first-message',
  placeholderShape: 'placeholder-shape',
  fstringUnclosedBrace: 'fstring-unclosed-brace',
  fstringSingleCloseBrace: 'fstring-single-close-brace',
  fstringEmptyField: 'fstring-empty-field',
  fstringPositionalField: 'fstring-positional-field',
  fstringFieldAccess: 'fstring-field-access',
  fstringConversion: 'fstring-conversion',
  fstringFormatSpec: 'fstring-format-spec',
  mustacheSyntax: 'mustache-syntax',
  mustacheTooDeep: 'mustache-too-deep',
  internalError: 'internal-error',
} as const;

export type ProblemCode = (typeof ProblemCode)[keyof typeof ProblemCode];

export function problem(
  code: ProblemCode,
  message: string,
  span: Span,
  severity: Severity = 'error',
  data?: Record<string, unknown>,
): ParseProblem {
  return data === undefined ? { code, message, span, severity } : { code, message, span, severity, data };
}

/**
 * Appends `items` to `target` in a loop: `target.push(...items)` passes every item as an argument and
 * overflows the stack past some 100,000 of them (a front matter of stray brackets gives that many).
 */
export function appendAll<T>(target: T[], items: readonly T[]): T[] {
  for (const item of items) target.push(item);
  return target;
}
