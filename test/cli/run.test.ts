import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, truncateSync } from 'node:fs';
import * as path from 'node:path';
import type { FakeStep } from '../support/fakeOpenAI';
import { useFakeOpenAI } from '../support/useFakeOpenAI';
import { chatExample, completionExample, variant } from '../support/examples';
import { tinyGreedyReply, tinyModelBytes } from '../support/tinyGguf';
import { main } from '../../cli/src/main';
import type { ProcessIo } from '../../cli/src/output';
import { createWorkspace, repoRoot, useCliWorkspaces, type Workspace } from './support/cli';
import { closedPort } from '../support/ports';

const KEY = 'sk-test-secret-key-123';
const system = 'You are a chatbot having a conversation with a human.';
const completionPrompt1 = `${system}\n\n\nHuman: Hi there my friend\nChatbot:`;
const completionPrompt2 = `${system}\n\nHuman: Hi there my friend\nAI:  Hi there! How can I help you today?\nHuman: Not too bad - how are you?\nChatbot:`;
const chatPrompt1 = `System: ${system}\nHuman: Hi there my friend`;
const chatPrompt2 = `${chatPrompt1}\nAI: Hello! How can I assist you today, my friend?\nHuman: Not too bad - how are you?`;

useCliWorkspaces();
const { fake } = useFakeOpenAI();

function workspace(): Workspace {
  return createWorkspace({ 'examples/chatbot-completion.prompt': completionExample, 'examples/chatbot-chat.prompt': chatExample });
}

function run(ws: Workspace, file: string, input: string, ...flags: string[]) {
  return ws.run(['run', file, '--input', input, ...flags], { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: fake.baseURL });
}

/** Every byte the store wrote, to prove what it does not contain. */
function storedText(ws: Workspace): string {
  const read = (p: string): string =>
    statSync(p).isDirectory() ? readdirSync(p).map((name) => read(path.join(p, name))).join('\n') : readFileSync(p, 'utf8');
  return read(ws.stateHome);
}


describe('prompt-chain run: the contract examples', () => {
  test('examples/ ships the two contract files byte for byte', () => {
    const issueCompletion =
      '---\nmemory:\n  key: chat_history\n---\nYou are a chatbot having a conversation with a human.\n\n{chat_history}\nHuman: {human_input}\nChatbot:\n';
    const issueChat =
      '---\nmemory:\n  key: chat_history\n  return_messages: true\n---\nsystem:\nYou are a chatbot having a conversation with a human.\n\n' +
      'placeholder:\n{chat_history}\n\nhuman:\n{human_input}\n';
    assert.equal(readFileSync(path.join(repoRoot, 'examples/chatbot-completion.prompt'), 'utf8'), issueCompletion);
    assert.equal(readFileSync(path.join(repoRoot, 'examples/chatbot-chat.prompt'), 'utf8'), issueChat);
  });

  test('example 1 (completion): two turns stream their replies, send the exact prompts, and turn 2 --verbose prints the trace', async () => {
    const ws = workspace();
    fake.enqueue({ reply: ' Hi there! How can I help you today?' });
    const turn1 = await run(ws, 'examples/chatbot-completion.prompt', 'Hi there my friend');
    const request1 = fake.requests.at(-1)!;
    assert.deepEqual(turn1, { code: 0, stdout: ' Hi there! How can I help you today?\n', stderr: '' });
    assert.equal(request1.path, '/v1/completions');
    assert.equal(request1.body.prompt, completionPrompt1);
    assert.equal(request1.body.model, 'gpt-3.5-turbo-instruct', 'LangChain OpenAI()\'s default completion model');

    fake.enqueue({ reply: " I'm doing well, thanks for asking." });
    const turn2 = await run(ws, 'examples/chatbot-completion.prompt', 'Not too bad - how are you?', '--verbose');
    assert.equal(fake.requests.at(-1)!.body.prompt, completionPrompt2);
    assert.equal(turn2.code, 0);
    assert.equal(turn2.stdout, " I'm doing well, thanks for asking.\n");
    // LangChain's trace, then the line that says which model answered, and where.
    assert.equal(turn2.stderr, `\n\n> Entering new LLMChain chain...\nPrompt after formatting:\n${completionPrompt2}\n\n> Finished chain.\nmodel: gpt-3.5-turbo-instruct at ${fake.baseURL}\n`);
  });

  test('example 2 (chat) with --json: the exact prompts, messages and replies; turn 2 sends four messages', async () => {
    const ws = workspace();
    fake.enqueue({ reply: 'Hello! How can I assist you today, my friend?' });
    const turn1 = await run(ws, 'examples/chatbot-chat.prompt', 'Hi there my friend', '--json');
    assert.equal(turn1.code, 0, turn1.stderr);
    assert.equal(turn1.stderr, '');
    assert.deepEqual(JSON.parse(turn1.stdout), {
      prompt: chatPrompt1,
      messages: [
        { type: 'system', content: system },
        { type: 'human', content: 'Hi there my friend' },
      ],
      reply: 'Hello! How can I assist you today, my friend?',
      usage: { promptTokens: 14, completionTokens: 9, totalTokens: 23 },
      memoryCalls: [],
      model: 'gpt-4o-mini',
      endpoint: fake.baseURL,
    });

    fake.enqueue({ reply: "I'm just a computer program, but thanks for asking!" });
    const turn2 = await run(ws, 'examples/chatbot-chat.prompt', 'Not too bad - how are you?', '--json');
    const request2 = fake.requests.at(-1)!;
    assert.equal(request2.path, '/v1/chat/completions');
    assert.deepEqual(request2.body.messages, [
      { role: 'system', content: system },
      { role: 'user', content: 'Hi there my friend' },
      { role: 'assistant', content: 'Hello! How can I assist you today, my friend?' },
      { role: 'user', content: 'Not too bad - how are you?' },
    ]);
    assert.deepEqual(JSON.parse(turn2.stdout), {
      prompt: chatPrompt2,
      messages: [
        { type: 'system', content: system },
        { type: 'human', content: 'Hi there my friend' },
        { type: 'ai', content: 'Hello! How can I assist you today, my friend?' },
        { type: 'human', content: 'Not too bad - how are you?' },
      ],
      reply: "I'm just a computer program, but thanks for asking!",
      usage: { promptTokens: 30, completionTokens: 9, totalTokens: 39 },
      memoryCalls: [],
      model: 'gpt-4o-mini',
      endpoint: fake.baseURL,
    });
    assert.equal(turn2.stderr, '');
  });

  test('example 2 without --json streams the reply then a newline', async () => {
    const ws = workspace();
    fake.enqueue({ reply: 'Hello! How can I assist you today, my friend?', chunks: ['Hello!', ' How can I', ' assist you today, my friend?'] });
    const turn = await run(ws, 'examples/chatbot-chat.prompt', 'Hi there my friend');
    assert.deepEqual(turn, { code: 0, stdout: 'Hello! How can I assist you today, my friend?\n', stderr: '' });
  });

  test('the API key is sent to the endpoint but never stored', async () => {
    const ws = workspace();
    fake.enqueue({ reply: 'stored reply' });
    assert.equal((await run(ws, 'examples/chatbot-chat.prompt', 'remember this')).code, 0);
    assert.equal(fake.requests.at(-1)!.headers.authorization, `Bearer ${KEY}`);
    const stored = storedText(ws);
    assert.ok(stored.includes('remember this') && stored.includes('stored reply'));
    assert.ok(!stored.includes(KEY));
    assert.ok(!stored.includes(fake.baseURL));
  });
});

describe('prompt-chain run --verbose on a terminal', () => {
  // A child process cannot be handed a terminal portably, so main() runs in-process with a terminal Io.
  async function verboseOnTerminal(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
    const ws = workspace();
    let stdout = '';
    let stderr = '';
    const io: ProcessIo = {
      out: (text) => void (stdout += text),
      err: (text) => void (stderr += text),
      env: { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: fake.baseURL, XDG_STATE_HOME: ws.stateHome, ...env },
      cwd: ws.root,
      stderrIsTTY: true,
      signal: new AbortController().signal,
    };
    fake.enqueue({ reply: ' Hi there! How can I help you today?' });
    const code = await main(['run', 'examples/chatbot-completion.prompt', '--input', 'Hi there my friend', '--verbose'], io);
    return { code, stdout, stderr };
  }

  test('the trace has exactly StdOutCallbackHandler\'s colour codes', async () => {
    const result = await verboseOnTerminal({});
    assert.deepEqual(result, {
      code: 0,
      stdout: ' Hi there! How can I help you today?\n',
      stderr:
        '\n\n\x1b[1m> Entering new LLMChain chain...\x1b[0m\nPrompt after formatting:\n\x1b[32;1m\x1b[1;3m' +
        completionPrompt1 +
        `\x1b[0m\n\n\x1b[1m> Finished chain.\x1b[0m\nmodel: gpt-3.5-turbo-instruct at ${fake.baseURL}\n`,
    });
  });

  test('NO_COLOR turns the colour off', async () => {
    const result = await verboseOnTerminal({ NO_COLOR: '1' });
    assert.equal(result.stderr, `\n\n> Entering new LLMChain chain...\nPrompt after formatting:\n${completionPrompt1}\n\n> Finished chain.\nmodel: gpt-3.5-turbo-instruct at ${fake.baseURL}\n`);
  });
});

describe('prompt-chain run: options', () => {
  test('--dry-run prints the prompt with memory, calls no model and leaves memory as it was', async () => {
    const ws = workspace();
    fake.enqueue({ reply: ' Hi there! How can I help you today?' });
    await run(ws, 'examples/chatbot-completion.prompt', 'Hi there my friend');
    const before = await ws.run(['memory', 'show', 'examples/chatbot-completion.prompt']);
    const requests = fake.requests.length;
    const dry = await ws.run(['run', 'examples/chatbot-completion.prompt', '--input', 'Not too bad - how are you?', '--dry-run']);
    assert.deepEqual(dry, { code: 0, stdout: `${completionPrompt2}\n`, stderr: '' });
    const dryJson = await ws.run(['run', 'examples/chatbot-chat.prompt', '--input', 'Hi there my friend', '--dry-run', '--json']);
    assert.equal(JSON.parse(dryJson.stdout).prompt, chatPrompt1);
    assert.equal(fake.requests.length, requests);
    assert.deepEqual(await ws.run(['memory', 'show', 'examples/chatbot-completion.prompt']), before);
  });

  test('the model defaults to LangChain\'s: gpt-4o-mini for chat, gpt-3.5-turbo-instruct for completion', async () => {
    const ws = workspace();
    ws.write('chat.prompt', '---\nmemory: false\n---\nhuman:\n{q}\n');
    ws.write('completion.prompt', '---\nmemory: false\n---\nQ: {q}\n');
    for (const [file, model] of [['chat.prompt', 'gpt-4o-mini'], ['completion.prompt', 'gpt-3.5-turbo-instruct']]) {
      fake.enqueue({ reply: 'ok' });
      assert.equal((await run(ws, file!, 'hi')).code, 0);
      assert.equal(fake.requests.at(-1)!.body.model, model);
    }
  });

  test('--var fills other variables; --model overrides the file', async () => {
    const ws = workspace();
    ws.write('greet.prompt', '---\nmodel: from-file\nmemory: false\ninput_key: question\n---\n{persona} answers: {question}\n');
    fake.enqueue({ reply: 'ok' });
    const turn = await run(ws, 'greet.prompt', 'why?', '--var', 'persona=A pirate', '--model', 'from-flag');
    assert.equal(turn.code, 0, turn.stderr);
    assert.equal(fake.requests.at(-1)!.body.prompt, 'A pirate answers: why?');
    assert.equal(fake.requests.at(-1)!.body.model, 'from-flag');
  });

  test('--memory-dir and --workspace choose where the conversation is kept', async () => {
    const ws = workspace();
    const memoryDir = path.join(ws.root, '..', 'elsewhere');
    fake.enqueue({ reply: 'kept elsewhere' });
    await run(ws, 'examples/chatbot-chat.prompt', 'hello', '--memory-dir', memoryDir);
    const inDefault = await ws.run(['memory', 'show', 'examples/chatbot-chat.prompt']);
    const inMemoryDir = await ws.run(['memory', 'show', 'examples/chatbot-chat.prompt', '--memory-dir', memoryDir]);
    assert.equal(inDefault.stdout, 'no stored turns\n');
    assert.equal(inMemoryDir.stdout, 'Human: hello\nAI: kept elsewhere\n');
    const otherWorkspace = await ws.run(['memory', 'show', 'examples/chatbot-chat.prompt', '--memory-dir', memoryDir, '--workspace', 'examples']);
    assert.equal(otherWorkspace.stdout, 'no stored turns\n');
  });

  test('an emoji split across two stream events (one UTF-16 half in each) prints and is stored whole', async () => {
    const ws = workspace();
    const emoji = '\u{1F600}';
    assert.equal(emoji.length, 2);
    fake.enqueue({ reply: `Hi ${emoji}!`, chunks: [`Hi ${emoji[0]}`, `${emoji[1]}!`] });
    const turn = await run(ws, 'examples/chatbot-chat.prompt', 'hello');
    assert.deepEqual(turn, { code: 0, stdout: `Hi ${emoji}!\n`, stderr: '' });
    fake.enqueue({ reply: emoji, chunks: ['', emoji[0]!, emoji[1]!] });
    assert.deepEqual(await run(ws, 'examples/chatbot-chat.prompt', 'again'), { code: 0, stdout: `${emoji}\n`, stderr: '' });
    const shown = await ws.run(['memory', 'show', 'examples/chatbot-chat.prompt']);
    assert.equal(shown.stdout, `Human: hello\nAI: Hi ${emoji}!\nHuman: again\nAI: ${emoji}\n`);
    assert.ok(storedText(ws).includes(`"Hi ${emoji}!"`) && !storedText(ws).includes('\uFFFD'));
  });

  test('a custom endpoint without a key gets a placeholder key', async () => {
    const ws = workspace();
    fake.enqueue({ reply: 'local reply' });
    const turn = await ws.run(['run', 'examples/chatbot-chat.prompt', '--input', 'hi', '--base-url', fake.baseURL]);
    assert.deepEqual(turn, { code: 0, stdout: 'local reply\n', stderr: '' });
    assert.equal(fake.requests.at(-1)!.headers.authorization, 'Bearer not-needed');
  });
});

describe('prompt-chain run: concurrency and cancelling', () => {
  test('two runs on one conversation at once both land, one after the other', async () => {
    const ws = workspace();
    const env = { OPENAI_BASE_URL: fake.baseURL };
    const requests = fake.requests.length;
    // The first request answers late, widening the window in which the second run could overlap it.
    fake.enqueue({ fault: 'delay', ms: 200, reply: 'first reply' }, { reply: 'second reply' });
    const runs = ['from A', 'from B'].map((input) => ws.start(['run', 'examples/chatbot-chat.prompt', '--input', input], env));
    const results = await Promise.all(runs.map((r) => r.result));
    assert.deepEqual(results.map((r) => r.code), [0, 0]);
    const [first, second] = fake.requests.slice(requests).map((r) => r.body.messages);
    const firstInput = first.at(-1).content;
    const secondInput = second.at(-1).content;
    assert.deepEqual(new Set([firstInput, secondInput]), new Set(['from A', 'from B']));
    // The second turn saw the first one: the runs did not overlap.
    assert.deepEqual(second.slice(1, 3), [
      { role: 'user', content: firstInput },
      { role: 'assistant', content: 'first reply' },
    ]);
    const shown = await ws.run(['memory', 'show', 'examples/chatbot-chat.prompt']);
    assert.equal(shown.stdout, `Human: ${firstInput}\nAI: first reply\nHuman: ${secondInput}\nAI: second reply\n`);
  });

  test('Ctrl-C cancels a running turn: exit 130, one line, nothing saved', async () => {
    const ws = workspace();
    fake.enqueue({ fault: 'hang' });
    const running = ws.start(['run', 'examples/chatbot-chat.prompt', '--input', 'hi'], { OPENAI_BASE_URL: fake.baseURL });
    await fake.waitForHang();
    running.child.kill('SIGINT');
    assert.deepEqual(await running.result, { code: 130, stdout: '', stderr: 'cancelled; nothing was saved to memory\n' });
    assert.equal((await ws.run(['memory', 'show', 'examples/chatbot-chat.prompt'])).stdout, 'no stored turns\n');
  });
});

describe('prompt-chain run: no endpoint and no key runs the turn on the local model', () => {
  // The chat example made greedy, so the tiny model's reply is known.
  const greedyChat = variant(chatExample, '---\nmemory:', '---\nparameters:\n  temperature: 0\nmemory:');

  test('--model local:<file>: the reply streams; --json says local; --verbose names the model, in-process', async () => {
    const ws = createWorkspace({ 'examples/chatbot-chat.prompt': greedyChat });
    const tiny = ws.write('models/tiny.gguf', tinyModelBytes());
    const turn = (input: string, ...flags: string[]) => ws.run(['run', 'examples/chatbot-chat.prompt', '--input', input, '--model', `local:${tiny}`, ...flags]);
    assert.deepEqual(await turn('Hi there my friend'), { code: 0, stdout: `${tinyGreedyReply}\n`, stderr: '' });

    const asJson = await turn('Not too bad - how are you?', '--json');
    assert.equal(asJson.code, 0, asJson.stderr);
    const printed = JSON.parse(asJson.stdout) as { model: string; endpoint: string; reply: string; messages: unknown[]; usage: { completionTokens: number } };
    assert.deepEqual([printed.model, printed.endpoint, printed.reply, printed.usage.completionTokens], ['local:tiny.gguf', 'local', tinyGreedyReply, 8]);
    assert.deepEqual(printed.messages.slice(1, 3), [{ type: 'human', content: 'Hi there my friend' }, { type: 'ai', content: tinyGreedyReply }], 'the first turn was stored');

    const verbose = await turn('And now?', '--verbose');
    assert.equal(verbose.code, 0, verbose.stderr);
    assert.ok(verbose.stderr.endsWith('\n> Finished chain.\nmodel: local:tiny.gguf (in-process)\n'), verbose.stderr);
  });

  test('the default model offline: exit 1, the one line saying what to download where, nothing stored', async () => {
    const ws = workspace();
    const port = await closedPort();
    const modelsDir = path.join(ws.root, '..', 'models');
    const result = await ws.run(['run', 'examples/chatbot-chat.prompt', '--input', 'hi'], { HF_ENDPOINT: `http://127.0.0.1:${port}`, PROMPT_CHAIN_MODELS_DIR: modelsDir });
    const file = 'Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf';
    assert.deepEqual(result, {
      code: 1,
      stdout: '',
      stderr: `no network: download http://127.0.0.1:${port}/Qwen/Qwen2.5-0.5B-Instruct-GGUF/resolve/main/qwen2.5-0.5b-instruct-q4_k_m.gguf to ${path.join(modelsDir, file)} or set OPENAI_BASE_URL\n`,
    });
    assert.equal((await ws.run(['memory', 'show', 'examples/chatbot-chat.prompt'])).stdout, 'no stored turns\n');
  });
});

describe('prompt-chain run: failures are one line, exit 1, memory untouched', () => {
  test('no key and the OpenAI endpoint named', async () => {
    const ws = workspace();
    // Named: with no endpoint and no key at all the turn runs on the local model instead (below).
    const result = await ws.run(['run', 'examples/chatbot-chat.prompt', '--input', 'hi'], { OPENAI_BASE_URL: 'https://api.openai.com/v1' });
    assert.deepEqual(result, {
      code: 1,
      stdout: '',
      stderr:
        'No API key for https://api.openai.com/v1: set the OPENAI_API_KEY environment variable (in VS Code: run "Prompt Chain: Set API Key"), or set the base URL to a local server that needs none.\n',
    });
  });

  // 429 and 5xx are retried twice, so those faults are scripted three times.
  const html = '<!DOCTYPE html>\n<html><head><title>Welcome to nginx!</title></head><body>It works.</body></html>\n';
  const faults: [string, FakeStep[], RegExp, string[]][] = [
    ['401', [{ fault: 'status', status: 401 }], /rejected the API key \(401 Unauthorized\): set OPENAI_API_KEY/, []],
    ['unknown model', [{ fault: 'status', status: 404 }], /has no model "gpt-3\.5-turbo-instruct" \(404 Not Found\): fix `model:`/, []],
    ['429', Array(3).fill({ fault: 'status', status: 429 }), /is rate-limiting requests \(429 Too Many Requests\): wait a moment/, []],
    [
      '429 asking for a wait longer than --timeout',
      [{ fault: 'status', status: 429, headers: { 'retry-after': '30' } }],
      /is rate-limiting requests \(429 Too Many Requests\): it asks to wait 30 s; run the turn again after \d\d:\d\d:\d\d\.$/,
      ['--timeout', '5'],
    ],
    ['503', Array(3).fill({ fault: 'status', status: 503 }), /failed with 503 \(server error\).*try again later/, []],
    // A short wait: the retries' backoff counts as silence too.
    ['timeout', [{ fault: 'hang', chunks: ['Hal'] }], /sent nothing for 0\.5 s: check that the server is running .* --timeout SECONDS\.$/, ['--timeout', '0.5']],
    ['stream cut', [{ fault: 'cut', chunks: ['Hal'] }], /^The connection to \S+ was cut mid-reply: run the turn again/, []],
    ['malformed stream', [{ fault: 'malformed', chunks: ['Hal'] }], /^\S+ sent a malformed stream \(a chunk that is not valid JSON\)/, []],
    ['HTML page', [{ fault: 'body', contentType: 'text/html', body: html }], /^\S+ answered with an HTML page, not an OpenAI API response: .*ends in \/v1/, []],
    [
      'reply over --max-reply-chars',
      [{ fault: 'huge', pieces: 400, pieceChars: 65_536 }],
      /^\S+ sent a reply longer than 100,000 characters, the limit, so the turn was stopped and nothing was saved to memory: /,
      ['--max-reply-chars', '100000'],
    ],
  ];
  for (const [name, steps, message, flags] of faults) {
    test(`${name}: one line naming the endpoint and what to do, nothing else on stderr, exit 1, memory unchanged`, async () => {
      const ws = workspace();
      fake.enqueue({ reply: 'first reply' });
      await run(ws, 'examples/chatbot-completion.prompt', 'first');
      const before = await ws.run(['memory', 'show', 'examples/chatbot-completion.prompt']);
      fake.enqueue(...steps);
      const failed = await run(ws, 'examples/chatbot-completion.prompt', 'second', ...flags);
      assert.equal(failed.code, 1);
      const lines = failed.stderr.split('\n');
      assert.deepEqual(lines.length, 2, failed.stderr);
      assert.match(lines[0]!, message);
      assert.ok(lines[0]!.includes(fake.baseURL), failed.stderr);
      assert.deepEqual(await ws.run(['memory', 'show', 'examples/chatbot-completion.prompt']), before);
    });
  }

  test('with --json a failed turn prints its kind and message on stdout as well', async () => {
    const ws = workspace();
    fake.enqueue({ fault: 'huge', pieces: 400, pieceChars: 65_536 });
    const failed = await run(ws, 'examples/chatbot-chat.prompt', 'hi', '--json', '--max-reply-chars', '1000');
    assert.equal(failed.code, 1);
    const { error } = JSON.parse(failed.stdout);
    assert.equal(error.kind, 'reply');
    assert.equal(error.reason, 'reply-too-large');
    assert.equal(`${error.message}\n`, failed.stderr);
    fake.enqueue({ fault: 'body', contentType: 'text/html', body: html });
    assert.deepEqual(JSON.parse((await run(ws, 'examples/chatbot-chat.prompt', 'hi', '--json')).stdout).error.reason, 'not-openai');
    assert.equal((await ws.run(['memory', 'show', 'examples/chatbot-chat.prompt'])).stdout, 'no stored turns\n');
  });

  test('with --json a store failure prints the store\'s kind, memory, and its one line', async () => {
    const ws = workspace();
    const blocked = path.join(ws.write('not-a-folder', 'a file'), 'memory');
    fake.enqueue({ reply: 'never saved' });
    const failed = await run(ws, 'examples/chatbot-chat.prompt', 'hi', '--json', '--memory-dir', blocked);
    assert.equal(failed.code, 1);
    const { error } = JSON.parse(failed.stdout);
    assert.equal(error.kind, 'memory');
    assert.equal(`${error.message}\n`, failed.stderr);
    assert.ok(error.message.includes(blocked) || error.message.includes(path.dirname(blocked)), error.message);
  });

  test('a server that ignores stream: true and answers one JSON completion: the reply is used and saved', async () => {
    const ws = workspace();
    fake.enqueue({ fault: 'unstreamed', reply: 'Hello in one piece.' });
    assert.deepEqual(await run(ws, 'examples/chatbot-chat.prompt', 'hi'), { code: 0, stdout: 'Hello in one piece.\n', stderr: '' });
    assert.equal((await ws.run(['memory', 'show', 'examples/chatbot-chat.prompt'])).stdout, 'Human: hi\nAI: Hello in one piece.\n');
  });

  test('numeric flags are checked before anything is read or sent: --timeout (seconds, at most a day), --max-reply-chars', async () => {
    const ws = workspace();
    const requests = fake.requests.length;
    const cases: [string, string][] = [
      ['--timeout', '0'],
      ['--timeout', '-1'],
      ['--timeout', 'soon'],
      ['--timeout', ''],
      ['--timeout', '0.0001'],
      ['--timeout', '3000000'],
      ['--timeout', '1e3'],
      ['--max-reply-chars', '0'],
      ['--max-reply-chars', '1.5'],
      ['--max-reply-chars', '100000001'],
      ['--max-reply-chars', 'lots'],
    ];
    for (const [flag, value] of cases) {
      const result = await run(ws, 'missing.prompt', 'hi', flag, value);
      assert.equal(result.code, 2, `${flag} ${value}`);
      const range = flag === '--timeout' ? 'a number of seconds from 0.001 to 86400' : 'a number of characters from 1 to 100000000';
      assert.equal(result.stderr, `prompt-chain: ${flag} needs ${range}, got "${value}" (see "prompt-chain --help")\n`);
    }
    assert.equal(fake.requests.length, requests);
  });

  test('an empty --model, --base-url, --workspace or --memory-dir is a usage error naming the flag', async () => {
    const ws = workspace();
    const requests = fake.requests.length;
    const cases = [['--model', 'a model name'], ['--base-url', 'a URL'], ['--workspace', 'a folder'], ['--memory-dir', 'a folder']];
    for (const [flag, what] of cases) {
      const result = await run(ws, 'examples/chatbot-chat.prompt', 'hi', flag!, '');
      assert.deepEqual(result, { code: 2, stdout: '', stderr: `prompt-chain: ${flag} needs ${what}, got an empty value (see "prompt-chain --help")\n` });
    }
    for (const flag of ['--workspace', '--memory-dir']) {
      const result = await ws.run(['memory', 'show', 'examples/chatbot-chat.prompt', `${flag}=`]);
      assert.deepEqual(result, { code: 2, stdout: '', stderr: `prompt-chain: ${flag} needs a folder, got an empty value (see "prompt-chain --help")\n` });
    }
    assert.equal(fake.requests.length, requests);
    assert.equal((await ws.run(['memory', 'show', 'examples/chatbot-chat.prompt'])).stdout, 'no stored turns\n');
  });

  test('a base URL with user:password@ is refused without sending anything or printing the password', async () => {
    const ws = workspace();
    const requests = fake.requests.length;
    const withCredentials = fake.baseURL.replace('//', '//alice:s3cret-pw@');
    for (const env of [{ OPENAI_BASE_URL: withCredentials }, {}]) {
      const flags = 'OPENAI_BASE_URL' in env ? [] : ['--base-url', withCredentials];
      const result = await ws.run(['run', 'examples/chatbot-chat.prompt', '--input', 'hi', ...flags], { OPENAI_API_KEY: KEY, ...env });
      assert.equal(result.code, 2);
      assert.equal(result.stdout, '');
      const source = 'OPENAI_BASE_URL' in env ? 'OPENAI_BASE_URL' : '--base-url';
      const expected = `prompt-chain: The base URL ${fake.baseURL} (from ${source}) has a user name or password in it, which are never sent: `;
      assert.ok(result.stderr.startsWith(expected) && result.stderr.includes('OPENAI_API_KEY'), result.stderr);
      assert.ok(!result.stderr.includes('s3cret-pw') && !result.stderr.includes('alice'), result.stderr);
    }
    assert.equal(fake.requests.length, requests);
  });

  test('a server error (500) leaves `memory show` unchanged', async () => {
    const ws = workspace();
    fake.enqueue({ reply: 'first reply' });
    await run(ws, 'examples/chatbot-chat.prompt', 'first');
    const before = await ws.run(['memory', 'show', 'examples/chatbot-chat.prompt']);
    // The SDK retries a 5xx twice; every attempt fails.
    for (let i = 0; i < 3; i++) fake.enqueue({ fault: 'status', status: 500 });
    const failed = await run(ws, 'examples/chatbot-chat.prompt', 'second');
    assert.equal(failed.code, 1);
    assert.equal(failed.stdout, '');
    assert.match(failed.stderr, /^[^\n]*500[^\n]*\n$/);
    assert.ok(failed.stderr.includes(fake.baseURL));
    assert.deepEqual(await ws.run(['memory', 'show', 'examples/chatbot-chat.prompt']), before);
  });

  test('a reply cut mid-stream ends its line, reports the cut and saves nothing', async () => {
    const ws = workspace();
    fake.enqueue({ fault: 'cut', chunks: ['Partial'] });
    const failed = await run(ws, 'examples/chatbot-chat.prompt', 'hi');
    assert.equal(failed.code, 1);
    assert.equal(failed.stdout, 'Partial\n');
    assert.equal(failed.stderr.split('\n').length, 2, failed.stderr);
    assert.equal((await ws.run(['memory', 'show', 'examples/chatbot-chat.prompt'])).stdout, 'no stored turns\n');
  });

  test('an unreachable endpoint', async () => {
    const ws = workspace();
    const url = `http://127.0.0.1:${await closedPort()}/v1`;
    const result = await ws.run(['run', 'examples/chatbot-chat.prompt', '--input', 'hi', '--base-url', url]);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^[^\n]*connection refused[^\n]*\n$/i);
    assert.ok(result.stderr.includes(url));
  });

  test('a file with errors lists them and calls no model', async () => {
    const ws = workspace();
    ws.write('broken.prompt', '---\nmemory: false\n---\nHello {name\nand {}\n');
    const requests = fake.requests.length;
    const result = await run(ws, 'broken.prompt', 'hi');
    assert.equal(result.code, 1);
    const lines = result.stderr.trimEnd().split('\n');
    assert.ok(lines.length >= 3, result.stderr);
    assert.match(lines[0] ?? '', /^broken\.prompt:4:7 error \S+ /);
    assert.ok(lines.slice(0, -1).every((line) => /^broken\.prompt:\d+:\d+ error \S+ \S/.test(line)), result.stderr);
    assert.match(lines.at(-1) ?? '', /^broken\.prompt: \d+ errors; fix them before running$/);
    assert.equal(fake.requests.length, requests);
  });

  test('a missing file, a folder, a binary file and a 50 MB file', async () => {
    const ws = workspace();
    ws.write('binary.prompt', Buffer.from([0x2d, 0x2d, 0x2d, 0x0a, 0x00, 0x01, 0xff]));
    truncateSync(ws.write('huge.prompt', ''), 50 * 1024 * 1024);
    const cases: [string, RegExp][] = [
      ['missing.prompt', /^missing\.prompt: no such file or folder\n$/],
      ['examples', /^examples: is a folder, not a \.prompt file\n$/],
      ['binary.prompt', /^binary\.prompt: binary file \(contains NUL bytes\), not a \.prompt text file\n$/],
      ['huge.prompt', /^huge\.prompt: file is too large \(50 MB\); \.prompt files are limited to 5 MB\n$/],
    ];
    for (const [file, message] of cases) {
      const result = await run(ws, file, 'hi');
      assert.equal(result.code, 1, file);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, message);
    }
  });

  test('usage errors exit 2 with one line', async () => {
    const ws = workspace();
    const cases = [
      ['run', 'examples/chatbot-chat.prompt'],
      ['run', '--input', 'hi'],
      ['run', 'examples/chatbot-chat.prompt', '--input', 'hi', '--nope'],
      ['run', 'examples/chatbot-chat.prompt', '--input'],
      ['run', 'examples/chatbot-chat.prompt', '--input', 'hi', '--var', 'novalue'],
      ['run', 'examples/chatbot-chat.prompt', '--input', 'hi', '--base-url', 'not a url'],
    ];
    for (const args of cases) {
      const result = await ws.run(args, { OPENAI_API_KEY: KEY });
      assert.equal(result.code, 2, args.join(' '));
      assert.equal(result.stdout, '');
      assert.match(result.stderr, /^prompt-chain: [^\n]+\n$/, args.join(' '));
    }
  });
});
