// The loader as a property: for generated `.prompt` files (completion and chat bodies, literal braces, several
// variables, partials, buffer and window memories with their prefixes, text or message memory) and generated
// conversations, the LangChain.js objects loadPrompt builds from the installed package format exactly what our
// engine formats (core/chain/prepare.ts), and their memory loads what ours loads. All cases run in one program.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createContext, defaultServiceSettings } from '../../service/context';
import { validate } from '../../service/diagnostics';
import { preparePrompt } from '../../core/chain/prepare';
import { memoryVariables } from '../../core/chain/memoryClasses';
import type { Turn } from '../../core/chain/types';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { installedProject, printedJson, type Project } from './support/installed';
import { program } from './support/programs';

const RUNS = 150;

interface Case {
  text: string;
  turns: Turn[];
  input: string;
  variables: Record<string, string>;
}

/** Text a template may hold: no braces (they come as escapes or variables), no `\r` (Python reads files with universal newlines). */
const literal = fc
  .array(fc.oneof(fc.constantFrom(' ', '\n', 'Human:', 'AI: ', '-', '"', "'", '\\', '😀', 'é', '#'), fc.string({ maxLength: 5 })), { minLength: 1, maxLength: 3 })
  .map((parts) => parts.join('').replace(/[{}\r\u0000-\u0008\u000b-\u001f\u007f]/g, ''));

const names = ['topic', 'tone', 'audience'] as const;

/** A template: literals, `{{`/`}}` escapes and variables, with `{question}` (the input) always in it when `withInput`. */
function template(withInput: boolean): fc.Arbitrary<string> {
  const piece = fc.oneof({ weight: 3, arbitrary: literal }, { weight: 1, arbitrary: fc.constantFrom('{{', '}}', '{{x}}') }, { weight: 1, arbitrary: fc.constantFrom(...names).map((name) => `{${name}}`) });
  return fc.tuple(fc.constantFrom('Hi', 'Say', 'é'), fc.array(piece, { maxLength: 6 }), fc.nat()).map(([first, pieces, at]) => {
    const all = withInput ? [...pieces.slice(0, at % (pieces.length + 1)), '{question}', ...pieces.slice(at % (pieces.length + 1))] : pieces;
    // A message's first and last lines must hold something: a blank edge line is not part of the template.
    return `${first}${all.join('')} end`;
  });
}

const value = fc.array(fc.oneof(fc.constantFrom('{', '}', '{x}', '\n', 'system:', 'Human: ', '😀'), fc.string({ maxLength: 4 })), { maxLength: 4 }).map((parts) => parts.join(''));
const nonEmpty = value.filter((text) => text.length > 0);

const memoryBlock = fc.record({
  type: fc.constantFrom('buffer', 'buffer_window'),
  k: fc.integer({ min: 1, max: 3 }),
  humanPrefix: fc.constantFrom('Human', 'Me', 'Person 1'),
  aiPrefix: fc.constantFrom('AI', 'Bot'),
});

const partialOf = fc.record({ use: fc.boolean(), value: fc.constantFrom('calm', 'a {brace}', '') });

const generatedCase: fc.Arbitrary<Case> = fc
  .record({
    chat: fc.boolean(),
    messagesMemory: fc.boolean(),
    memory: memoryBlock,
    completion: template(true),
    messages: fc.array(fc.record({ role: fc.constantFrom('system', 'human', 'ai'), template: template(false) }), { minLength: 1, maxLength: 3 }),
    inputAt: fc.nat(),
    historyAt: fc.nat(),
    partial: partialOf,
    turns: fc.array(fc.record({ input: nonEmpty, output: nonEmpty }), { maxLength: 4 }),
    input: nonEmpty,
    values: fc.tuple(value, value, value),
  })
  .map((c) => {
    const front = ['---', 'input_key: question', 'memory:', '  key: history', `  type: ${c.memory.type}`, `  human_prefix: ${c.memory.humanPrefix}`, `  ai_prefix: ${c.memory.aiPrefix}`];
    if (c.memory.type === 'buffer_window') front.push(`  k: ${c.memory.k}`);
    const messagesMemory = c.chat && c.messagesMemory;
    if (messagesMemory) front.push('  return_messages: true');
    if (c.partial.use) front.push('partial_variables:', `  tone: ${JSON.stringify(c.partial.value)}`);
    front.push('---');
    const body = c.chat ? chatBody(c.messages, c.inputAt, c.historyAt, messagesMemory) : `${c.completion}\n{history}\n`;
    const variables = Object.fromEntries(names.map((name, i) => [name, c.values[i] ?? '']).filter(([name]) => !(c.partial.use && name === 'tone')));
    return { text: `${front.join('\n')}\n${body}`, turns: c.turns, input: c.input, variables };
  });

function chatBody(messages: readonly { role: string; template: string }[], inputAt: number, historyAt: number, messagesMemory: boolean): string {
  const withInput = messages.map((m, i) => (i === inputAt % messages.length ? { ...m, template: `${m.template} {question}` } : m));
  const blocks = withInput.map((m) => `${m.role}:\n${m.template}\n`);
  const at = historyAt % (blocks.length + 1);
  const history = messagesMemory ? 'placeholder:\n{history}\n' : 'system:\nSo far:\n{history}\n';
  return [...blocks.slice(0, at), history, ...blocks.slice(at)].join('\n');
}

function contextOf(text: string) {
  return createContext(TextDocument.create('file:///case.prompt', 'prompt', 1, text), { ...defaultServiceSettings, host: 'cli' });
}

function checksClean(text: string): boolean {
  return !validate(contextOf(text)).some((d) => d.severity === DiagnosticSeverity.Error);
}

const body = `
const fs = await import('node:fs');
const cases = JSON.parse(fs.readFileSync('cases.json', 'utf8'));
const results = [];
for (const c of cases) {
  const loaded = await loadPrompt({ text: c.text });
  for (const turn of c.turns) await loaded.memory.saveContext({ [loaded.inputKey]: turn.input }, { text: turn.output });
  const memory = await loaded.memory.loadMemoryVariables({});
  const values = { ...c.variables, [loaded.inputKey]: c.input, ...memory };
  const formatted = loaded.description.prompt.kind === 'chat' ? messagesOf(await loaded.prompt.formatMessages(values)) : await loaded.prompt.format(values);
  results.push({ memory: Object.fromEntries(Object.entries(memory).map(([key, v]) => [key, messagesOf(v)])), formatted });
}
print(results);
`;

describe('loadPrompt on generated files', () => {
  let project: Project;
  before(() => {
    project = installedProject(['@langchain/core', '@langchain/classic']);
  });

  test(`${RUNS} generated files and conversations: LangChain.js formats what the engine formats, and its memory loads what ours loads`, async () => {
    const cases = fc.sample(generatedCase, { numRuns: RUNS, seed: 20261202 }).filter((c) => checksClean(c.text));
    assert.ok(cases.length >= RUNS * 0.9, `${cases.length} of the generated files check clean`);
    project.write('cases.json', JSON.stringify(cases));
    const results = printedJson<{ memory: unknown; formatted: unknown }[]>(await project.run('cases.mjs', program('esm', body, ['prompt-chain/langchain'])));
    cases.forEach((c, index) => {
      const ctx = contextOf(c.text);
      const prepared = preparePrompt(ctx.prompt, ctx.config, { input: c.input, variables: c.variables, turns: c.turns });
      const shown = `case ${index}:\n${c.text}`;
      assert.deepEqual(results[index]!.memory, memoryVariables(c.turns, ctx.config.memory!, ctx.config, undefined), shown);
      assert.deepEqual(results[index]!.formatted, prepared.messages ?? prepared.prompt, shown);
    });
  });
});
