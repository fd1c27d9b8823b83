import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_YAML_LENGTH, findFrontMatter, parseFrontMatter } from '../../../core/format/frontMatter';
import type { FrontMatter, ParseProblem } from '../../../core/format/model';

function parse(yaml: string): { text: string; frontMatter: FrontMatter; problems: ParseProblem[] } {
  const text = `---\n${yaml}---\nbody\n`;
  const block = findFrontMatter(text, 0);
  assert.ok(block);
  return { text, ...parseFrontMatter(text, block) };
}

/** [code, offending text] per problem. */
function problemsOf(yaml: string): [string, string][] {
  const { text, problems } = parse(yaml);
  return problems.map((p) => [p.code, text.slice(p.span.start, p.span.end)]);
}

const slice = (text: string, span: { start: number; end: number } | undefined) => (span ? text.slice(span.start, span.end) : undefined);

describe('front matter fences', () => {
  test('finds the block, the YAML inside it and the body start', () => {
    const text = '---\nname: x\n---\nbody';
    assert.deepEqual(findFrontMatter(text, 0), {
      span: { start: 0, end: 16 },
      yamlSpan: { start: 4, end: 12 },
      closed: true,
      bodyStart: 16,
    });
  });

  test('only at the very top, and fences may carry trailing spaces', () => {
    assert.equal(findFrontMatter('\n---\nname: x\n---\n', 0), undefined);
    assert.equal(findFrontMatter('--- x\n---\n', 0), undefined);
    assert.equal(findFrontMatter('----\n---\n', 0), undefined);
    assert.equal(findFrontMatter('---  \nname: x\n--- \t\nbody', 0)?.bodyStart, 20);
  });

  test('after a BOM and with CRLF line breaks', () => {
    const text = '\uFEFF---\r\nname: x\r\n---\r\nbody';
    assert.deepEqual(findFrontMatter(text, 1), {
      span: { start: 1, end: 20 },
      yamlSpan: { start: 6, end: 15 },
      closed: true,
      bodyStart: 20,
    });
  });

  test('an unclosed fence takes the whole file and is reported at the opening ---', () => {
    const text = '---\nname: x\n';
    const block = findFrontMatter(text, 0);
    assert.deepEqual(block, { span: { start: 0, end: 12 }, yamlSpan: { start: 4, end: 12 }, closed: false, bodyStart: 12 });
    assert.ok(block);
    const { problems } = parseFrontMatter(text, block);
    assert.deepEqual(problems.map((p) => [p.code, p.span]), [['unclosed-front-matter', { start: 0, end: 3 }]]);
  });

  test('an empty front matter is fine', () => {
    const { frontMatter, problems } = parse('');
    assert.deepEqual(problems, []);
    assert.deepEqual(frontMatter.fields, []);
  });
});

describe('front matter keys', () => {
  test('every accepted key, typed and located', () => {
    const yaml = [
      'name: Chatbot',
      'description: A friendly bot',
      'model: gpt-4o-mini',
      'api: chat',
      'template_format: mustache',
      'input_variables: [human_input, topic]',
      'input_key: human_input',
      'partial_variables:',
      '  topic: cooking',
      'memory:',
      '  type: buffer_window',
      '  k: 3',
      '  key: chat_history',
      '  return_messages: true',
      '  human_prefix: User',
      '  ai_prefix: Bot',
      '  scope: workspace',
      'parameters:',
      '  temperature: 0.7',
      '  max_tokens: 256',
      '  top_p: 1',
      '  stop: ["\\n", END]',
      '  seed: 42',
      '  presence_penalty: -0.5',
      '  frequency_penalty: 2',
      '',
    ].join('\n');
    const { text, frontMatter, problems } = parse(yaml);
    assert.deepEqual(problems, []);
    assert.equal(frontMatter.name?.value, 'Chatbot');
    assert.equal(slice(text, frontMatter.name?.keySpan), 'name');
    assert.equal(slice(text, frontMatter.name?.span), 'Chatbot');
    assert.equal(frontMatter.description?.value, 'A friendly bot');
    assert.equal(frontMatter.model?.value, 'gpt-4o-mini');
    assert.equal(frontMatter.api?.value, 'chat');
    assert.equal(frontMatter.templateFormat?.value, 'mustache');
    assert.deepEqual(frontMatter.inputVariables?.value.map((v) => [v.value, slice(text, v.span)]), [['human_input', 'human_input'], ['topic', 'topic']]);
    assert.equal(frontMatter.inputKey?.value, 'human_input');
    assert.deepEqual(frontMatter.partialVariables?.value.map((p) => [p.name, p.value, slice(text, p.keySpan), slice(text, p.span)]), [['topic', 'cooking', 'topic', 'cooking']]);
    const memory = frontMatter.memory;
    assert.ok(memory && !('value' in memory));
    assert.equal(memory.type?.value, 'buffer_window');
    assert.equal(memory.k?.value, 3);
    assert.equal(memory.key?.value, 'chat_history');
    assert.equal(slice(text, memory.key?.span), 'chat_history');
    assert.equal(memory.returnMessages?.value, true);
    assert.equal(memory.humanPrefix?.value, 'User');
    assert.equal(memory.aiPrefix?.value, 'Bot');
    assert.equal(memory.scope?.value, 'workspace');
    assert.deepEqual(frontMatter.parameters?.value, {
      temperature: 0.7, max_tokens: 256, top_p: 1, stop: ['\n', 'END'], seed: 42, presence_penalty: -0.5, frequency_penalty: 2,
    });
    assert.deepEqual(frontMatter.parameters?.fields.map((f) => f.path.join('.')), [
      'parameters.temperature', 'parameters.max_tokens', 'parameters.top_p', 'parameters.stop', 'parameters.seed',
      'parameters.presence_penalty', 'parameters.frequency_penalty',
    ]);
  });

  test('fields record every key and value with its path, unknown keys included', () => {
    const { text, frontMatter } = parse('model: m\nmemory:\n  key: k\nextra: 1\n');
    assert.deepEqual(frontMatter.fields.map((f) => [f.path.join('.'), slice(text, f.keySpan), slice(text, f.valueSpan), f.value]), [
      ['model', 'model', 'm', 'm'],
      ['memory', 'memory', 'key: k', { key: 'k' }],
      ['memory.key', 'key', 'k', 'k'],
      ['extra', 'extra', '1', 1],
    ]);
  });

  test('memory: false', () => {
    const { text, frontMatter, problems } = parse('memory: false\n');
    assert.deepEqual(problems, []);
    assert.deepEqual(frontMatter.memory && 'value' in frontMatter.memory ? [frontMatter.memory.value, slice(text, frontMatter.memory.span)] : undefined, [false, 'false']);
  });

  test('a single stop string becomes a list', () => {
    assert.deepEqual(parse('parameters:\n  stop: "Human:"\n').frontMatter.parameters?.value.stop, ['Human:']);
  });

  test('the front matter must be a map', () => {
    assert.deepEqual(problemsOf('- a\n- b\n'), [['front-matter-not-a-map', '- a\n- b']]);
  });
});

describe('front matter problems', () => {
  test('unknown keys, at the key, with did-you-mean data for a quick fix', () => {
    const { text, problems } = parse('memroy:\n  key: x\n');
    assert.deepEqual(problems.map((p) => [p.code, slice(text, p.span), p.data]), [
      ['unknown-key', 'memroy', { key: 'memroy', path: ['memroy'], suggestion: 'memory' }],
    ]);
    assert.match(problems[0]?.message ?? '', /Did you mean `memory`\?/);
  });

  test('unknown nested keys; LangChain names map to ours', () => {
    const { problems } = parse('memory:\n  memory_key: x\n  retrun_messages: true\nparameters:\n  temprature: 1\n  foo: 2\n');
    assert.deepEqual(problems.map((p) => [p.code, p.data?.['key'], p.data?.['suggestion']]), [
      ['unknown-key', 'memory_key', 'key'],
      ['unknown-key', 'retrun_messages', 'return_messages'],
      ['unknown-key', 'temprature', 'temperature'],
      ['unknown-key', 'foo', undefined],
    ]);
  });

  test('a parameter at the top level is told where it belongs', () => {
    const { problems } = parse('temperature: 0.5\n');
    assert.match(problems[0]?.message ?? '', /under `parameters:`/);
  });

  test('wrong types, at the value', () => {
    assert.deepEqual(problemsOf('name: 3\nmodel: [a]\ninput_key: {a: 1}\n'), [
      ['invalid-type', '3'],
      ['invalid-type', '[a]'],
      ['invalid-type', '{a: 1}'],
    ]);
    assert.deepEqual(problemsOf('memory: true\n'), [['invalid-type', 'true']]);
    assert.deepEqual(problemsOf('memory:\n  return_messages: "yes"\n'), [['invalid-type', '"yes"']]);
    assert.deepEqual(problemsOf('parameters:\n  max_tokens: 1.5\n  seed: x\n'), [['invalid-type', '1.5'], ['invalid-type', 'x']]);
    assert.deepEqual(problemsOf('parameters:\n  temperature: "0.5"\n'), [['invalid-type', '"0.5"']]);
    assert.deepEqual(problemsOf('parameters: 3\n'), [['invalid-type', '3']]);
  });

  test('an empty value is reported at its key', () => {
    assert.deepEqual(problemsOf('model:\n'), [['invalid-type', 'model']]);
  });

  test('list items of the wrong type, one by one', () => {
    assert.deepEqual(problemsOf('input_variables: [a, 2, true]\n'), [['invalid-type', '2'], ['invalid-type', 'true']]);
    assert.deepEqual(problemsOf('input_variables: a\n'), [['invalid-type', 'a']]);
    assert.deepEqual(problemsOf('parameters:\n  stop: [1]\n'), [['invalid-type', '1']]);
  });

  test('partial variables must be strings, as LangChain requires', () => {
    const { frontMatter, problems, text } = parse('partial_variables:\n  a: 1\n  b: true\n  c: ok\n');
    assert.deepEqual(problems.map((p) => [p.code, slice(text, p.span)]), [['invalid-type', '1'], ['invalid-type', 'true']]);
    assert.deepEqual(frontMatter.partialVariables?.value.map((p) => p.name), ['c']);
  });

  test('enum values outside the allowed set, with a suggestion', () => {
    const { text, problems } = parse('api: chatt\ntemplate_format: jinja2\nmemory:\n  type: window\n  scope: global\n');
    assert.deepEqual(problems.map((p) => [p.code, slice(text, p.span), p.data?.['suggestion']]), [
      ['invalid-value', 'chatt', 'chat'],
      ['invalid-value', 'jinja2', undefined],
      ['invalid-value', 'window', undefined],
      ['invalid-value', 'global', undefined],
    ]);
    assert.deepEqual(problems[0]?.data?.['allowed'], ['chat', 'completion']);
  });

  test('numbers out of range, at the value', () => {
    assert.deepEqual(problemsOf([
      'memory:', '  type: buffer_window', '  k: 0',
      'parameters:', '  temperature: 2.5', '  max_tokens: 0', '  top_p: -0.1', '  presence_penalty: 3', '  frequency_penalty: -2.1', '',
    ].join('\n')), [
      ['out-of-range', '0'],
      ['out-of-range', '2.5'],
      ['out-of-range', '0'],
      ['out-of-range', '-0.1'],
      ['out-of-range', '3'],
      ['out-of-range', '-2.1'],
    ]);
    assert.deepEqual(problemsOf('parameters:\n  temperature: 0\n  top_p: 1\n  presence_penalty: -2\n'), []);
  });

  test('k without buffer_window is no parse problem (the rule memory-k-ignored reports it)', () => {
    assert.deepEqual(parse('memory:\n  k: 3\n').problems, []);
  });

  test('duplicate keys, at the second one', () => {
    const { text, problems } = parse('model: a\nmodel: b\n');
    assert.deepEqual(problems.map((p) => [p.code, p.span.start, slice(text, p.span)]), [['duplicate-key', 13, 'model']]);
  });

  test('YAML syntax errors at their position, and the rest is still read', () => {
    const { text, problems, frontMatter } = parse('model: gpt\nname: "unterminated\n');
    assert.equal(frontMatter.model?.value, 'gpt');
    const syntax = problems.filter((p) => p.code === 'yaml-syntax');
    assert.ok(syntax.length > 0);
    assert.ok(syntax.every((p) => p.span.start >= 4 && p.span.end <= text.indexOf('---', 4)));
    assert.equal(syntax[0]?.data?.['yamlCode'], 'MISSING_CHAR');
  });

  test('a YAML error reported at a point is widened to the token there, or the last one before it', () => {
    const yamlErrors = (yaml: string) => problemsOf(yaml).filter(([code]) => code === 'yaml-syntax').map(([, at]) => at);
    assert.deepEqual(yamlErrors('model: [\n'), ['[']);
    assert.deepEqual(yamlErrors('model: {\n'), ['{']);
    assert.deepEqual(yamlErrors('name: "unterminated\n'), ['"unterminated']);
    assert.deepEqual(yamlErrors("name: 'abc\n\n\n"), ["'abc"]);
    assert.deepEqual(yamlErrors('input_variables: [a, b\n'), ['b']);
    assert.deepEqual(yamlErrors('name: @x\n'), ['@']);
  });

  test('YAML warnings are warnings, at the construct', () => {
    const { text, problems } = parse('name: !!foo x\n');
    assert.deepEqual(problems.map((p) => [p.code, p.severity, slice(text, p.span), p.data?.['yamlCode']]), [
      ['yaml-warning', 'warning', '!!foo', 'TAG_RESOLVE_FAILED'],
    ]);
  });

  test('duplicate keys in nested maps and partials too', () => {
    const { problems } = parse('memory:\n  key: a\n  key: b\npartial_variables:\n  x: "1"\n  x: "2"\n');
    assert.deepEqual(problems.map((p) => [p.code, p.data?.['path']]), [
      ['duplicate-key', ['memory', 'key']],
      ['duplicate-key', ['partial_variables', 'x']],
    ]);
  });

  test('tab indentation is a YAML error at the tab', () => {
    const { text, problems } = parse('memory:\n\tkey: x\n');
    assert.ok(problems.some((p) => p.code === 'yaml-syntax' && text.slice(p.span.start, p.span.start + 1) === '\t'));
  });

  test('aliases resolve; an alias bomb does not hang or throw', () => {
    assert.equal(parse('name: &n Bot\ndescription: *n\n').frontMatter.description?.value, 'Bot');
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 0; i < 8; i++) bomb.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`);
    const { problems } = parse(bomb.join('\n') + '\n');
    assert.ok(problems.every((p) => p.code === 'unknown-key'));
  });

  test('CRLF front matter: spans exact', () => {
    const text = '---\r\nmodel: m\r\nmemory:\r\n  key: chat_history\r\n---\r\nx';
    const block = findFrontMatter(text, 0);
    assert.ok(block);
    const { frontMatter, problems } = parseFrontMatter(text, block);
    assert.deepEqual(problems, []);
    assert.equal(slice(text, frontMatter.model?.span), 'm');
    const memory = frontMatter.memory;
    assert.ok(memory && !('value' in memory));
    assert.equal(slice(text, memory.key?.span), 'chat_history');
    assert.equal(slice(text, memory.span), 'key: chat_history');
  });
});

describe('front matter line ends', () => {
  const lf = '---\nmemory:\n  key: chat_history\n  return_messages: true\ndescription: |\n  two\n  lines\nname: "folded\n  quote"\n---\nbody';

  for (const [what, lineEnd] of [['CR-only', '\r'], ['CRLF', '\r\n']] as const) {
    test(`${what}: nested maps, block scalars and folded quotes read as with LF, at the same lines`, () => {
      const text = lf.split('\n').join(lineEnd);
      const block = findFrontMatter(text, 0);
      assert.ok(block);
      const { frontMatter, problems } = parseFrontMatter(text, block);
      assert.deepEqual(problems, []);
      const memory = frontMatter.memory;
      assert.ok(memory && !('value' in memory));
      assert.equal(memory.key?.value, 'chat_history');
      assert.equal(slice(text, memory.key?.span), 'chat_history');
      assert.equal(memory.returnMessages?.value, true);
      // Values hold `\n`, as PyYAML gives them after Python's universal newlines.
      assert.equal(frontMatter.description?.value, 'two\nlines\n');
      assert.equal(frontMatter.name?.value, 'folded quote');
      assert.deepEqual(frontMatter.fields.map((f) => f.path.join('.')), ['memory', 'memory.key', 'memory.return_messages', 'description', 'name']);
    });
  }

  test('CR-only: a YAML error is the same error as with LF, at the same place', () => {
    const lfText = '---\nmemory:\n  key: [a\nname: x\n---\nbody';
    const crText = lfText.replaceAll('\n', '\r');
    const [lfProblems, crProblems] = [lfText, crText].map((text) => parseFrontMatter(text, findFrontMatter(text, 0)!).problems);
    assert.ok(lfProblems && lfProblems.length > 0);
    assert.deepEqual(crProblems?.map((p) => [p.code, p.message, p.span]), lfProblems.map((p) => [p.code, p.message, p.span]));
  });
});

describe('front matter nesting', () => {
  function deepProblem(yaml: string): [string, number, string] | undefined {
    const { text, problems, frontMatter } = parse(yaml);
    const found = problems.find((p) => p.code === 'front-matter-too-deep');
    if (found) assert.deepEqual(frontMatter.fields, [], 'a front matter too deep is not read');
    return found && [found.code, found.span.start, text.slice(found.span.start, found.span.end)];
  }

  test('800 nested `[` is a positioned error where it passes 100 levels, not a stack overflow', () => {
    // The top-level map is the first level, so the 100th `[` is the 101st.
    const at = 4 + 'parameters: '.length + 99;
    assert.deepEqual(deepProblem(`parameters: ${'['.repeat(800)}${']'.repeat(800)}\n`), ['front-matter-too-deep', at, '[']);
    const { problems } = parse(`parameters: ${'['.repeat(800)}${']'.repeat(800)}\n`);
    assert.deepEqual(problems.map((p) => p.code), ['front-matter-too-deep']);
    assert.match(problems[0]?.message ?? '', /nests deeper than 100 levels/);
  });

  // Indented blocks 100 deep take 5,000 spaces, past the size limit: they count towards the depth with the rest.
  const indented = (levels: number): string => Array.from({ length: levels }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n');

  test('every way of nesting counts: flow maps, unclosed brackets, `- ` items, `? ` keys, indented blocks', () => {
    const levels = 150;
    const cases = [
      `name: ${'{a: '.repeat(levels)}x${'}'.repeat(levels)}\n`,
      `name: ${'['.repeat(levels)}\n`,
      `name:\n  ${'- '.repeat(levels)}x\n`,
      `${'? '.repeat(levels)}x\n`,
      `${indented(60)} ${'['.repeat(levels - 60)}\n`,
    ];
    for (const yaml of cases) assert.equal(deepProblem(yaml)?.[0], 'front-matter-too-deep', yaml.slice(0, 40));
  });

  test('100 levels (the top-level map and 99 more) are read as usual', () => {
    const read = (yaml: string): string[] => {
      assert.equal(deepProblem(yaml), undefined);
      return parse(yaml).problems.map((p) => p.code);
    };
    // read: `name` is not a list, `k0` is no setting
    assert.deepEqual(read(`name: ${'['.repeat(99)}${']'.repeat(99)}\n`), ['invalid-type']);
    assert.deepEqual(read(`${indented(60)} ${'['.repeat(39)}${']'.repeat(39)}\n`), ['unknown-key']);
  });

  test('a value holding a list or map as a key is left unconverted (yaml would re-stringify it at every level)', () => {
    const long = 'x'.repeat(MAX_YAML_LENGTH - 400);
    const { frontMatter } = parse(`name: ${'{'.repeat(99)}${long}${'}'.repeat(99)}\nmodel: {[a]: 1}\ndescription: {a: [1, {b: 2}]}\n`);
    assert.deepEqual(frontMatter.fields.map((f) => [f.path.join('.'), f.value]), [
      ['name', undefined],
      ['model', undefined],
      ['description', { a: [1, { b: 2 }] }],
    ]);
  });

  test('nested brackets up to the size limit are refused where they pass 100 levels', () => {
    const { text, problems } = parse(`name: ${'['.repeat(MAX_YAML_LENGTH - 10)}\n`);
    assert.deepEqual(problems.map((p) => [p.code, p.span.start, text.slice(p.span.start, p.span.end)]), [['front-matter-too-deep', 4 + 'name: '.length + 99, '[']]);
  });

  test('200,000 nested `[` or `{` on one line: refused as too large, where the limit is passed, with no nesting error', () => {
    for (const bracket of ['[', '{']) {
      const { text, problems } = parse(`name: ${bracket.repeat(200_000)}\n`);
      assert.deepEqual(problems.map((p) => [p.code, p.span.start, p.span.end]), [['front-matter-too-large', 4 + MAX_YAML_LENGTH, text.indexOf('\n---')]]);
    }
  });
});

describe('front matter size', () => {
  test('a huge front matter is reported at the line that passes the limit, from there, and not parsed', () => {
    const text = '---\n' + 'name: x\n'.repeat(40_000) + '---\nbody';
    const block = findFrontMatter(text, 0);
    assert.ok(block);
    const { frontMatter, problems } = parseFrontMatter(text, block);
    const start = 4 + MAX_YAML_LENGTH;
    assert.deepEqual(problems.map((p) => [p.code, p.span]), [['front-matter-too-large', { start, end: text.indexOf('\n', start) }]]);
    assert.match(problems[0]?.message ?? '', /^The front matter passes 4 KB here and was not read\./);
    assert.deepEqual(frontMatter.fields, []);
  });

  test('a front matter of exactly the limit is read; one character more is not', () => {
    const filler = (length: number): string => `description: ${'x'.repeat(length - 'description: \n'.length)}\n`;
    assert.deepEqual(parse(filler(MAX_YAML_LENGTH)).problems, []);
    assert.deepEqual(parse(filler(MAX_YAML_LENGTH + 1)).problems.map((p) => p.code), ['front-matter-too-large']);
  });

  test('the limit is counted as written: CRLF line breaks count two', () => {
    const crlf = (text: string) => text.replaceAll('\n', '\r\n');
    const lines = Math.floor(MAX_YAML_LENGTH / 'k0000: x\r\n'.length) + 1;
    const yaml = Array.from({ length: lines }, (_, i) => `k${String(i).padStart(4, '0')}: x\n`).join('');
    assert.ok(yaml.length <= MAX_YAML_LENGTH);
    const text = crlf(`---\n${yaml}---\nbody\n`);
    const { problems } = parseFrontMatter(text, findFrontMatter(text, 0)!);
    assert.equal(problems.length, 1);
    const span = problems[0]!.span;
    assert.equal(problems[0]?.code, 'front-matter-too-large');
    assert.ok(text[span.start] !== '\n' && text.slice(span.start, span.end).indexOf('\r') === -1, JSON.stringify(text.slice(span.start - 2, span.end + 2)));
  });

  test('a multi-KB value that fits (a long description or partial) is read as usual', () => {
    const persona = 'A patient tutor who explains each step. '.repeat(80);
    const { problems, frontMatter } = parse(`partial_variables:\n  persona: |\n    ${persona}\n`);
    assert.deepEqual(problems, []);
    assert.deepEqual(frontMatter.partialVariables?.value.map((p) => [p.name, p.value]), [['persona', `${persona}\n`]]);
  });
});

describe('front matter with a huge number of YAML errors', () => {
  test('600 stray tokens give one positioned problem each', () => {
    const yaml = `memory:\n  key: chat_history\n${'{b}{a}'.repeat(100)}\n`;
    const { text, problems } = parse(yaml);
    assert.ok(problems.length >= 500, `${problems.length} problems`);
    assert.ok(problems.every((p) => p.code === 'yaml-syntax' || p.code === 'yaml-warning' || p.code === 'invalid-type'), [...new Set(problems.map((p) => p.code))].join());
    assert.ok(problems.every((p) => p.span.start >= 4 && p.span.end <= text.indexOf('\n---\n') + 1));
  });

  test('the stack trace limit is what it was after yaml ran, even when yaml reported errors', () => {
    const before = Error.stackTraceLimit;
    parse(`parameters:\n  stop: ${'}'.repeat(10)}\n`);
    assert.equal(Error.stackTraceLimit, before);
  });
});

describe('front matter past the YAML error budget', () => {
  test('over 1,000 syntax errors: one positioned problem, the YAML not read', () => {
    const { text, problems, frontMatter } = parse(`model: gpt-4o\n${'}'.repeat(MAX_YAML_LENGTH - 100)}\n`);
    assert.deepEqual(problems.map((p) => p.code), ['yaml-too-many-errors']);
    assert.equal(text.slice(problems[0]?.span.start, problems[0]?.span.end), '}');
    assert.match(problems[0]?.message ?? '', /over 1000 YAML syntax errors/);
    assert.deepEqual(frontMatter.fields, []);
  });

  test('1,000 errors are each reported as usual', () => {
    const { problems } = parse(`model: gpt-4o\n${'}'.repeat(1000)}\n`);
    assert.ok(problems.length >= 1000 && problems.every((p) => p.code.startsWith('yaml-')));
  });
});

describe('front matter whose composing finds the errors', () => {
  test('3,000 `{` after a flow map in a block: composing stops past 1,000 errors, one problem at the first', () => {
    const { text, problems } = parse(`name: x\ninput_key: k0:\n  k1:\n   {chat_history}${'{'.repeat(3000)}\n`);
    assert.deepEqual(problems.map((p) => p.code), ['yaml-too-many-errors']);
    assert.equal(text.slice(problems[0]?.span.start, problems[0]?.span.end), '{');
  });
});

describe('front matter of the densest shapes, up to the size limit (the test timeout is the guard)', () => {
  const fill = (head: string, unit: string, tail: string): string => head + unit.repeat(Math.floor((MAX_YAML_LENGTH - head.length - tail.length) / unit.length)) + tail;

  test('a thousand aliases are each resolved to their anchor', () => {
    const yaml = fill('input_variables: [&q question, ', '*q, ', ']\n');
    const { problems, frontMatter } = parse(yaml);
    assert.deepEqual(problems, []);
    const names = frontMatter.inputVariables?.value.map((v) => v.value) ?? [];
    assert.ok(names.length > 900 && names.every((name) => name === 'question'), `${names.length}`);
  });

  test('an alias names the last anchor of its name before it, as yaml resolves it', () => {
    const { frontMatter } = parse('name: &a first\ndescription: *a\nmodel: &a second\ninput_key: *a\n');
    assert.deepEqual([frontMatter.description?.value, frontMatter.inputKey?.value], ['first', 'second']);
  });

  test('collections holding aliases keep their values', () => {
    const { frontMatter } = parse('parameters:\n  stop: &s ["\\n", "Human:"]\ndescription: {a: *s}\n');
    assert.deepEqual(frontMatter.fields.find((f) => f.path.join('.') === 'description')?.value, { a: ['\n', 'Human:'] });
    assert.deepEqual(frontMatter.parameters?.value.stop, ['\n', 'Human:']);
  });

  test('thousands of empty keys: each duplicate and unknown key reported, positioned', () => {
    const yaml = fill('', ':\n', '');
    const { text, problems } = parse(yaml);
    const lines = yaml.length / 2;
    assert.equal(problems.filter((p) => p.code === 'unknown-key').length, lines);
    assert.equal(problems.filter((p) => p.code === 'duplicate-key').length, lines - 1);
    assert.ok(problems.every((p) => p.span.start >= 4 && p.span.end <= text.indexOf('\n---\n') + 1));
  });

  test('flow items, empty collections, mixed nesting, `- ` items 98 deep: read, every item counted', () => {
    const shapes = [
      fill('description: [', 'a,', ']\n'),
      fill('description: [', '[], ', ']\n'),
      fill('description: [', '{a: [b, {c: d}], e: [[f]]}, ', ']\n'),
      fill('description:\n', `${'- '.repeat(98)}x\n`, ''),
      fill('description:\n', '- a\n', ''),
    ];
    const units = ['a,', '[], ', '{a: [b, {c: d}], e: [[f]]}, ', `${'- '.repeat(98)}x\n`, '- a\n'];
    shapes.forEach((yaml, i) => {
      const { problems, frontMatter } = parse(yaml);
      assert.deepEqual(problems.map((p) => p.code), ['invalid-type'], yaml.slice(0, 40));
      const value = frontMatter.fields[0]?.value;
      const count = Math.floor((MAX_YAML_LENGTH - 16) / units[i]!.length);
      assert.ok(Array.isArray(value) && value.length >= count - 1, `${yaml.slice(0, 40)}: ${Array.isArray(value) ? value.length : typeof value} of ${count}`);
    });
  });
});
