import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { findFrontMatter, parseFrontMatter } from '../../../core/format/frontMatter';

/** [code, text at the span, message, data.replacement] of each problem. */
function adviceFor(yaml: string): [string, string, string, unknown][] {
  const text = `---\n${yaml}---\nbody\n`;
  const block = findFrontMatter(text, 0);
  assert.ok(block);
  return parseFrontMatter(text, block).problems.map((p) => [p.code, text.slice(p.span.start, p.span.end), p.message, p.data?.['replacement']]);
}

const rejected = 'the OpenAI API would reject the request with a 400';

describe('out-of-range values: what the endpoint or LangChain would do, and the nearest bound', () => {
  test('model parameters', () => {
    assert.deepEqual(adviceFor('parameters:\n  temperature: 2.5\n  max_tokens: 0\n  top_p: -0.1\n  frequency_penalty: -2.1\n'), [
      ['out-of-range', '2.5', `\`temperature\` must be a number from 0 to 2, not 2.5: ${rejected}. Use 2 or less.`, '2'],
      ['out-of-range', '0', `\`max_tokens\` must be a whole number of at least 1, not 0: ${rejected}. Use 1 or more.`, '1'],
      ['out-of-range', '-0.1', `\`top_p\` must be a number from 0 to 1, not -0.1: ${rejected}. Use 0 or more.`, '0'],
      ['out-of-range', '-2.1', `\`frequency_penalty\` must be a number from -2 to 2, not -2.1: ${rejected}. Use -2 or more.`, '-2'],
    ]);
  });

  test('a window of no exchanges', () => {
    assert.deepEqual(adviceFor('memory:\n  type: buffer_window\n  k: 0\n'), [
      ['out-of-range', '0', '`k` must be a whole number of at least 1, not 0: ConversationBufferWindowMemory would pass the model no history at all. Use 1 or more.', '1'],
    ]);
  });
});

describe('values of the wrong type: what YAML read and what to write', () => {
  test('a quoted number loses its quotes; a fraction becomes a whole number', () => {
    assert.deepEqual(adviceFor('parameters:\n  temperature: "0.5"\n  max_tokens: 1.5\n  seed: x\n'), [
      ['invalid-type', '"0.5"', `\`temperature\` must be a number from 0 to 2, but YAML reads the string \`0.5\`: ${rejected}. Remove the quotes: \`temperature: 0.5\`.`, '0.5'],
      ['invalid-type', '1.5', `\`max_tokens\` must be a whole number of at least 1, but YAML reads the number \`1.5\`: ${rejected}. Use a whole number, e.g. \`max_tokens: 2\`.`, '2'],
      ['invalid-type', 'x', `\`seed\` must be a whole number, but YAML reads the string \`x\`: ${rejected}. Write a whole number, e.g. \`seed: 42\`.`, undefined],
    ]);
  });

  test('a number or boolean where a string is due is quoted as written', () => {
    assert.deepEqual(adviceFor('name: 1.50\nmemory:\n  ai_prefix: true\npartial_variables:\n  year: 2024\n'), [
      ['invalid-type', '1.50', '`name` must be a string, but YAML reads the number `1.5`. Quote it: `name: "1.50"`.', '"1.50"'],
      ['invalid-type', 'true', "`ai_prefix` must be a string, but YAML reads the boolean `true`: LangChain's ConversationBufferMemory would raise a validation error. Quote it: `ai_prefix: \"true\"`.", '"true"'],
      ['invalid-type', '2024', 'The partial `year` must be a string, but YAML reads the number `2024`. Quote it: `year: "2024"`.', '"2024"'],
    ]);
  });

  test('YAML 1.2 booleans: yes is a string', () => {
    assert.deepEqual(adviceFor('memory:\n  return_messages: yes\n'), [
      ['invalid-type', 'yes', '`return_messages` must be `true` or `false`, but YAML reads the string `yes`. Write `return_messages: true`, unquoted.', 'true'],
    ]);
    assert.equal(adviceFor('memory:\n  return_messages: maybe\n')[0]?.[2], '`return_messages` must be `true` or `false`, but YAML reads the string `maybe`. Write `return_messages: true` or `return_messages: false`.');
  });

  test('lists: a single name is wrapped, items are quoted one by one', () => {
    assert.deepEqual(adviceFor('input_variables: question\n'), [
      ['invalid-type', 'question', "`input_variables` must be a list of strings, but YAML reads the string `question`: LangChain's PromptTemplate would raise a validation error. Write it as a list: `input_variables: [question]`.", '[question]'],
    ]);
    assert.deepEqual(adviceFor('parameters:\n  stop: [1, END]\n'), [
      ['invalid-type', '1', `Each item of \`stop\` must be a string, but YAML reads the number \`1\`: ${rejected}. Quote it: \`"1"\`.`, '"1"'],
    ]);
  });

  test('an empty value, at its key', () => {
    assert.deepEqual(adviceFor('model:\n'), [
      ['invalid-type', 'model', `\`model\` must be a string, but it has no value: ${rejected}. Give it a value, e.g. \`model: gpt-4o-mini\`, or remove the line.`, undefined],
    ]);
  });

  test('blocks that are not maps', () => {
    assert.deepEqual(adviceFor('memory: true\nparameters: 3\n').map((a) => a[2]), [
      '`memory` must be `false` or a map of memory settings, but YAML reads the boolean `true`. Remove the line for the default memory, or write `memory: false` for none.',
      '`parameters` must be a map of settings, but YAML reads the number `3`. Write its settings on the lines below `parameters:`, indented, e.g. `temperature: 0.7`.',
    ]);
  });
});

describe('values a key does not accept', () => {
  test('with and without a did-you-mean', () => {
    assert.deepEqual(adviceFor('api: chatt\ntemplate_format: jinja2\n'), [
      ['invalid-value', 'chatt', '`api` must be `chat` or `completion`, not `chatt`: Prompt Chain would not know whether to call chat completions or completions. Did you mean `chat`?', 'chat'],
      ['invalid-value', 'jinja2', '`template_format` must be `f-string` or `mustache`, not `jinja2`: Prompt Chain reads variables only as f-string `{name}` or mustache `{{name}}`. Pick one of them.', undefined],
    ]);
  });
});
