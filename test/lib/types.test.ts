// The package's types as a TypeScript user meets them: a typed program against the installed package compiles
// with tsc under `moduleResolution: node16` (as CommonJS .cts and as an ES module .mts) and `bundler`. Each
// program also holds `@ts-expect-error` lines that are errors only while the types are real: a declaration
// that failed to resolve (and became `any`) makes tsc fail on the unused directive.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { runProcess } from '../cli/support/cli';
import { installedProject, repoRoot, type Project } from './support/installed';

const consumer = `import { check, runTurn, previewTurn, inMemoryConversation, failureOf, PromptHasErrorsError, type FileDiagnostic, type TurnResult } from 'prompt-chain';
import { loadPrompt, LoaderError, type LoadedPrompt } from 'prompt-chain/langchain';
import { ChatOpenAI } from '@langchain/openai';
import { InMemoryChatMessageHistory } from '@langchain/core/chat_history';
import { ChatPromptTemplate, PromptTemplate } from '@langchain/core/prompts';

export async function main(): Promise<string> {
  const diagnostics: FileDiagnostic[] = await check('chat.prompt');
  const code: string | undefined = diagnostics[0]?.code;
  const line: number | undefined = diagnostics[0]?.range.start.line;
  // @ts-expect-error a severity is one of four names
  const severity: 'fatal' | undefined = diagnostics[0]?.severity;

  const conversation = inMemoryConversation();
  const result: TurnResult = await runTurn('chat.prompt', { input: 'hi', conversation, baseUrl: 'http://127.0.0.1:11434/v1' });
  const reply: string = result.reply;
  // @ts-expect-error the reply is text
  const replyNumber: number = result.reply;
  // @ts-expect-error a turn needs its input
  await runTurn('chat.prompt', { conversation });
  const preview = await previewTurn({ text: '{history}\\nHuman: {input}' }, { input: 'hi' });
  try {
    await runTurn('chat.prompt', { input: 'hi' });
  } catch (error) {
    if (error instanceof PromptHasErrorsError) console.log(error.diagnostics.length);
    console.log(failureOf(error)?.kind);
  }

  const loaded: LoadedPrompt = await loadPrompt('chat.prompt', { llm: new ChatOpenAI({ model: 'gpt-4o-mini' }) });
  // @ts-expect-error the prompt is a LangChain.js template, not text
  const notText: string = loaded.prompt;
  // @ts-expect-error the description's prompt kind is 'prompt' or 'chat'
  const kind: 'other' = loaded.description.prompt.kind;
  if (loaded.prompt instanceof ChatPromptTemplate) await loaded.prompt.formatMessages({ [loaded.inputKey]: 'hi', history: [] });
  if (loaded.prompt instanceof PromptTemplate) await loaded.prompt.format({ [loaded.inputKey]: 'hi', history: '' });
  const chain = loaded.createChain(new ChatOpenAI({ model: loaded.description.model.model ?? 'gpt-4o-mini' }), { verbose: true });
  const output = await chain.invoke({ [loaded.inputKey]: 'hi' });
  const memory = await loaded.memory?.loadMemoryVariables({});
  const histories = new Map<string, InMemoryChatMessageHistory>();
  const withHistory = loaded.withMessageHistory(loaded.prompt.pipe(new ChatOpenAI({})), (sessionId: string) => histories.get(sessionId) ?? new InMemoryChatMessageHistory());
  await withHistory.invoke({ [loaded.inputKey]: 'hi' }, { configurable: { sessionId: 'a' } });
  const refused = new LoaderError('missing-peer', 'x');
  // @ts-expect-error kinds are typed
  const badKind: 'other' = refused.kind;
  return [code, line, severity, reply, replyNumber, preview.prompt, notText, kind, output, memory, badKind].join();
}
`;

/** tsc of the project with `options`, over `files`; resolves with its output (empty when it compiled). */
async function compile(project: Project, name: string, options: Record<string, unknown>, files: string[]): Promise<{ code: number | null; output: string }> {
  const config = { compilerOptions: { strict: true, noEmit: true, skipLibCheck: true, target: 'ES2022', types: ['node'], ...options }, files };
  project.write(name, JSON.stringify(config, null, 2));
  const result = await runProcess(process.execPath, [path.join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', name], project.root, { PATH: process.env.PATH });
  return { code: result.code, output: result.stdout + result.stderr };
}

describe('the types of prompt-chain and prompt-chain/langchain', () => {
  let project: Project;
  before(() => {
    project = installedProject();
    mkdirSync(path.join(project.root, 'node_modules/@types'), { recursive: true });
    symlinkSync(path.join(repoRoot, 'node_modules/@types/node'), path.join(project.root, 'node_modules/@types/node'), 'dir');
    for (const file of ['consumer.cts', 'consumer.mts', 'consumer.ts']) project.write(file, consumer);
  });

  test('resolve and check with moduleResolution node16, from CommonJS (.cts) and from an ES module (.mts)', async () => {
    const result = await compile(project, 'tsconfig.node16.json', { module: 'node16', moduleResolution: 'node16' }, ['consumer.cts', 'consumer.mts']);
    assert.equal(result.output, '');
    assert.equal(result.code, 0);
  });

  test('resolve and check with moduleResolution bundler', async () => {
    const result = await compile(project, 'tsconfig.bundler.json', { module: 'esnext', moduleResolution: 'bundler' }, ['consumer.ts']);
    assert.equal(result.output, '');
    assert.equal(result.code, 0);
  });

  test('a misuse is a type error, not a run-time surprise', async () => {
    project.write('misuse.ts', "import { loadPrompt } from 'prompt-chain/langchain';\nexport const x = loadPrompt('a.prompt', { llm: 'gpt-4o-mini' });\n");
    const result = await compile(project, 'tsconfig.misuse.json', { module: 'esnext', moduleResolution: 'bundler' }, ['misuse.ts']);
    assert.match(result.output, /misuse\.ts\(2,\d+\): error TS2322/);
  });
});
