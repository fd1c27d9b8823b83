// Document symbols (outline, breadcrumbs): the front matter with its keys, then each chat message as
// "role first line", or the completion template.

import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver-types';
import type { FrontMatter, FrontMatterField, MessageDecl, Span, Template } from '../../core/format/model';
import type { PromptContext } from '../context';
import { roles } from './roles';
import { rangeOf } from './spans';

export function getDocumentSymbols(ctx: PromptContext): DocumentSymbol[] {
  const frontMatter = ctx.prompt.frontMatter;
  const body = ctx.prompt.body;
  const bodySymbols =
    body.kind === 'chat' ? body.messages.map((m) => messageSymbol(ctx, m)) : templateSymbol(ctx, body.template);
  return [...(frontMatter ? [frontMatterSymbol(ctx, frontMatter)] : []), ...bodySymbols];
}

function frontMatterSymbol(ctx: PromptContext, frontMatter: FrontMatter): DocumentSymbol {
  const fence = { start: frontMatter.span.start, end: Math.min(frontMatter.span.start + 3, frontMatter.span.end) };
  return symbol(ctx, 'front matter', SymbolKind.Namespace, frontMatter.span, fence, {
    detail: frontMatter.name?.value,
    children: fieldSymbols(ctx, frontMatter.fields),
  });
}

/** Builds the key tree from the flat field list, grouping each field under the path it extends (keys may be empty). */
function fieldSymbols(ctx: PromptContext, fields: readonly FrontMatterField[]): DocumentSymbol[] {
  const childrenOf = new Map<string, FrontMatterField[]>();
  for (const field of fields) {
    const parent = JSON.stringify(field.path.slice(0, -1));
    const siblings = childrenOf.get(parent);
    if (siblings) siblings.push(field);
    else childrenOf.set(parent, [field]);
  }
  const build = (field: FrontMatterField): DocumentSymbol => {
    const children = (childrenOf.get(JSON.stringify(field.path)) ?? []).map(build);
    const span = { start: Math.min(field.keySpan.start, field.valueSpan.start), end: Math.max(field.keySpan.end, field.valueSpan.end) };
    const name = field.path[field.path.length - 1] || '(empty key)';
    return symbol(ctx, name, SymbolKind.Key, span, field.keySpan, { detail: scalarText(field.value), children });
  };
  return (childrenOf.get('[]') ?? []).map(build);
}

function messageSymbol(ctx: PromptContext, message: MessageDecl): DocumentSymbol {
  const name = [message.header.value.trim(), firstLine(message.template)].filter(Boolean).join(' ') || message.role;
  const kind = message.role === 'placeholder' ? SymbolKind.Array : SymbolKind.String;
  return symbol(ctx, name, kind, message.span, message.header.span, { detail: roles[message.role]?.promptClass });
}

function templateSymbol(ctx: PromptContext, template: Template): DocumentSymbol[] {
  if (template.span.end <= template.span.start) return [];
  const name = firstLine(template) || 'template';
  return [symbol(ctx, name, SymbolKind.String, template.span, template.span, { detail: 'PromptTemplate' })];
}

function symbol(
  ctx: PromptContext,
  name: string,
  kind: SymbolKind,
  span: Span,
  selection: Span,
  extra: { detail?: string | undefined; children?: DocumentSymbol[] },
): DocumentSymbol {
  // Clients reject a selection range outside the symbol's range.
  const inner = { start: Math.max(span.start, selection.start), end: Math.max(span.start, Math.min(span.end, selection.end)) };
  return {
    name,
    kind,
    range: rangeOf(ctx, span),
    selectionRange: rangeOf(ctx, inner),
    ...(extra.detail ? { detail: extra.detail } : {}),
    ...(extra.children && extra.children.length > 0 ? { children: extra.children } : {}),
  };
}

const maxNameLength = 60;

function firstLine(template: Template): string {
  const line = template.source.split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
  return line.length > maxNameLength ? `${line.slice(0, maxNameLength - 1)}…` : line;
}

function scalarText(value: unknown): string | undefined {
  return ['string', 'number', 'boolean'].includes(typeof value) ? String(value) : undefined;
}
