// The docs of a front-matter key as hover and completion show them, from the parser's schema table (the
// one place keys are documented). Defaults the host overrides (model, memory key) are shown as configured.

import { fieldSchemaAt, type FieldSchema, type ValueKind } from '../../core/format/schema';
import type { ServiceSettings } from '../context';

const kindNames: Record<ValueKind, string> = {
  string: 'string',
  enum: 'one of',
  boolean: 'true | false',
  integer: 'integer',
  number: 'number',
  'string-list': 'list of strings',
  'string-or-string-list': 'string or list of strings',
  'string-map': 'map of name → string',
  memory: 'memory block | false',
  map: 'map',
};

export function frontMatterKeyDoc(path: readonly string[], settings?: ServiceSettings): string | undefined {
  const field = fieldSchemaAt(path);
  return field ? keyDoc(path.join('.'), field, settings) : undefined;
}

export function keyDoc(dottedPath: string, field: FieldSchema, settings?: ServiceSettings): string {
  const parts = [`**\`${dottedPath}\`** · ${typeLine(field)}`];
  const fallback = configuredDefault(dottedPath, settings) ?? field.default;
  if (fallback !== undefined) parts.push(`default: ${fallback}`);
  return `${parts.join(' · ')}\n\n${field.description}`;
}

export function typeLine(field: FieldSchema): string {
  const kind = kindNames[field.kind] ?? field.kind;
  if (field.kind !== 'enum') return kind;
  return `${kind} ${(field.values ?? []).map((v) => `\`${v}\``).join(', ')}`;
}

function configuredDefault(dottedPath: string, settings: ServiceSettings | undefined): string | undefined {
  if (dottedPath === 'model' && settings?.defaultModel) return `\`${settings.defaultModel}\` (setting)`;
  if (dottedPath === 'memory.key' && settings?.defaultMemoryKey) return `\`${settings.defaultMemoryKey}\``;
  return undefined;
}
