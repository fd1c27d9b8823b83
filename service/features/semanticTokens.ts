// Semantic tokens: each variable coloured by where its value comes from (memory, the user's input, a
// partial, or nothing — a run-time error), in the templates and in the front-matter entries naming it;
// role headers as keywords. A TextMate grammar can only see braces; only the service knows the memory key.

import type { SemanticTokens, SemanticTokensLegend } from 'vscode-languageserver-types';
import type { Span } from '../../core/format/model';
import type { PromptContext } from '../context';
import { declarations } from './occurrences';
import { templateRefs, variableSources, type VariableSource } from './variables';

export const semanticTokensLegend: SemanticTokensLegend = {
  tokenTypes: ['variable', 'keyword'],
  tokenModifiers: ['declaration', 'memory', 'input', 'partial', 'undefined'],
};

type TokenType = 'variable' | 'keyword';
type TokenModifier = 'declaration' | 'memory' | 'input' | 'partial' | 'undefined';

const sourceModifier: Record<VariableSource, TokenModifier> = {
  memory: 'memory',
  input: 'input',
  partial: 'partial',
  unprovided: 'undefined',
};

export function getSemanticTokens(ctx: PromptContext): SemanticTokens {
  const sourceOf = variableSources(ctx);
  // A file may hold 50,000 uses of a handful of variables: each source's bits are worked out once.
  const bitsBySource = new Map<VariableSource, number>();
  const bitsOf = (name: string): number => {
    const source = sourceOf(name);
    let bits = bitsBySource.get(source);
    if (bits === undefined) bitsBySource.set(source, (bits = modifierBits([sourceModifier[source]])));
    return bits;
  };
  const variable = typeIndex('variable');
  const keyword = typeIndex('keyword');
  const declaration = modifierBits(['declaration']);
  // Added in source order, encoded as they come (no token list, no sort: a body can hold 50,000 uses):
  // the front matter's entries first (few, sorted here), then the uses with the role headers among them.
  const encoder = new Encoder(ctx);
  for (const o of declarations(ctx).sort((a, b) => a.span.start - b.span.start)) encoder.add(o.span, variable, declaration | bitsOf(o.name));
  const headers = headerSpans(ctx);
  let next = 0;
  for (const ref of templateRefs(ctx)) {
    for (; next < headers.length && headers[next]!.start <= ref.nameSpan.start; next++) encoder.add(headers[next]!, keyword, 0);
    encoder.add(ref.nameSpan, variable, bitsOf(ref.name));
  }
  for (; next < headers.length; next++) encoder.add(headers[next]!, keyword, 0);
  return { data: encoder.data };
}

function headerSpans(ctx: PromptContext): Span[] {
  const body = ctx.prompt.body;
  return body.kind === 'chat' ? body.messages.map((m) => m.header.span) : [];
}

/**
 * LSP's relative encoding: [deltaLine, deltaStartChar, length, type, modifier bits] per token, in order.
 * Tokens come in source order, so the line of each is found by walking forward from the last one's.
 */
class Encoder {
  readonly data: number[] = [];
  private line = 0;
  private lineStart = 0;
  private nextLineStart: number;
  private previousLine = 0;
  private previousChar = 0;
  private previousEnd = -1;

  constructor(private readonly ctx: PromptContext) {
    this.nextLineStart = this.startOfLine(1);
  }

  add(span: Span, type: number, modifiers: number): void {
    while (span.start >= this.nextLineStart) {
      this.line++;
      this.lineStart = this.nextLineStart;
      this.nextLineStart = this.startOfLine(this.line + 1);
    }
    // Clients accept neither overlapping nor multi-line tokens.
    if (span.start < this.previousEnd || span.end >= this.nextLineStart || span.end <= span.start) return;
    const character = span.start - this.lineStart;
    const deltaLine = this.line - this.previousLine;
    this.data.push(deltaLine, deltaLine === 0 ? character - this.previousChar : character, span.end - span.start, type, modifiers);
    this.previousLine = this.line;
    this.previousChar = character;
    this.previousEnd = span.end;
  }

  private startOfLine(line: number): number {
    const doc = this.ctx.textDocument;
    return line < doc.lineCount ? doc.offsetAt({ line, character: 0 }) : Infinity;
  }
}

function typeIndex(type: TokenType): number {
  return semanticTokensLegend.tokenTypes.indexOf(type);
}

function modifierBits(modifiers: readonly TokenModifier[]): number {
  return modifiers.reduce((bits, m) => bits | (1 << semanticTokensLegend.tokenModifiers.indexOf(m)), 0);
}
