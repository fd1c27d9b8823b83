import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { findFrontMatter, parseFrontMatter } from '../../../core/format/frontMatter';
import type { ParseProblem } from '../../../core/format/model';

/** The problems of a front matter, each with the text its span covers. */
function problemsOf(yaml: string): (ParseProblem & { at: string })[] {
  const text = `---\n${yaml}---\nbody\n`;
  const block = findFrontMatter(text, 0);
  assert.ok(block);
  return parseFrontMatter(text, block).problems.map((p) => ({ ...p, at: text.slice(p.span.start, p.span.end) }));
}

function only(yaml: string): ParseProblem & { at: string } {
  const problems = problemsOf(yaml);
  assert.equal(problems.length, 1, JSON.stringify(problems));
  return problems[0]!;
}

describe('unknown keys say what LangChain would do and what to change', () => {
  test('a key nothing reads, with the keys that are accepted', () => {
    const problem = only('author: me\n');
    assert.deepEqual([problem.code, problem.severity, problem.at, problem.data], ['unknown-key', 'error', 'author', { key: 'author', path: ['author'] }]);
    assert.equal(
      problem.message,
      'Unknown key `author`: LLMChain has no such setting and would silently ignore it, so Prompt Chain refuses the file. Remove it, or use one of: name, description, model, api, template_format, input_variables, input_key, partial_variables, memory, parameters.',
    );
  });

  test('a typo in the same block: did you mean, with the word for the quick fix', () => {
    const problem = only('memroy:\n  key: x\n');
    assert.deepEqual(problem.data, { key: 'memroy', path: ['memroy'], suggestion: 'memory' });
    assert.equal(problem.message, 'Unknown key `memroy`: LLMChain has no such setting and would silently ignore it, so Prompt Chain refuses the file. Did you mean `memory`?');
    const nested = only('memory:\n  retrun_messages: true\n');
    assert.equal(nested.message, 'Unknown key `retrun_messages` under `memory:`: ConversationBufferMemory has no such setting and would silently ignore it, so Prompt Chain refuses the file. Did you mean `return_messages`?');
  });

  test('under parameters: it would never reach the model', () => {
    assert.equal(
      only('parameters:\n  foo: 1\n').message,
      'Unknown key `foo` under `parameters:`: it is not a model parameter Prompt Chain sends, so it would never reach the model; the file is refused. Remove it, or use one of: temperature, max_tokens, top_p, stop, seed, presence_penalty, frequency_penalty.',
    );
  });

  test("LangChain's Python name in the right block is renamed in place", () => {
    const problem = only('memory:\n  memory_key: chat_history\n');
    assert.deepEqual(problem.data, { key: 'memory_key', path: ['memory', 'memory_key'], suggestion: 'key' });
    assert.equal(problem.message, "`memory_key` is LangChain's Python name; under `memory:` a .prompt file calls it `key`, and Prompt Chain refuses the file rather than guess. Rename it to `key`.");
  });
});

describe('did you mean across blocks', () => {
  test('a model parameter at the top level, spelt right or misspelt', () => {
    const right = only('temperature: 0.5\n');
    assert.deepEqual([right.code, right.at, right.data], ['unknown-key', 'temperature', { key: 'temperature', path: ['temperature'], moveTo: ['parameters', 'temperature'] }]);
    assert.equal(right.message, '`temperature` has no effect at the top level: the model would be called without it. Move it under `parameters:` (did you mean `parameters.temperature`?).');
    const misspelt = only('temprature: 0.5\n');
    assert.deepEqual(misspelt.data, { key: 'temprature', path: ['temprature'], moveTo: ['parameters', 'temperature'] });
    assert.equal(misspelt.message, '`temprature` has no effect at the top level: the model would be called without it. Move it under `parameters:` as `temperature` (did you mean `parameters.temperature`?).');
  });

  test('memory settings at the top level; `key` is the memory key, not a secret', () => {
    assert.deepEqual(
      problemsOf('key: chat_history\nreturn_messages: true\nhuman_prefix: User\nmemory_key: h\n').map((p) => [p.code, p.at, p.data?.['moveTo']]),
      [
        ['unknown-key', 'key', ['memory', 'key']],
        ['unknown-key', 'return_messages', ['memory', 'return_messages']],
        ['unknown-key', 'human_prefix', ['memory', 'human_prefix']],
        ['unknown-key', 'memory_key', ['memory', 'key']],
      ],
    );
    assert.equal(only('key: chat_history\n').message, '`key` has no effect at the top level: ConversationBufferMemory would use its default instead. Move it under `memory:` (did you mean `memory.key`?).');
    assert.deepEqual(problemsOf('memory:\n  key: chat_history\n'), []);
  });

  test('a top-level key inside a block moves out of it', () => {
    const problem = only('memory:\n  model: gpt-4o-mini\n');
    assert.deepEqual([problem.at, problem.data], ['model', { key: 'model', path: ['memory', 'model'], moveTo: ['model'] }]);
    assert.equal(problem.message, '`model` has no effect under `memory:`: the chain would use the configured default model instead. Move it to the top level (did you mean the top-level `model`?).');
    assert.deepEqual(only('parameters:\n  k: 3\n').data?.['moveTo'], ['memory', 'k']);
  });

  test('no move is offered for a key no block has', () => {
    assert.equal(only('parameters:\n  colour: red\n').data?.['moveTo'], undefined);
  });
});

describe('endpoints and API keys are never read from the file', () => {
  const endpointMessage = (key: string) =>
    `\`${key}\` is never read from a .prompt file: a shared file must not choose where your API key is sent, so Prompt Chain refuses the file. Remove it and set \`promptChain.baseUrl\` in your user settings or the OPENAI_BASE_URL environment variable.`;
  const secretMessage = (key: string) =>
    `\`${key}\` is never read from a .prompt file: a key written here travels with the file to everyone it is shared with, so Prompt Chain refuses the file. Remove it (revoke the key if the file was shared) and use "Prompt Chain: Set API Key" or the OPENAI_API_KEY environment variable.`;

  test('endpoint-like keys at any level: endpoint-in-file, an error at the key', () => {
    const keys = ['base_url', 'baseURL', 'api_base', 'openai_api_base', 'endpoint', 'url', 'OPENAI_BASE_URL'];
    const problems = problemsOf(keys.map((key) => `${key}: http://evil.example/v1\n`).join(''));
    assert.deepEqual(problems.map((p) => [p.code, p.severity, p.at, p.data]), keys.map((key) => ['endpoint-in-file', 'error', key, { key, path: [key] }]));
    assert.equal(problems[0]?.message, endpointMessage('base_url'));
    const nested = problemsOf('memory:\n  base_url: x\nparameters:\n  openai_api_base: x\n');
    assert.deepEqual(nested.map((p) => [p.code, p.at, p.data?.['path'], p.message]), [
      ['endpoint-in-file', 'base_url', ['memory', 'base_url'], endpointMessage('base_url')],
      ['endpoint-in-file', 'openai_api_base', ['parameters', 'openai_api_base'], endpointMessage('openai_api_base')],
    ]);
  });

  test('key-like keys at any level: secret-in-file, an error at the key', () => {
    const problems = problemsOf('api_key: sk-x\nopenai_api_key: sk-x\nmemory:\n  apiKey: sk-x\nparameters:\n  openAIApiKey: sk-x\n');
    assert.deepEqual(problems.map((p) => [p.code, p.severity, p.at]), [
      ['secret-in-file', 'error', 'api_key'],
      ['secret-in-file', 'error', 'openai_api_key'],
      ['secret-in-file', 'error', 'apiKey'],
      ['secret-in-file', 'error', 'openAIApiKey'],
    ]);
    assert.equal(problems[0]?.message, secretMessage('api_key'));
    assert.deepEqual(problems[2]?.data, { key: 'apiKey', path: ['memory', 'apiKey'] });
  });

  test('a partial variable named like one is a template variable, not a setting', () => {
    assert.deepEqual(problemsOf('partial_variables:\n  url: https://example.com\n'), []);
  });
});
