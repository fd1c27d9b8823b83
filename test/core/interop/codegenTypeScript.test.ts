// `export --to typescript`: every case's program, in both styles, is byte for byte its golden file and
// type-checks with tsc (the repository's strict options) against the real @langchain/core,
// @langchain/classic and @langchain/openai; and the programs run against the fake OpenAI server, turn after
// turn, sending the same requests `prompt-chain run` sends for the same file and inputs.
//
// Compared: the route, `model`, `prompt` / `messages`, and every model parameter. Different by design, and
// asserted to be exactly this: `prompt-chain run` streams (`stream: true`, `stream_options.include_usage`),
// the programs do not (`stream: false`, as LLMChain.invoke and RunnableWithMessageHistory.invoke call the
// model); LangChain.js's OpenAI sends `n: 1` and the prompt as a one-element batch (`prompt: [text]`).
// The summarizing and token-counting memories run too, their summary calls compared like the turns' (so
// where each prunes and what it summarizes is Python's): LangChain.js fetches its tokenizer tables from the
// network, which test/support/tiktokenTables.mjs answers with js-tiktoken's copy of the same tables. The
// modern summary programs are not run: RunnableWithMessageHistory has no summarizer (notCarried says so).
// UPDATE_CODEGEN_GOLDENS=1 rewrites the goldens (then read the diff).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { exportTypeScript } from '../../../core/interop/export/typescript';
import type { CodeStyle } from '../../../core/interop/types';
import type { RecordedRequest } from '../../support/fakeOpenAI';
import { useFakeOpenAI } from '../../support/useFakeOpenAI';
import { createWorkspace, repoRoot, runProcess, useCliWorkspaces } from '../../cli/support/cli';
import fc from 'fast-check';
import { codegenCases, describeCase } from './fixtures/codegen/cases';
import { generatedDescription } from './fixtures/codegen/generated';

const goldens = path.join(__dirname, 'fixtures/codegen');
const tiktokenTables = path.join(repoRoot, 'test/support/tiktokenTables.mjs');
const styles: readonly CodeStyle[] = ['classic', 'modern'];
const programs = codegenCases.flatMap((c) => styles.map((style) => ({ name: `${c.name}.${style}`, text: c.text, style })));

useCliWorkspaces();
const { fake } = useFakeOpenAI();

// The programs are compiled once, inside the repository so that they resolve its node_modules.
let folder = '';
let compiled: { code: number | null; stdout: string } = { code: null, stdout: '' };

before(async () => {
  mkdirSync(path.join(repoRoot, 'out'), { recursive: true });
  folder = mkdtempSync(path.join(repoRoot, 'out', 'codegen-ts-'));
  mkdirSync(path.join(folder, 'ts'));
  const write = (name: string, text: string) => {
    const file = path.join(folder, 'ts', `${name}.ts`);
    writeFileSync(file, text);
    return file;
  };
  const files = programs.map((program) => write(program.name, exportTypeScript(describeCase(program.text), program.style).text));
  const generated = fc.sample(generatedDescription, { numRuns: 30 });
  for (const [index, d] of generated.entries()) for (const style of styles) files.push(write(`generated${index}.${style}`, exportTypeScript(d, style).text));
  const strict = ['--strict', '--noUnusedLocals', '--noUnusedParameters', '--noImplicitReturns', '--noUncheckedIndexedAccess'];
  const target = ['--target', 'ES2022', '--module', 'node16', '--moduleResolution', 'node16', '--skipLibCheck', '--types', 'node'];
  const tsc = path.join(repoRoot, 'node_modules/typescript/bin/tsc');
  const result = await runProcess(process.execPath, [tsc, ...strict, ...target, '--outDir', path.join(folder, 'js'), ...files], repoRoot, { PATH: process.env.PATH });
  compiled = { code: result.code, stdout: result.stdout };
});

after(() => {
  if (folder) rmSync(folder, { recursive: true, force: true });
});

const comparedFields = ['model', 'prompt', 'messages', 'temperature', 'max_tokens', 'top_p', 'stop', 'seed', 'presence_penalty', 'frequency_penalty'];

/** What both must send alike: the route and the compared fields (a one-element prompt batch as its prompt). */
function compared(request: RecordedRequest): Record<string, unknown> {
  const body = request.body as Record<string, unknown>;
  const fields = Object.fromEntries(comparedFields.filter((name) => Object.hasOwn(body, name)).map((name) => [name, body[name]]));
  if (Array.isArray(fields.prompt) && fields.prompt.length === 1) fields.prompt = fields.prompt[0];
  return { path: request.path, ...fields };
}

/** Everything else in the body: the by-design differences. */
function rest(request: RecordedRequest): Record<string, unknown> {
  const body = request.body as Record<string, unknown>;
  return Object.fromEntries(Object.entries(body).filter(([name]) => !comparedFields.includes(name)));
}

const replies = [' Hi there! How can I help you today?', "I'm doing well, thanks {for} asking.", 'Bye "now".'];

/**
 * The replies, one per request in the order they come (a summarizing memory's own calls take theirs in turn),
 * then the fake's echo; both sides get the same, as long as they ask the same things in the same order.
 */
function scripted(inputs: readonly string[]): { reply: string }[] {
  return inputs.map((_, index) => ({ reply: replies[index] ?? 'More.' }));
}

/** The requests `prompt-chain run` sends, turn after turn in one conversation, and the reply it prints for each. */
async function cliRun(text: string, inputs: readonly string[]): Promise<{ requests: RecordedRequest[]; printed: string[] }> {
  fake.reset();
  fake.enqueue(...scripted(inputs));
  const ws = createWorkspace({ 'chain.prompt': text });
  const printed: string[] = [];
  for (const input of inputs) {
    const result = await ws.run(['run', 'chain.prompt', '--input', input], { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.baseURL });
    assert.equal(result.code, 0, result.stderr);
    printed.push(result.stdout);
  }
  return { requests: [...fake.requests], printed };
}

async function programRun(name: string, inputs: readonly string[]): Promise<{ requests: RecordedRequest[]; stdout: string }> {
  fake.reset();
  fake.enqueue(...scripted(inputs));
  const env = { PATH: process.env.PATH, HOME: folder, OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.baseURL };
  const result = await runProcess(process.execPath, ['--import', tiktokenTables, path.join(folder, 'js', `${name}.js`), ...inputs], folder, env);
  assert.equal(result.code, 0, result.stderr);
  return { requests: [...fake.requests], stdout: result.stdout };
}

const runs: readonly { name: string; inputs: readonly string[] }[] = [
  ...['completion', 'chat', 'chat-prefixes-text-history', 'chat-partials-mustache', 'completion-buffer_window', 'chat-buffer_window'].flatMap((name) =>
    styles.map((style) => ({ name: `${name}.${style}`, inputs: ['Hi there my friend', 'Not too bad - how are you?', 'And "now" \\ {then}?'] })),
  ),
  ...['completion-token_buffer', 'chat-token_buffer'].flatMap((name) =>
    styles.map((style) => ({ name: `${name}.${style}`, inputs: ['Hi there my friend', 'Not too bad - how are you?', 'And "now" \\ {then}?'] })),
  ),
  // The modern programs have no summarizer (RunnableWithMessageHistory has none; notCarried says so).
  ...['completion-summary', 'chat-summary', 'completion-summary_buffer', 'chat-summary_buffer'].map((name) => ({
    name: `${name}.classic`,
    inputs: ['Hi there my friend', 'Not too bad - how are you?', 'And "now" \\ {then}?'],
  })),
  ...['chat-parameters', 'completion-parameters', 'completion-partials', 'completion-literals'].flatMap((name) =>
    styles.map((style) => ({ name: `${name}.${style}`, inputs: ['Hi there my friend', 'Not too bad - how are you?'] })),
  ),
];

describe('export --to typescript', () => {
  test('every program is its golden file, byte for byte', () => {
    for (const program of programs) {
      const text = exportTypeScript(describeCase(program.text), program.style).text;
      const golden = path.join(goldens, `${program.name}.ts`);
      if (process.env.UPDATE_CODEGEN_GOLDENS === '1') writeFileSync(golden, text);
      assert.equal(text, readFileSync(golden, 'utf8'), `${program.name}.ts differs from its golden`);
    }
  });

  test('every program, and those of 30 generated descriptions, type-checks against the real LangChain.js packages (tsc, strict)', () => {
    assert.equal(compiled.stdout, '');
    assert.equal(compiled.code, 0);
  });

  for (const { name, inputs } of runs) {
    test(`${name}: the program's requests are prompt-chain run's, turn after turn`, async () => {
      const text = codegenCases.find((c) => name.startsWith(`${c.name}.`) && name.slice(c.name.length + 1).match(/^(classic|modern)$/))!.text;
      const cli = await cliRun(text, inputs);
      const expected = cli.requests;
      const actual = await programRun(name, inputs);
      assert.deepEqual(actual.requests.map(compared), expected.map(compared));
      const completion = expected[0]!.path === '/v1/completions';
      for (const request of expected) assert.deepEqual(rest(request), { stream: true, stream_options: { include_usage: true } });
      for (const request of actual.requests) assert.deepEqual(rest(request), completion ? { n: 1, stream: false } : { stream: false });
      // verbose: true logs the chain's steps on stdout too; each reply `prompt-chain run` printed is a line of its own there.
      const lines = actual.stdout.split('\n');
      for (const reply of cli.printed) assert.ok(lines.includes(reply.replace(/\n$/, '')), `the reply ${JSON.stringify(reply)} is printed on its own line`);
    });
  }
});
