// Semantic tokens: each variable coloured by where its value comes from (memory, the user's input, a
// partial, or nothing — a run-time error), in the templates and in the front-matter entries naming it;
// role headers as keywords. A TextMate grammar can only see braces; only the service knows the memory key.

import type { SemanticTokens, SemanticTokensLegend } from 'vscode-languageserver-types';
import type { Span } from '../../core/format/model';
import type { PromptContext } from '../context';
import { declarations, uses } from './occurrences';
import { variableSources, type VariableSource } from './variables';

export const semanticTokensLegend: SemanticTokensLegend = {
  tokenTypes: ['variable', 'keyword'],
  tokenModifiers: ['declaration', 'memory', 'input', 'partial', 'undefined'],
};

type TokenType = 'variable' | 'keyword';
type TokenModifier = 'declaration' | 'memory' | 'input' | 'partial' | 'undefined';

interface Token {
  readonly span: Span;
  readonly type: TokenType;
  readonly modifiers: readonly TokenModifier[];
}

const sourceModifier: Record<VariableSource, TokenModifier> = {
  memory: 'memory',
  input: 'input',
  partial: 'partial',
  unprovided: 'undefined',
};

export function getSemanticTokens(ctx: PromptContext): SemanticTokens {
  const sourceOf = variableSources(ctx);
  const modifierOf = (name: string): TokenModifier => sourceModifier[sourceOf(name)];
  const tokens: Token[] = [
    ...uses(ctx).map((o): Token => ({ span: o.span, type: 'variable', modifiers: [modifierOf(o.name)] })),
    ...declarations(ctx).map((o): Token => ({ span: o.span, type: 'variable', modifiers: ['declaration', modifierOf(o.name)] })),
    ...headerTokens(ctx),
  ];
  return { data: encode(ctx, tokens) };
}

function headerTokens(ctx: PromptContext): Token[] {
  const body = ctx.prompt.body;
  if (body.kind !== 'chat') return [];
  return body.messages.map((m) => ({ span: m.header.span, type: 'keyword', modifiers: [] }));
}

/** LSP's relative encoding: [deltaLine, deltaStartChar, length, type, modifier bits] per token, in order. */
function encode(ctx: PromptContext, tokens: Token[]): number[] {
  const doc = ctx.textDocument;
  const data: number[] = [];
  let previousLine = 0;
  let previousChar = 0;
  let previousEnd = -1;
  for (const token of [...tokens].sort((a, b) => a.span.start - b.span.start)) {
    const start = doc.positionAt(token.span.start);
    const end = doc.positionAt(token.span.end);
    // Clients accept neither overlapping nor multi-line tokens.
    if (token.span.start < previousEnd || end.line !== start.line || end.character <= start.character) continue;
    const deltaLine = start.line - previousLine;
    const deltaChar = deltaLine === 0 ? start.character - previousChar : start.character;
    data.push(deltaLine, deltaChar, end.character - start.character, typeIndex(token.type), modifierBits(token.modifiers));
    previousLine = start.line;
    previousChar = start.character;
    previousEnd = token.span.end;
  }
  return data;
}

function typeIndex(type: TokenType): number {
  return semanticTokensLegend.tokenTypes.indexOf(type);
}

function modifierBits(modifiers: readonly TokenModifier[]): number {
  return modifiers.reduce((bits, m) => bits | (1 << semanticTokensLegend.tokenModifiers.indexOf(m)), 0);
}
