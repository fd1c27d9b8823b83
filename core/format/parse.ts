// `.prompt` text -> PromptDocument. Never throws: every problem is in `problems` with a span, and even a
// binary file or an internal failure yields a model the editor and the CLI can show.

import type { FrontMatter, ParseProblem, PromptDocument, Span } from './model';
import { ProblemCode, appendAll, problem } from './problems';
import { findFrontMatter, parseFrontMatter } from './frontMatter';
import { parseBody } from './body';
import { normalizeLineBreaks } from './text';

const BOM = 0xfeff;

export function parsePrompt(text: string): PromptDocument {
  try {
    return parseText(text);
  } catch (error) {
    // Defence in depth: a bug (or a library failure) must cost one diagnostic, not the language server.
    const message = `The .prompt parser failed on this file (${String(error)}); please report it.`;
    return unparsedDocument(text, problem(ProblemCode.internalError, message, { start: 0, end: 0 }));
  }
}

function parseText(text: string): PromptDocument {
  const contentStart = text.charCodeAt(0) === BOM ? 1 : 0;
  const binary = binarySpan(text);
  if (binary) {
    const message = 'This file holds binary data (control characters such as NUL), not a prompt; it was not parsed.';
    return unparsedDocument(text, problem(ProblemCode.binaryContent, message, binary));
  }
  const block = findFrontMatter(text, contentStart);
  const problems: ParseProblem[] = [];
  let frontMatter: FrontMatter | undefined;
  if (block) {
    const parsed = parseFrontMatter(text, block);
    frontMatter = parsed.frontMatter;
    appendAll(problems, parsed.problems);
  }
  const { body, problems: bodyProblems } = parseBody(text, block?.bodyStart ?? contentStart, {
    declaredApi: frontMatter?.api?.value,
    format: frontMatter?.templateFormat?.value ?? 'f-string',
  });
  appendAll(problems, bodyProblems);
  problems.sort((a, b) => a.span.start - b.span.start); // stable: same-offset problems keep their order
  return frontMatter ? { text, frontMatter, body, problems } : { text, body, problems };
}

/** The first NUL, or the first control character when they make up over 10% of the file's start. */
function binarySpan(text: string): Span | undefined {
  const nul = text.indexOf('\0');
  if (nul >= 0) return { start: nul, end: nul + 1 };
  const sampleLength = Math.min(text.length, 8192);
  let count = 0;
  let first = -1;
  for (let i = 0; i < sampleLength; i++) {
    const code = text.charCodeAt(i);
    if ((code < 32 && code !== 9 && code !== 10 && code !== 12 && code !== 13) || code === 0xfffd) {
      count++;
      if (first < 0) first = i;
    }
  }
  return count > 0 && count * 10 > sampleLength ? { start: first, end: first + 1 } : undefined;
}

/** A document whose body is the raw text, carrying one problem explaining why it wasn't parsed. */
function unparsedDocument(text: string, reason: ParseProblem): PromptDocument {
  const span = { start: 0, end: text.length };
  const source = normalizeLineBreaks(text);
  const template = { format: 'f-string' as const, source, span, parts: [{ kind: 'text' as const, text: source }], variables: [], problems: [] };
  return { text, body: { kind: 'completion', span, template }, problems: [reason] };
}
