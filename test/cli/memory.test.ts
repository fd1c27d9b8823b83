import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useFakeOpenAI } from '../support/useFakeOpenAI';
import { completionExample } from '../support/examples';
import { createWorkspace, useCliWorkspaces } from './support/cli';

useCliWorkspaces();
const { fake } = useFakeOpenAI();

function workspace() {
  const ws = createWorkspace({ 'chat.prompt': completionExample });
  const turn = (input: string, reply: string) => {
    fake.enqueue({ reply });
    return ws.run(['run', 'chat.prompt', '--input', input], { OPENAI_BASE_URL: fake.baseURL });
  };
  return { ws, turn };
}

describe('prompt-chain memory', () => {
  test('show prints the stored turns as the model sees them, with the file\'s prefixes', async () => {
    const { ws, turn } = workspace();
    assert.deepEqual(await ws.run(['memory', 'show', 'chat.prompt']), { code: 0, stdout: 'no stored turns\n', stderr: '' });
    await turn('Hi there my friend', ' Hi there! How can I help you today?');
    await turn('line one\nline two', 'ok');
    const shown = await ws.run(['memory', 'show', 'chat.prompt']);
    assert.equal(shown.code, 0);
    assert.equal(shown.stdout, 'Human: Hi there my friend\nAI:  Hi there! How can I help you today?\nHuman: line one\nline two\nAI: ok\n');
    assert.match(shown.stderr, /^2 turns stored in .*\.jsonl\n$/);

    ws.write('prefixed.prompt', '---\nmemory:\n  human_prefix: Me\n  ai_prefix: Bot\n---\n{history}\nMe: {input}\nBot:');
    fake.enqueue({ reply: 'hello' });
    await ws.run(['run', 'prefixed.prompt', '--input', 'hi'], { OPENAI_BASE_URL: fake.baseURL });
    assert.equal((await ws.run(['memory', 'show', 'prefixed.prompt'])).stdout, 'Me: hi\nBot: hello\n');
  });

  test('clear deletes the turns; the next run starts a new conversation', async () => {
    const { ws, turn } = workspace();
    await turn('one', '1');
    await turn('two', '2');
    assert.deepEqual(await ws.run(['memory', 'clear', 'chat.prompt']), { code: 0, stdout: 'cleared 2 stored turns\n', stderr: '' });
    assert.equal((await ws.run(['memory', 'show', 'chat.prompt'])).stdout, 'no stored turns\n');
    assert.equal((await ws.run(['memory', 'clear', 'chat.prompt'])).stdout, 'no stored turns to clear\n');
    await turn('three', '3');
    assert.equal(fake.requests.at(-1)!.body.prompt, 'You are a chatbot having a conversation with a human.\n\n\nHuman: three\nChatbot:');
  });

  test('a file with memory: false has no stored turns', async () => {
    const { ws } = workspace();
    ws.write('stateless.prompt', '---\nmemory: false\n---\n{input}');
    assert.equal((await ws.run(['memory', 'show', 'stateless.prompt'])).stdout, 'no stored turns (stateless.prompt has memory: false)\n');
  });

  test('bad arguments and files', async () => {
    const { ws } = workspace();
    for (const args of [['memory'], ['memory', 'list', 'chat.prompt'], ['memory', 'show'], ['memory', 'show', 'a', 'b'], ['memory', 'show', 'chat.prompt', '--json']]) {
      const result = await ws.run(args);
      assert.equal(result.code, 2, args.join(' '));
      assert.match(result.stderr, /^prompt-chain: [^\n]+\n$/);
    }
    assert.deepEqual(await ws.run(['memory', 'show', 'missing.prompt']), { code: 1, stdout: '', stderr: 'missing.prompt: no such file or folder\n' });
    const noWorkspace = await ws.run(['memory', 'show', 'chat.prompt', '--workspace', 'nowhere']);
    assert.equal(noWorkspace.code, 1);
    assert.match(noWorkspace.stderr, /^--workspace .*nowhere: no such folder\n$/);
  });
});
