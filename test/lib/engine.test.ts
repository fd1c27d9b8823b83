// `prompt-chain` (the engine) as a user's program loads it, from the installed package, in CommonJS and as an
// ES module: `check` reports what `prompt-chain check --json` reports, `runTurn` runs the turn `prompt-chain run`
// runs, in the same durable conversation, with the endpoint and key from the options or the environment only.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { useFakeOpenAI } from '../support/useFakeOpenAI';
import { chatExample, mismatchedExample } from '../support/examples';
import { runProcess } from '../cli/support/cli';
import { installedProject, printedJson, type Project } from './support/installed';
import { fileName, program, type ModuleFormat } from './support/programs';

const { fake } = useFakeOpenAI();
const KEY = 'sk-test-library-key';
const system = 'You are a chatbot having a conversation with a human.';

/** `prompt-chain ARGS` with the installed package's own CLI, in the project, with `env` only. */
function cli(project: Project, args: string[], env: Record<string, string> = {}) {
  const bin = path.join(project.root, 'node_modules/prompt-chain/dist/cli.js');
  return runProcess(process.execPath, [bin, ...args], project.root, { PATH: process.env.PATH, HOME: project.root, XDG_STATE_HOME: path.join(project.root, '.state'), ...env });
}

for (const format of ['cjs', 'esm'] as const satisfies readonly ModuleFormat[]) {
  describe(`prompt-chain from ${format === 'cjs' ? 'CommonJS (require)' : 'an ES module (import)'}`, () => {
    let project: Project;
    const run = (name: string, body: string, env: Record<string, string> = {}) => project.run(fileName(format, name), program(format, body, ['prompt-chain']), { XDG_STATE_HOME: path.join(project.root, '.state'), ...env });
    /** What runTurn on `file` throws, as the program sees it; `sent` when nothing was refused. */
    const refusal = async (file: string) => {
      const body = `
const { failureOf } = ${format === 'esm' ? "await import('prompt-chain')" : "require('prompt-chain')"};
try {
  await runTurn('${file}', { input: 'hi', baseUrl: process.env.FAKE_BASE_URL, apiKey: '${KEY}' });
  print('sent');
} catch (error) {
  print({ name: error.name, kind: failureOf(error).kind, codes: (error.diagnostics ?? []).map((d) => d.code), message: error.message });
}`;
      return printedJson<{ name: string; kind: string; codes: string[]; message: string }>(await run(`refused-${file.replace(/\W/g, '-')}`, body, { FAKE_BASE_URL: fake.baseURL }));
    };
    before(() => {
      // The engine needs no LangChain.js: none is installed here.
      project = installedProject([]);
      project.write('chatbot-chat.prompt', chatExample);
      project.write('mismatched.prompt', mismatchedExample);
      project.write('greeting.prompt', readFileSync(path.join(__dirname, '../core/interop/fixtures/dotprompt/greeting.prompt'), 'utf8'));
    });

    test('check(path) is `prompt-chain check --json`: the same diagnostics, codes, severities, 1-based ranges', async () => {
      const ours = printedJson<unknown[]>(await run('check', "print(await check('mismatched.prompt'));"));
      const theirs = await cli(project, ['check', '--json', 'mismatched.prompt']);
      assert.deepEqual(ours, JSON.parse(theirs.stdout));
      assert.ok(ours.length > 0);
      assert.deepEqual(printedJson(await run('check-clean', "print(await check('chatbot-chat.prompt'));")), []);
    });

    test('check({ text }) checks text that is in no file, named <text>', async () => {
      const body = `print(await check({ text: ${JSON.stringify(mismatchedExample)} }));`;
      const diagnostics = printedJson<{ file: string; code: string; severity: string }[]>(await run('check-text', body));
      assert.ok(diagnostics.some((d) => d.code === 'unprovided-variable' && d.severity === 'error'));
      assert.ok(diagnostics.every((d) => d.file === '<text>'));
    });

    test('runTurn stores the turn where `prompt-chain run` finds it: the next CLI turn sends it as history', async () => {
      fake.enqueue({ reply: 'Hello, friend!' }, { reply: 'Very well.' });
      const body = `
const result = await runTurn('chatbot-chat.prompt', { input: 'Hi there my friend', baseUrl: process.env.FAKE_BASE_URL, apiKey: '${KEY}', env: {} });
print({ reply: result.reply, prompt: result.prompt, messages: result.messages, trace: result.trace });`;
      const turn = printedJson<{ reply: string; prompt: string; messages: unknown; trace: string }>(await run('turn', body, { FAKE_BASE_URL: fake.baseURL }));
      assert.deepEqual(turn, {
        reply: 'Hello, friend!',
        prompt: `System: ${system}\nHuman: Hi there my friend`,
        messages: [{ type: 'system', content: system }, { type: 'human', content: 'Hi there my friend' }],
        trace: `\n\n> Entering new LLMChain chain...\nPrompt after formatting:\nSystem: ${system}\nHuman: Hi there my friend\n\n> Finished chain.\n`,
      });
      const second = await cli(project, ['run', 'chatbot-chat.prompt', '--input', 'How are you?'], { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: fake.baseURL });
      assert.equal(second.code, 0, second.stderr);
      assert.deepEqual(
        (fake.requests.at(-1)!.body as { messages: unknown }).messages,
        [
          { role: 'system', content: system },
          { role: 'user', content: 'Hi there my friend' },
          { role: 'assistant', content: 'Hello, friend!' },
          { role: 'user', content: 'How are you?' },
        ],
      );
      const stored = printedJson<unknown>(await run('stored', "const conversation = await fileConversation('chatbot-chat.prompt');\nprint(await conversation.load());"));
      assert.deepEqual(stored, [{ input: 'Hi there my friend', output: 'Hello, friend!' }, { input: 'How are you?', output: 'Very well.' }]);
    });

    test('without options the endpoint and key come from OPENAI_BASE_URL and OPENAI_API_KEY; an in-memory conversation stores nothing on disk', async () => {
      fake.enqueue({ reply: 'One.' }, { reply: 'Two.' });
      const body = `
const conversation = inMemoryConversation();
await runTurn('chatbot-chat.prompt', { input: 'first', conversation });
const preview = await previewTurn('chatbot-chat.prompt', { input: 'second', conversation });
const second = await runTurn('chatbot-chat.prompt', { input: 'second', conversation, model: 'llama3.2' });
print({ turns: conversation.turns, preview: preview.prompt, prompt: second.prompt });`;
      const result = printedJson<{ turns: unknown; preview: string; prompt: string }>(await run('env', body, { OPENAI_BASE_URL: fake.baseURL, OPENAI_API_KEY: KEY }));
      assert.deepEqual(result.turns, [{ input: 'first', output: 'One.' }, { input: 'second', output: 'Two.' }]);
      assert.equal(result.preview, result.prompt, 'the preview is the prompt the turn sent');
      assert.equal(result.prompt, `System: ${system}\nHuman: first\nAI: One.\nHuman: second`);
      assert.deepEqual(fake.requests.map((request) => [request.headers.authorization, (request.body as { model: string }).model]), [[`Bearer ${KEY}`, 'gpt-4o-mini'], [`Bearer ${KEY}`, 'llama3.2']]);
    });

    test('a file with errors is refused before anything is sent, with its diagnostics and the failure kind', async () => {
      const refused = await refusal('mismatched.prompt');
      assert.equal(refused.kind, 'file-has-errors');
      assert.deepEqual(refused.codes, ['unprovided-variable']);
      assert.match(refused.message, /^mismatched\.prompt: 1 error; fix it before running: mismatched\.prompt:\d+:\d+ error unprovided-variable /);
      assert.deepEqual(fake.requests, []);
    });

    test('a Dotprompt file is refused as another tool\'s, naming the import that makes it ours', async () => {
      const refused = await refusal('greeting.prompt');
      assert.equal(refused.kind, 'file-has-errors');
      assert.equal(refused.message, 'greeting.prompt is a Dotprompt file, not a Prompt Chain prompt: Prompt Chain does not run it. `prompt-chain import greeting.prompt` makes a Prompt Chain copy that runs here.');
      assert.deepEqual(fake.requests, []);
    });

    test("OpenAI's endpoint named without a key is refused before anything is sent", async () => {
      const body = `
const { failureOf } = ${format === 'esm' ? "await import('prompt-chain')" : "require('prompt-chain')"};
try {
  await runTurn('chatbot-chat.prompt', { input: 'hi', conversation: false, env: { OPENAI_BASE_URL: 'https://api.openai.com/v1' } });
  print('sent');
} catch (error) {
  print(failureOf(error, {}));
}`;
      const failure = printedJson<{ kind: string; reason: string }>(await run('no-key', body));
      assert.deepEqual([failure.kind, failure.reason], ['auth', 'missing-key']);
    });
  });
}
