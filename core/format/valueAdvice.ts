// Messages for front-matter values of the wrong type, not allowed or out of range: what the key takes,
// what YAML made of what was written, what LangChain or the endpoint would do with it, and what to write
// instead. `replacement`, when there is an obvious one, is the text a quick fix puts in the value's place.

import { isAlias, isMap, isScalar, isSeq, type Node } from 'yaml';
import type { FieldSchema } from './schema';

/** A front-matter value being judged. `schema` is absent for a partial variable (always a string). */
export interface JudgedValue {
  readonly name: string;
  readonly schema?: FieldSchema;
  readonly node: Node | null;
  /** The value as written in the file. */
  readonly source: string;
}

export interface ValueAdvice {
  readonly message: string;
  readonly replacement?: string;
}

/** The value's type is not what the key takes. */
export function wrongType(value: JudgedValue): ValueAdvice {
  const fix = typeFix(value);
  const subject = value.schema ? `\`${value.name}\`` : `The partial \`${value.name}\``;
  const got = isEmpty(value.node) ? 'but it has no value' : `but YAML reads ${describe(value.node)}`;
  const message = `${subject} must be ${expectedOf(value.schema)}, ${got}${clause(value.schema?.whenWrong)}. ${fix.sentence}`;
  return withReplacement(message, fix.replacement);
}

/** One item of a list of strings (`input_variables`, `stop`) is not a string. */
export function wrongItem(list: JudgedValue, item: Node | null): ValueAdvice {
  const got = isEmpty(item) ? 'but it is empty' : `but YAML reads ${describe(item)}`;
  const quoted = quotedText(item);
  const fix = quoted ? { sentence: `Quote it: \`${quoted}\`.`, replacement: quoted } : { sentence: isEmpty(item) ? 'Remove the empty item.' : 'Write a plain string instead.' };
  const message = `Each item of \`${list.name}\` must be a string, ${got}${clause(list.schema?.whenWrong)}. ${fix.sentence}`;
  return withReplacement(message, fix.replacement);
}

/** A string that is not one of an enum's values; `suggestion` is the value it is closest to. */
export function notAllowed(value: JudgedValue, written: string, allowed: readonly string[], suggestion: string | undefined): ValueAdvice {
  const fix = suggestion ? `Did you mean \`${suggestion}\`?` : 'Pick one of them.';
  const message = `\`${value.name}\` must be ${oneOf(allowed)}, not \`${written}\`${clause(value.schema?.whenWrong)}. ${fix}`;
  return withReplacement(message, suggestion);
}

/** A number outside the schema's bounds; the fix is the nearest bound. */
export function outOfRange(value: JudgedValue, written: number): ValueAdvice {
  const schema = value.schema;
  const { min, max } = schema ?? {};
  const bound = max !== undefined && written > max ? max : (min ?? written);
  const fix = bound === max && written > bound ? `Use ${bound} or less.` : `Use ${bound} or more.`;
  const consequence = clause(schema?.whenOutOfRange ?? schema?.whenWrong);
  const message = `\`${value.name}\` must be ${expectedOf(schema)}, not ${written}${consequence}. ${fix}`;
  return withReplacement(message, String(bound));
}

// ---- what the key takes ------------------------------------------------------------------------------

function expectedOf(schema: FieldSchema | undefined): string {
  switch (schema?.kind) {
    case undefined:
    case 'string':
      return 'a string';
    case 'enum':
      return oneOf(schema.values ?? []);
    case 'boolean':
      return '`true` or `false`';
    case 'integer':
    case 'number':
      return numberPhrase(schema);
    case 'string-list':
      return 'a list of strings';
    case 'string-or-string-list':
      return 'a string or a list of strings';
    case 'memory':
      return '`false` or a map of memory settings';
    case 'string-map':
      return 'a map of variable names to strings';
    case 'map':
      return 'a map of settings';
  }
}

function numberPhrase(schema: FieldSchema): string {
  const base = schema.kind === 'integer' ? 'a whole number' : 'a number';
  const { min, max } = schema;
  if (min !== undefined && max !== undefined) return `${base} from ${min} to ${max}`;
  if (min !== undefined) return `${base} of at least ${min}`;
  if (max !== undefined) return `${base} of at most ${max}`;
  return base;
}

function oneOf(values: readonly string[]): string {
  const quoted = values.map((value) => `\`${value}\``);
  return quoted.length === 2 ? `${quoted[0]} or ${quoted[1]}` : `one of ${quoted.join(', ')}`;
}

// ---- what to write instead ---------------------------------------------------------------------------

interface Fix {
  readonly sentence: string;
  readonly replacement?: string;
}

function typeFix(value: JudgedValue): Fix {
  const { name, schema, node } = value;
  const example = schema?.example;
  if (isEmpty(node)) return { sentence: example ? `Give it a value, e.g. \`${name}: ${example}\`, or remove the line.` : 'Give it a value or remove the line.' };
  switch (schema?.kind) {
    case undefined:
    case 'string':
      return stringFix(value);
    case 'integer':
    case 'number':
      return numberFix(value, schema);
    case 'boolean':
      return booleanFix(value);
    case 'enum':
      return { sentence: `Write ${oneOf(schema.values ?? [])}.` };
    case 'string-list':
    case 'string-or-string-list':
      return listFix(value, schema);
    case 'memory':
      return isScalar(node) && node.value === true
        ? { sentence: 'Remove the line for the default memory, or write `memory: false` for none.' }
        : mapFix(value);
    case 'string-map':
    case 'map':
      return mapFix(value);
  }
}

function stringFix({ name, schema, node }: JudgedValue): Fix {
  const quoted = quotedText(node);
  if (quoted) return { sentence: `Quote it: \`${name}: ${quoted}\`.`, replacement: quoted };
  return { sentence: schema?.example ? `Write one string, e.g. \`${name}: ${schema.example}\`.` : 'Write one string.' };
}

/** A quoted number ("0.5") loses its quotes; a fraction where a whole number is due is rounded. */
function numberFix({ name, node }: JudgedValue, schema: FieldSchema): Fix {
  const wantsInteger = schema.kind === 'integer';
  const written = isScalar(node) ? node.value : undefined;
  const parsed = typeof written === 'string' && written.trim() !== '' ? Number(written) : NaN;
  if (Number.isFinite(parsed) && (!wantsInteger || Number.isInteger(parsed))) {
    return { sentence: `Remove the quotes: \`${name}: ${parsed}\`.`, replacement: String(parsed) };
  }
  if (wantsInteger && typeof written === 'number' && Number.isFinite(written)) {
    const whole = Math.max(schema.min ?? -Infinity, Math.round(written));
    return { sentence: `Use a whole number, e.g. \`${name}: ${whole}\`.`, replacement: String(whole) };
  }
  return { sentence: `Write ${wantsInteger ? 'a whole number' : 'a number'}, e.g. \`${name}: ${schema.example ?? 1}\`.` };
}

const truthy = new Set(['yes', 'y', 'on', 'true', '1']);
const falsy = new Set(['no', 'n', 'off', 'false', '0']);

/** YAML 1.2 reads only `true`/`false` as booleans; `yes`, `on` and quoted "true" are strings. */
function booleanFix({ name, node }: JudgedValue): Fix {
  const written = isScalar(node) ? String(node.value).toLowerCase() : '';
  const meant = truthy.has(written) ? 'true' : falsy.has(written) ? 'false' : undefined;
  if (meant) return { sentence: `Write \`${name}: ${meant}\`, unquoted.`, replacement: meant };
  return { sentence: `Write \`${name}: true\` or \`${name}: false\`.` };
}

function listFix({ name, node, source }: JudgedValue, schema: FieldSchema): Fix {
  if (isScalar(node) && typeof node.value === 'string' && schema.kind === 'string-list' && !/[\r\n]/.test(source)) {
    return { sentence: `Write it as a list: \`${name}: [${source}]\`.`, replacement: `[${source}]` };
  }
  const quoted = quotedText(node);
  if (quoted) return { sentence: `Quote it: \`${name}: ${quoted}\`.`, replacement: quoted };
  return { sentence: `Write a list, e.g. \`${name}: ${schema.example ?? '[a, b]'}\`.` };
}

function mapFix({ name, schema }: JudgedValue): Fix {
  const example = schema?.example ? `, e.g. \`${schema.example}\`` : '';
  return { sentence: `Write its settings on the lines below \`${name}:\`, indented${example}.` };
}

// ---- what YAML read ----------------------------------------------------------------------------------

function isEmpty(node: Node | null): boolean {
  return node === null || (isScalar(node) && node.value === null);
}

/** A number or boolean where a string is due, quoted: the text as written (`1.50` stays `1.50`). */
function quotedText(node: Node | null): string | undefined {
  if (!isScalar(node) || (typeof node.value !== 'number' && typeof node.value !== 'boolean')) return undefined;
  return `"${node.source ?? String(node.value)}"`;
}

function describe(node: Node | null): string {
  if (isAlias(node)) return 'an alias';
  if (isMap(node)) return 'a map';
  if (isSeq(node)) return 'a list';
  if (!isScalar(node)) return 'a value of another kind';
  const value = node.value;
  if (typeof value === 'string') return `the string \`${value.length > 40 ? value.slice(0, 40) + '…' : value}\``;
  if (typeof value === 'number') return `the number \`${String(value)}\``;
  if (typeof value === 'boolean') return `the boolean \`${String(value)}\``;
  return 'a value of another kind';
}

function clause(consequence: string | undefined): string {
  return consequence ? `: ${consequence}` : '';
}

function withReplacement(message: string, replacement: string | undefined): ValueAdvice {
  return replacement === undefined ? { message } : { message, replacement };
}
