// What an unknown front-matter key most likely is, and a message that says what would happen and what to
// change: an endpoint or an API key (which a shared file must never supply), a key written at the wrong
// level (`temperature:` at the top, `model:` under `memory:`), a LangChain name, a typo, or plain unknown.

import { closestMatch } from './didYouMean';
import { ProblemCode } from './problems';
import { frontMatterSchema, type FieldSchema } from './schema';

export interface KeyAdvice {
  readonly code: ProblemCode;
  readonly message: string;
  readonly data: Record<string, unknown>;
}

/** A block of keys: the top level (path []) and every map-valued key (`memory`, `parameters`). */
interface Block {
  readonly path: readonly string[];
  readonly fields: readonly FieldSchema[];
}

const blocks: readonly Block[] = [
  { path: [], fields: frontMatterSchema },
  ...frontMatterSchema.flatMap((field) => (field.children ? [{ path: [field.key], fields: field.children }] : [])),
];

/** Advice for `name` at `path`, a key the block's `fields` do not have. */
export function adviseUnknownKey(name: string, path: readonly string[], fields: readonly FieldSchema[]): KeyAdvice {
  const data = { key: name, path };
  const where = path.slice(0, -1);
  const normalized = name.toLowerCase().replace(/[\s_-]/g, '');
  if (isEndpointName(normalized)) return { code: ProblemCode.endpointInFile, message: endpointMessage(name), data };
  if (isSecretName(normalized)) return { code: ProblemCode.secretInFile, message: secretMessage(name), data };
  const alias = fields.find((field) => field.aliases?.includes(name));
  if (alias) return { code: ProblemCode.unknownKey, message: aliasMessage(name, where, alias.key), data: { ...data, suggestion: alias.key } };
  const elsewhere = exactlyElsewhere(name, where);
  if (elsewhere) return moveAdvice(name, where, elsewhere, data);
  const typo = closestMatch(name, fields.map((field) => field.key));
  if (typo) return { code: ProblemCode.unknownKey, message: `${unknownPrefix(name, where)} Did you mean \`${typo}\`?`, data: { ...data, suggestion: typo } };
  const misplacedTypo = closestElsewhere(name, where);
  if (misplacedTypo) return moveAdvice(name, where, misplacedTypo, data);
  const accepted = fields.map((field) => field.key).join(', ');
  return { code: ProblemCode.unknownKey, message: `${unknownPrefix(name, where)} Remove it, or use one of: ${accepted}.`, data };
}

// ---- endpoint and key --------------------------------------------------------------------------------

const endpointNames = new Set(['endpoint', 'url', 'apiurl', 'apiendpoint', 'basepath', 'azureendpoint', 'azureopenaiendpoint', 'openaiproxy']);
const secretNames = new Set(['secret', 'secretkey', 'token', 'accesstoken', 'authtoken', 'bearertoken', 'authorization', 'password']);

/** `base_url`, `baseURL`, `api_base`, `openai_api_base`, `endpoint`, `url`, … in any spelling. */
function isEndpointName(normalized: string): boolean {
  return normalized.endsWith('baseurl') || normalized.endsWith('apibase') || endpointNames.has(normalized);
}

/** `api_key`, `openai_api_key`, `apiKey`, `token`, … (`key` alone is the memory key, not a secret). */
function isSecretName(normalized: string): boolean {
  return normalized.endsWith('apikey') || secretNames.has(normalized);
}

function endpointMessage(name: string): string {
  return `\`${name}\` is never read from a .prompt file: a shared file must not choose where your API key is sent, so Prompt Chain refuses the file. Remove it and set \`promptChain.baseUrl\` in your user settings or the OPENAI_BASE_URL environment variable.`;
}

function secretMessage(name: string): string {
  return `\`${name}\` is never read from a .prompt file: a key written here travels with the file to everyone it is shared with, so Prompt Chain refuses the file. Remove it (revoke the key if the file was shared) and use "Prompt Chain: Set API Key" or the OPENAI_API_KEY environment variable.`;
}

// ---- wrong level, LangChain names, typos -------------------------------------------------------------

/** What reads the block at `where`, and what it does with a key it doesn't know. */
function unknownPrefix(name: string, where: readonly string[]): string {
  const head = `Unknown key \`${name}\`${where.length === 0 ? '' : ` under \`${where.join('.')}:\``}`;
  switch (where.join('.')) {
    case '':
      return `${head}: LLMChain has no such setting and would silently ignore it, so Prompt Chain refuses the file.`;
    case 'memory':
      return `${head}: ConversationBufferMemory has no such setting and would silently ignore it, so Prompt Chain refuses the file.`;
    case 'parameters':
      return `${head}: it is not a model parameter Prompt Chain sends, so it would never reach the model; the file is refused.`;
    default:
      return `${head}: nothing reads it, so Prompt Chain refuses the file.`;
  }
}

function aliasMessage(name: string, where: readonly string[], key: string): string {
  const block = where.length === 0 ? 'at the top level' : `under \`${where.join('.')}:\``;
  return `\`${name}\` is LangChain's Python name; ${block} a .prompt file calls it \`${key}\`, and Prompt Chain refuses the file rather than guess. Rename it to \`${key}\`.`;
}

interface Placement {
  readonly path: readonly string[];
  readonly field: FieldSchema;
}

/** The key (or a LangChain alias of it) as it is spelt in another block: `temperature:` at the top. */
function exactlyElsewhere(name: string, where: readonly string[]): Placement | undefined {
  for (const placement of placementsOutside(where)) {
    if (placement.field.key === name || placement.field.aliases?.includes(name)) return placement;
  }
  return undefined;
}

/** A misspelt key of another block: `temprature:` at the top. */
function closestElsewhere(name: string, where: readonly string[]): Placement | undefined {
  const placements = placementsOutside(where);
  const key = closestMatch(name, placements.map((placement) => placement.field.key));
  return placements.find((placement) => placement.field.key === key);
}

const allPlacements: readonly Placement[] = blocks.flatMap((block) => block.fields.map((field) => ({ path: [...block.path, field.key], field })));

/** Per block: every key of the other blocks. Built once; asked for each unknown key. */
const placementsByBlock = new Map<string, readonly Placement[]>(
  blocks.map((here) => [
    here.path.join('.'),
    blocks.filter((block) => block !== here).flatMap((block) => block.fields.map((field) => ({ path: [...block.path, field.key], field }))),
  ]),
);

/** The keys of every block but `where` (all of them when `where` is no block: a key under `partial_variables`). */
function placementsOutside(where: readonly string[]): readonly Placement[] {
  return placementsByBlock.get(where.join('.')) ?? allPlacements;
}

function moveAdvice(name: string, where: readonly string[], target: Placement, data: Record<string, unknown>): KeyAdvice {
  const here = where.length === 0 ? 'at the top level' : `under \`${where.join('.')}:\``;
  const block = target.path.slice(0, -1);
  const destination = block.length === 0 ? 'to the top level' : `under \`${block.join('.')}:\``;
  const rename = target.field.key === name ? '' : ` as \`${target.field.key}\``;
  const meant = block.length === 0 ? `the top-level \`${target.field.key}\`` : `\`${target.path.join('.')}\``;
  const message = `\`${name}\` has no effect ${here}: ${consequenceOfMissing(target)}. Move it ${destination}${rename} (did you mean ${meant}?).`;
  return { code: ProblemCode.unknownKey, message, data: { ...data, moveTo: target.path } };
}

/** What the chain does when the setting is not where it is read. */
function consequenceOfMissing(target: Placement): string {
  switch (target.path[0]) {
    case 'parameters':
      return 'the model would be called without it';
    case 'memory':
      return 'ConversationBufferMemory would use its default instead';
    default:
      return target.field.default ? `the chain would use ${target.field.default} instead` : 'nothing would read it';
  }
}
