// Completion inside the front matter: the keys valid at the cursor's nesting level (not yet written),
// and the values of the key being written — enums from the schema, models from settings, and template
// variables where a key names one (memory.key, input_key, input_variables).

import { CompletionItemKind, MarkupKind, type CompletionItem } from 'vscode-languageserver-types';
import { fieldSchemaAt, frontMatterSchema, type FieldSchema } from '../../core/format/schema';
import type { Span } from '../../core/format/model';
import { lineBreakOf } from '../../core/format/text';
import type { PromptContext } from '../context';
import { memoryTypeReads } from '../rules/memorySettings';
import { keyDoc } from './frontMatterKeys';
import { rangeOf } from './spans';
import { memoryKeyOf, partialNames, templateVariableNames, variableSources } from './variables';
import { yamlSlotAt, type YamlSlot } from './yamlSlot';

export function frontMatterCompletions(ctx: PromptContext, offset: number): CompletionItem[] | undefined {
  const frontMatter = ctx.prompt.frontMatter;
  if (!frontMatter) return undefined;
  const slot = yamlSlotAt(ctx.prompt.text, frontMatter.yamlSpan, offset);
  if (!slot) return frontMatter.yamlSpan.start <= offset && offset <= frontMatter.yamlSpan.end ? [] : undefined;
  switch (slot.kind) {
    case 'key':
      return keyItems(ctx, slot);
    case 'value':
      return valueItems(ctx, slot.path).map((item, i) => withEdit(ctx, item, slot.replace, i));
    case 'item':
      return itemValues(ctx, slot.path).map((item, i) => withEdit(ctx, item, slot.replace, i));
  }
}

interface Candidate {
  readonly label: string;
  readonly kind: CompletionItemKind;
  readonly detail?: string;
  readonly documentation?: string;
  /** Defaults to the label. */
  readonly insert?: string;
}

function withEdit(ctx: PromptContext, candidate: Candidate, replace: Span, index: number): CompletionItem {
  return {
    label: candidate.label,
    kind: candidate.kind,
    ...(candidate.detail ? { detail: candidate.detail } : {}),
    ...(candidate.documentation ? { documentation: { kind: MarkupKind.Markdown, value: candidate.documentation } } : {}),
    sortText: String(index).padStart(4, '0'),
    filterText: candidate.label,
    textEdit: { range: rangeOf(ctx, replace), newText: candidate.insert ?? candidate.label },
  };
}

function keyItems(ctx: PromptContext, slot: Extract<YamlSlot, { kind: 'key' }>): CompletionItem[] {
  const keyTyped = ctx.prompt.text[slot.replace.end] === ':';
  const written = new Set([...writtenKeys(ctx, slot.path, slot.replace), ...slot.siblings]);
  const candidates: Candidate[] =
    slot.path.length === 1 && slot.path[0] === 'partial_variables'
      ? partialCandidates(ctx)
      : childrenAt(slot.path)
          .filter((field) => !written.has(field.key) && readByMemoryType(ctx, slot.path, field.key))
          .map((field) => keyCandidate(ctx, slot.path, field, slot.indent));
  return candidates
    .filter((c) => !written.has(c.label))
    .map((c, i) => withEdit(ctx, keyTyped ? { ...c, insert: c.label } : c, slot.replace, i));
}

/** Under `memory:`, the settings the type in effect ignores are not offered (they would only draw a warning). */
function readByMemoryType(ctx: PromptContext, parent: readonly string[], key: string): boolean {
  const type = ctx.config.memory?.type;
  return parent.length !== 1 || parent[0] !== 'memory' || type === undefined || memoryTypeReads(type, key);
}

function childrenAt(path: readonly string[]): readonly FieldSchema[] {
  return path.length === 0 ? frontMatterSchema : (fieldSchemaAt(path)?.children ?? []);
}

function keyCandidate(ctx: PromptContext, parent: readonly string[], field: FieldSchema, indent: number): Candidate {
  const isBlock = field.kind === 'map' || field.kind === 'memory' || field.kind === 'string-map';
  const childIndent = ' '.repeat(indent + 2);
  return {
    label: field.key,
    kind: CompletionItemKind.Property,
    detail: field.description,
    documentation: keyDoc([...parent, field.key].join('.'), field, ctx.settings),
    insert: isBlock ? `${field.key}:${lineBreakOf(ctx.prompt.text)}${childIndent}` : `${field.key}: `,
  };
}

/** Keys already written at this level, except the one being typed. */
function writtenKeys(ctx: PromptContext, parent: readonly string[], typing: Span): Set<string> {
  const fields = ctx.prompt.frontMatter?.fields ?? [];
  const atLevel = fields.filter(
    (f) => f.path.length === parent.length + 1 && parent.every((key, i) => f.path[i] === key),
  );
  return new Set(atLevel.filter((f) => f.keySpan.start !== typing.start).map((f) => f.path[parent.length] ?? ''));
}

/** A partial is worth offering for each template variable nothing provides yet. */
function partialCandidates(ctx: PromptContext): Candidate[] {
  const sourceOf = variableSources(ctx);
  return templateVariableNames(ctx)
    .filter((name) => sourceOf(name) === 'unprovided')
    .map((name) => ({ label: name, kind: CompletionItemKind.Variable, detail: 'template variable', insert: `${name}: ` }));
}

function valueItems(ctx: PromptContext, path: readonly string[]): Candidate[] {
  const dotted = path.join('.');
  if (dotted === 'model' || dotted === 'memory.summary_model') return ctx.settings.models.map((m) => ({ label: m, kind: CompletionItemKind.Value, detail: 'model' }));
  if (dotted === 'memory.key') return variableCandidates(templateVariableNames(ctx), 'template variable');
  if (dotted === 'input_key') return variableCandidates(inputCandidates(ctx), 'template variable');
  const field = fieldSchemaAt(path);
  const values = field?.kind === 'boolean' ? ['true', 'false'] : (field?.values ?? []);
  return values.map((v) => ({ label: v, kind: CompletionItemKind.EnumMember, ...(field ? { detail: field.description } : {}) }));
}

function itemValues(ctx: PromptContext, path: readonly string[]): Candidate[] {
  if (path.join('.') !== 'input_variables') return [];
  const declared = new Set((ctx.prompt.frontMatter?.inputVariables?.value ?? []).map((entry) => entry.value));
  return variableCandidates(inputCandidates(ctx).filter((name) => !declared.has(name)), 'template variable');
}

/** Variables the caller provides: everything in the template but the memory key and partials. */
function inputCandidates(ctx: PromptContext): string[] {
  const memoryKey = memoryKeyOf(ctx);
  const partials = partialNames(ctx);
  return templateVariableNames(ctx).filter((name) => name !== memoryKey && !partials.has(name));
}

function variableCandidates(names: string[], detail: string): Candidate[] {
  return names.map((label) => ({ label, kind: CompletionItemKind.Variable, detail }));
}
