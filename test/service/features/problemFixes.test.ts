import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture } from '../../support/fixture';
import { validate } from '../../../service/diagnostics';
import { getCodeActions } from '../../../service/features/codeActions';
import { applyFix, assertFixedTo, check, fixesFor } from '../rules/check';
import { MAX_YAML_LENGTH } from '../../../core/format/frontMatter';

describe('moving a key written in the wrong block', () => {
  test('`temperature:` at the top level goes under a new `parameters:` block, comment kept', () => {
    const checked = check('---\ntemperature: 0.5 # warm\nmodel: gpt-4o\n---\n{history}\n{question}\n');
    assert.deepEqual(fixesFor(checked, 'unknown-key').map((a) => [a.title, a.isPreferred]), [['Move “temperature” under “parameters:”', true]]);
    assertFixedTo(checked, 'unknown-key', 'Move “temperature” under “parameters:”', '---\nmodel: gpt-4o\nparameters:\n  temperature: 0.5 # warm\n---\n{history}\n{question}\n');
  });

  test('joins an existing block after its last key, with that block\'s indentation', () => {
    const checked = check('---\nmax_tokens: 200\nparameters:\n    temperature: 0.2\nmodel: gpt-4o\n---\n{history}\n{question}\n');
    assertFixedTo(checked, 'unknown-key', 'Move “max_tokens” under “parameters:”', '---\nparameters:\n    temperature: 0.2\n    max_tokens: 200\nmodel: gpt-4o\n---\n{history}\n{question}\n');
  });

  test('`model:` under `memory:` goes to the top level; the block it leaves empty goes too', () => {
    const kept = check('---\nmemory:\n  model: gpt-4o\n  key: chat_history\n---\n{chat_history}\n{question}\n');
    assertFixedTo(kept, 'unknown-key', 'Move “model” to the top level', '---\nmemory:\n  key: chat_history\nmodel: gpt-4o\n---\n{chat_history}\n{question}\n');
    const emptied = check('---\nmemory:\n  model: gpt-4o\n---\n{history}\n{question}\n');
    assertFixedTo(emptied, 'unknown-key', 'Move “model” to the top level', '---\nmodel: gpt-4o\n---\n{history}\n{question}\n');
  });

  test('a misplaced LangChain name or typo is renamed as it moves', () => {
    const alias = check('---\nmemory_key: chat_history\n---\n{chat_history}\n{question}\n');
    assertFixedTo(alias, 'unknown-key', 'Move “memory_key” under “memory:” as “key”', '---\nmemory:\n  key: chat_history\n---\n{chat_history}\n{question}\n');
    const typo = check('---\ntemprature: 1\n---\n{history}\n{question}\n');
    assertFixedTo(typo, 'unknown-key', 'Move “temprature” under “parameters:” as “temperature”', '---\nparameters:\n  temperature: 1\n---\n{history}\n{question}\n');
  });

  test('a block value moves with its nested lines, re-indented for where it lands', () => {
    const text = '---\nparameters:\n  memory:\n      key: chat_history # ours\n      return_messages: true\n---\nsystem:\nBe brief.\nplaceholder:\n{chat_history}\nhuman:\n{question}\n';
    const expected = '---\nmemory:\n    key: chat_history # ours\n    return_messages: true\n---\nsystem:\nBe brief.\nplaceholder:\n{chat_history}\nhuman:\n{question}\n';
    assertFixedTo(check(text), 'unknown-key', 'Move “memory” to the top level', expected);
    const list = check('---\nstop:\n  - "Human:"\n  - "AI:"\nparameters:\n  top_p: 1\n---\n{history}\n{question}\n');
    assertFixedTo(list, 'unknown-key', 'Move “stop” under “parameters:”', '---\nparameters:\n  top_p: 1\n  stop:\n    - "Human:"\n    - "AI:"\n---\n{history}\n{question}\n');
  });

  test('a CRLF file stays CRLF', () => {
    const checked = check('---\r\nname: Chat\r\nkey: chat_history\r\n---\r\n{chat_history}\r\n{question}\r\n');
    assertFixedTo(checked, 'unknown-key', 'Move “key” under “memory:”', '---\r\nname: Chat\r\nmemory:\r\n  key: chat_history\r\n---\r\n{chat_history}\r\n{question}\r\n');
  });

  test('flow mappings are taken apart through the YAML library', () => {
    const inFlow = check('---\nmemory: {model: gpt-4o, key: chat_history}\n---\n{chat_history}\n{question}\n');
    const fixed = applyFix(inFlow, 'unknown-key', 'Move “model” to the top level');
    assert.deepEqual(fixed.diagnostics, []);
    assert.equal(fixed.ctx.config.model, 'gpt-4o');
    assert.equal(fixed.ctx.config.memory?.key, 'chat_history');
    const intoFlow = check('---\ntop_p: 0.9\nparameters: {temperature: 0}\n---\n{history}\n{question}\n');
    const moved = applyFix(intoFlow, 'unknown-key', 'Move “top_p” under “parameters:”');
    assert.deepEqual(moved.diagnostics, []);
    assert.deepEqual(moved.ctx.prompt.frontMatter?.parameters?.value, { temperature: 0, top_p: 0.9 });
  });

  test('no move when the key is already set where it belongs: which value is meant is for the author to say', () => {
    const checked = check('---\ntemperature: 1\nparameters:\n  temperature: 0.2\n---\n{history}\n{question}\n');
    assert.deepEqual(fixesFor(checked, 'unknown-key'), []);
  });
});

describe('removing an endpoint or an API key', () => {
  test('the key\'s line goes, and the title says where it is set instead', () => {
    const endpoint = check('---\nmodel: gpt-4o\nbase_url: http://evil.example/v1 # proxy\n---\n{history}\n{question}\n');
    const [remove] = fixesFor(endpoint, 'endpoint-in-file');
    assert.equal(remove?.title, 'Remove “base_url” (set “promptChain.baseUrl” or OPENAI_BASE_URL instead)');
    assertFixedTo(endpoint, 'endpoint-in-file', remove?.title ?? '', '---\nmodel: gpt-4o\n---\n{history}\n{question}\n');
    const secret = check('---\nopenai_api_key: sk-123\nmodel: gpt-4o\n---\n{history}\n{question}\n');
    assertFixedTo(secret, 'secret-in-file', 'Remove “openai_api_key” (use "Prompt Chain: Set API Key" or OPENAI_API_KEY instead)', '---\nmodel: gpt-4o\n---\n{history}\n{question}\n');
  });

  test('a block left empty goes with it; one in a flow mapping is rewritten', () => {
    const nested = check('---\nparameters:\n  openai_api_base: http://localhost:1234\nmodel: m\n---\n{history}\n{question}\n');
    assertFixedTo(nested, 'endpoint-in-file', 'Remove “openai_api_base” (set “promptChain.baseUrl” or OPENAI_BASE_URL instead)', '---\nmodel: m\n---\n{history}\n{question}\n');
    const flow = check('---\nmemory: {key: chat_history, api_key: sk-1}\n---\n{chat_history}\n{question}\n');
    const fixed = applyFix(flow, 'secret-in-file', 'Remove “api_key” (use "Prompt Chain: Set API Key" or OPENAI_API_KEY instead)');
    assert.deepEqual(fixed.diagnostics, []);
    assert.doesNotMatch(fixed.text, /sk-1/);
  });
});

describe('replacing a value with the one its message suggests', () => {
  const cases: [string, string, string, string][] = [
    ['invalid-type', 'parameters:\n  temperature: "0.5"', 'Change to “0.5”', 'parameters:\n  temperature: 0.5'],
    ['invalid-type', 'parameters:\n  max_tokens: 2.5', 'Change to “3”', 'parameters:\n  max_tokens: 3'],
    ['invalid-type', 'memory:\n  return_messages: no', 'Change to “false”', 'memory:\n  return_messages: false'],
    ['invalid-type', 'memory:\n  human_prefix: 1', 'Change to “"1"”', 'memory:\n  human_prefix: "1"'],
    ['out-of-range', 'parameters:\n  temperature: 3', 'Change to “2”', 'parameters:\n  temperature: 2'],
    ['out-of-range', 'memory:\n  type: buffer_window\n  k: 0', 'Change to “1”', 'memory:\n  type: buffer_window\n  k: 1'],
    ['invalid-value', 'memory:\n  scope: "worksapce"', 'Change to “workspace”', 'memory:\n  scope: workspace'],
  ];
  for (const [code, yaml, title, fixedYaml] of cases) {
    test(`${code}: ${yaml.replace(/\n\s*/g, ' ')} → ${title}`, () => {
      const body = '\n---\n{history}\n{question}\n';
      const checked = check(`---\n${yaml}${body}`);
      assert.deepEqual(fixesFor(checked, code).map((a) => [a.title, a.isPreferred]), [[title, true]]);
      assertFixedTo(checked, code, title, `---\n${fixedYaml}${body}`);
    });
  }

  test('`input_variables: question` becomes a list', () => {
    const checked = check('---\ninput_variables: question\n---\n{history}\n{question}\n');
    assertFixedTo(checked, 'invalid-type', 'Change to “[question]”', '---\ninput_variables: [question]\n---\n{history}\n{question}\n');
  });

  test('a value with no obvious replacement gets no fix', () => {
    const checked = check('---\nparameters:\n  temperature: warm\n---\n{history}\n{question}\n');
    assert.deepEqual(fixesFor(checked, 'invalid-type'), []);
  });

  test('a diagnostic from before the value was edited gets no fix', () => {
    const text = '---\nparameters:\n  temperature: 3\n---\n{history}\n{question}\n';
    const stale = validate(fixture(text, { cursor: false }).ctx).find((d) => d.code === 'out-of-range');
    assert.ok(stale);
    const after = fixture(text.replace('temperature: 3', 'temperature: 1'), { cursor: false, version: 2 });
    assert.deepEqual(getCodeActions(after.ctx, stale.range, [stale]), []);
  });
});

describe('quick fixes for hundreds of problems', () => {
  test('a misspelt key among as many unknown keys as the front matter holds gets its fix, found by its range', () => {
    const count = Math.floor((MAX_YAML_LENGTH - 20) / 'zz9999: x\n'.length);
    const keys = Array.from({ length: count }, (_, i) => `zz${i}: x`).join('\n');
    const text = `---\nmodle: gpt-4o\n${keys}\n---\n{history}\n{question}\n`;
    const { ctx } = fixture(text, { cursor: false });
    const listed = validate(ctx).filter((d) => d.code === 'unknown-key');
    assert.equal(listed.length, 100);
    assert.ok(validate(ctx).some((d) => d.code === 'more-problems'), 'more unknown keys than are listed');
    const whole = { start: { line: 0, character: 0 }, end: { line: count + 5, character: 0 } };
    assert.deepEqual(getCodeActions(ctx, whole, listed).map((a) => a.title), ['Change to “model”']);
  });
});
