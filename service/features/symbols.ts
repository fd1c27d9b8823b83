// Document symbols (outline, breadcrumbs): the front matter with its keys, then each chat message as
// "role first line", or the completion template, each with the variables it uses. Kinds are chosen so the
// outline tells the parts apart at a glance (docs/diagnostics.md, "Outline"):
//   front matter Namespace · key Property · system Interface (the rules every reply follows) ·
//   human Event (arrives each turn) · ai Function (what the model produced) · placeholder Array (a list
//   of messages) · completion template String (one string) · variable Variable, detailed by its source.

import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver-types';
import type { FrontMatter, FrontMatterField, MessageDecl, Role, Span, Template } from '../../core/format/model';
import type { PromptContext } from '../context';
import { roles } from './roles';
import { rangeOf } from './spans';
import { variableText } from '../rules/templateEdits';
import { variableSources, type VariableSource } from './variables';

export function getDocumentSymbols(ctx: PromptContext): DocumentSymbol[] {
  const frontMatter = ctx.prompt.frontMatter;
  const body = ctx.prompt.body;
  const sources = variableSources(ctx);
  const bodySymbols =
    body.kind === 'chat' ? body.messages.map((m) => messageSymbol(ctx, m, sources)) : templateSymbol(ctx, body.template, sources);
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
    return symbol(ctx, name, SymbolKind.Property, span, field.keySpan, { detail: scalarText(field.value), children });
  };
  return (childrenOf.get('[]') ?? []).map(build);
}

const roleKinds: Readonly<Record<Role, SymbolKind>> = {
  system: SymbolKind.Interface,
  human: SymbolKind.Event,
  ai: SymbolKind.Function,
  placeholder: SymbolKind.Array,
};

function messageSymbol(ctx: PromptContext, message: MessageDecl, sourceOf: (name: string) => VariableSource): DocumentSymbol {
  const name = [message.header.value.trim(), firstLine(message.template)].filter(Boolean).join(' ') || message.role;
  return symbol(ctx, name, roleKinds[message.role], message.span, message.header.span, {
    detail: roles[message.role]?.promptClass,
    children: variableSymbols(ctx, message.template, sourceOf),
  });
}

function templateSymbol(ctx: PromptContext, template: Template, sourceOf: (name: string) => VariableSource): DocumentSymbol[] {
  if (template.span.end <= template.span.start) return [];
  const name = firstLine(template) || 'template';
  const children = variableSymbols(ctx, template, sourceOf);
  return [symbol(ctx, name, SymbolKind.String, template.span, template.span, { detail: 'PromptTemplate', children })];
}

const sourceDetail: Readonly<Record<VariableSource, string>> = {
  memory: 'memory',
  input: "the user's input",
  partial: 'partial',
  unprovided: 'not provided',
};

/** Each variable a template uses, once, at its first use, detailed by what provides it. */
function variableSymbols(ctx: PromptContext, template: Template, sourceOf: (name: string) => VariableSource): DocumentSymbol[] {
  const seen = new Set<string>();
  const symbols: DocumentSymbol[] = [];
  for (const ref of template.variables) {
    if (seen.has(ref.name)) continue;
    seen.add(ref.name);
    const name = variableText(template.format, ref.name);
    symbols.push(symbol(ctx, name, SymbolKind.Variable, ref.span, ref.nameSpan, { detail: sourceDetail[sourceOf(ref.name)] }));
  }
  return symbols;
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
