// Hostile `.prompt` text: the shipped examples and test fixtures, mutated the ways real files and editors
// break them — flipped bits, stray braces, colons, role headers and YAML indicators, control characters,
// CR and CRLF line endings, huge lines, deep nesting, many variables, truncation, binary junk and lone
// UTF-16 surrogates. The size of the largest inputs is set by the caller (`Scale`): the unit test keeps them
// small enough to finish in seconds, `npm run fuzz` goes up to files of several hundred KB.

import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../support/build';
import type { Random } from './random';

export interface Scale {
  /** Longest line a mutation inserts, in UTF-16 units. */
  hugeLine: number;
  /** Deepest nesting (brackets, braces, indented mappings). */
  nesting: number;
  /** Most variables one mutation adds to a template. */
  variables: number;
}

export const testScale: Scale = { hugeLine: 4_000, nesting: 120, variables: 40 };
export const runScale: Scale = { hugeLine: 200_000, nesting: 1_000, variables: 400 };

/** With Dotprompt and Continue files: the other tools' `.prompt` files an editor opens beside ours. */
const corpusFolders = ['examples', 'test/client/fixtures', 'test/e2e/workspace-template', 'test/core/interop/fixtures/dotprompt', 'test/core/interop/fixtures/continue'];

/** Features the fixtures lack: mustache sections, partials, parameters, flow mappings, file scope. */
const extraSeeds = [
  '---\nname: x\ntemplate_format: mustache\ninput_key: q\ninput_variables:\n  - q\n  - topic\npartial_variables:\n  persona: a pirate\nmemory: {type: buffer_window, k: 2}\nparameters:\n  temperature: 0.2\n  stop: ["\\n"]\n---\n{{#history}}{{history}}{{/history}}\n{{q}} {{topic}} {{persona}}\n',
  '---\napi: chat\nmodel: gpt-4o\ninput_key: question\nmemory:\n  key: history\n  scope: file\n  return_messages: true\n---\nsystem:\nAnswer {style}.\n\nplaceholder:\n{history}\n\nhuman:\n{question}\nai:\nSure.\nhuman:\n{question} again\n',
  'Tell me about {topic}.\n{history}\nHuman: {input}\nAI:',
  '---\nmemory: false\n---\n{input}\n',
];

/** The files every mutation starts from, read once. */
export function corpus(): string[] {
  const files = corpusFolders.flatMap((folder) => {
    const dir = path.join(repoRoot, folder);
    return readdirSync(dir).filter((name) => name.endsWith('.prompt')).sort().map((name) => readFileSync(path.join(dir, name), 'utf8'));
  });
  return [...files, ...extraSeeds];
}

/** Pieces of the format (and of YAML) that steer random edits towards the parser's corners. */
export const fragments = [
  '{', '}', '{{', '}}', '{{{', '}}}', ':', ': ', '::', '---\n', '---', '...\n', '\n', '\r\n', '\r', ' ', '  ', '\t',
  'system:\n', 'human:\n', 'ai:\n', 'user:\n', 'assistant:\n', 'placeholder:\n', 'System:\n', 'human :\n', 'Human: ',
  '- ', '? ', '| ', '|-\n', '> ', '&anchor ', '*anchor', '!!str ', '!tag ', '%YAML 1.2\n', '#', '"', "'", '[', ']', '@', '`',
  'memory:\n', '  key: chat_history\n', '  key: ', 'key: history\n', '  return_messages: true\n', '  type: buffer_window\n',
  '  k: 0\n', '  scope: workspace\n', 'memory: false\n', 'memory: {}\n', 'input_key: q\n', 'input_variables: [a, q]\n',
  'partial_variables:\n  p: x\n', 'template_format: mustache\n', 'template_format: f-string\n', 'api: completion\n',
  'model: gpt-4o\n', 'parameters:\n  temperature: 3\n', '{history}', '{chat_history}', '{human_input}', '{q}', '{a}',
  '{stop}', '{{x}}', '{{#s}}', '{{/s}}', '{{^s}}', '{{! c }}', '{{> p}}', '{{&r}}', '{x!r}', '{x:>10}', '{0}', '{}', '{a.b}',
  '{a[0]}', 'é', '😀', '\u0000', '\ufeff', '\u2028',
];

const controls = ['\u0000', '\u0001', '\u0007', '\b', '\u000b', '\f', '\u001b', '\u001b[31m', '\u001b]0;title\u0007', '\u007f', '\u0085', '\u009b', '\u00a0', '\u2028', '\u2029', '\ufeff', '\ufffe', '\uffff'];

const hugeLineUnits = ['x{h}', 'a', '{', '}', 'word ', '😀', '{{x}}', '{a}{b}', ':', ' ', '\t', '{{', 'é'];

type Mutation = (text: string, random: Random, scale: Scale) => string;

function insertAt(text: string, random: Random, piece: string): string {
  const at = random.int(text.length + 1);
  return text.slice(0, at) + piece + text.slice(at);
}

/** An offset at the start of a line: headers, front-matter keys and fences only mean something there. */
function lineStart(text: string, random: Random): number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1 && starts.length < 5_000; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return random.pick(starts);
}

function randomUnits(random: Random, length: number): string {
  let junk = '';
  for (let i = 0; i < length; i++) junk += String.fromCharCode(random.int(0x10000));
  return junk;
}

const mutations: readonly (readonly [number, Mutation])[] = [
  [4, (text, random) => {
    if (text.length === 0) return text;
    const at = random.int(text.length);
    return text.slice(0, at) + String.fromCharCode(text.charCodeAt(at) ^ (1 << random.int(16))) + text.slice(at + 1);
  }],
  [6, (text, random) => insertAt(text, random, random.pick(fragments))],
  [3, (text, random) => {
    const at = lineStart(text, random);
    return text.slice(0, at) + random.pick(fragments) + text.slice(at);
  }],
  [2, (text, random) => insertAt(text, random, random.pick(controls))],
  [2, (text, random) => random.pick([text.replace(/\r?\n/g, '\r\n'), text.replace(/\r?\n/g, '\r'), text.replace(/\r\n?/g, '\n'), insertAt(text, random, '\r')])],
  [1, (text, random, scale) => {
    const unit = random.pick(hugeLineUnits);
    return insertAt(text, random, unit.repeat(Math.ceil(random.between(1, scale.hugeLine) / unit.length)));
  }],
  [1, (text, random, scale) => {
    const depth = random.between(1, scale.nesting);
    const nested = random.pick([
      () => `k: ${'['.repeat(depth)}${']'.repeat(random.int(depth + 1))}\n`,
      () => `k: ${'{a: '.repeat(depth)}1${'}'.repeat(random.int(depth + 1))}\n`,
      () => Array.from({ length: depth }, (_, i) => `${'  '.repeat(i)}k${i}:\n`).join(''),
      () => `${'- '.repeat(depth)}x\n`,
      () => '{'.repeat(depth) + 'x' + '}'.repeat(random.int(depth + 1)),
      () => '{{#s}}'.repeat(depth) + '{{/s}}'.repeat(random.int(depth + 1)),
    ])();
    const at = random.chance(0.5) ? lineStart(text, random) : random.int(text.length + 1);
    return text.slice(0, at) + nested + text.slice(at);
  }],
  [1, (text, random, scale) => {
    const count = random.between(1, scale.variables);
    const braces = random.chance(0.5) ? ['{', '}'] : ['{{', '}}'];
    const names = Array.from({ length: count }, (_, i) => `${braces[0]}${random.pick(['v_', 'example_', 'x'])}${i}${random.pick(['', '_input'])}${braces[1]}`);
    return insertAt(text, random, names.join(random.pick([' ', '\n'])));
  }],
  [2, (text, random) => text.slice(0, random.int(text.length + 1))],
  [2, (text, random) => insertAt(text, random, randomUnits(random, random.between(1, 200)))],
  [2, (text, random) => insertAt(text, random, random.pick(['\ud800', '\udfff', '\udc00\ud800', '\ud83d', '\ude00', 'a\ud800b']))],
  [3, (text, random) => {
    const at = random.int(text.length + 1);
    return text.slice(0, at) + text.slice(at + random.between(1, 20));
  }],
  [1, (text, random) => {
    const from = random.int(text.length + 1);
    return insertAt(text, random, text.slice(from, from + random.between(1, 200)));
  }],
];

/** `text` after `count` random mutations. */
export function mutate(text: string, random: Random, scale: Scale, count = random.between(1, 6)): string {
  let mutated = text;
  for (let i = 0; i < count; i++) mutated = random.weighted(mutations)(mutated, random, scale);
  return mutated;
}

/** A replacement for an incremental edit: usually a fragment, sometimes junk or a line break. */
export function editText(random: Random): string {
  return random.weighted<() => string>([
    [6, () => random.pick(fragments)],
    [2, () => ''],
    [1, () => random.pick(controls)],
    [1, () => randomUnits(random, random.between(1, 8))],
    [1, () => random.pick(['\ud800', '\udc00', '\r', '\r\n'])],
  ])();
}
