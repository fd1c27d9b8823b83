import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_TEST_FILE_LENGTH, parseTestFile } from '../../../core/testing/testFile';
import type { TestFile, TestFileProblemCode } from '../../../core/testing/types';
import { issueExample } from '../../support/testRuns';

const slice = (text: string, span: { start: number; end: number }) => text.slice(span.start, span.end);

/** Each problem as `code @ the text it points at`. */
function problemsOf(text: string, file: TestFile = parseTestFile(text)): string[] {
  return file.problems.map((problem) => `${problem.code} @ ${slice(text, problem.span)}`);
}

function codes(text: string): TestFileProblemCode[] {
  return parseTestFile(text).problems.map((problem) => problem.code);
}

describe('parseTestFile: the issue example', () => {
  const file = parseTestFile(issueExample);

  test('reads without problems', () => {
    assert.deepEqual(file.problems, []);
    assert.equal(file.prompt, 'chatbot-chat.prompt');
    assert.equal(slice(issueExample, file.promptSpan), 'chatbot-chat.prompt');
  });

  test('the conversation, its vars and defaults', () => {
    const [conversation] = file.conversations;
    assert.ok(conversation);
    assert.equal(conversation.name, 'remembers the name');
    assert.equal(slice(issueExample, conversation.nameSpan), 'remembers the name');
    assert.deepEqual(conversation.vars, { persona: 'pirate' });
    assert.equal(slice(issueExample, conversation.varSpans['persona']!), 'persona');
    assert.equal(conversation.repeat, 1);
    assert.equal(conversation.passRate, 1);
    assert.equal(conversation.history, undefined);
    assert.ok(slice(issueExample, conversation.span).startsWith('name: remembers the name'));
  });

  test('turns in order, each assertion with its value and span', () => {
    const turns = file.conversations[0]!.turns;
    assert.deepEqual(turns.map((turn) => turn.input), ['My name is Ada.', 'What is my name?']);
    const second = turns[1]!.expect;
    assert.deepEqual(
      second.map((assertion) => ({ ...assertion, span: slice(issueExample, assertion.span) })),
      [
        { kind: 'prompt_contains', value: 'Human: My name is Ada.', span: 'prompt_contains: "Human: My name is Ada."' },
        { kind: 'regex', pattern: '(?i)\\bada\\b', span: 'regex: "(?i)\\\\bada\\\\b"' },
        { kind: 'not_contains', value: "I don't know", span: 'not_contains: "I don\'t know"' },
      ],
    );
    assert.ok(slice(issueExample, turns[0]!.span).startsWith('input: My name is Ada.'));
  });

  test('every key is recorded with its block for hover', () => {
    const keys = file.keys.map((key) => `${key.block}.${key.key}`);
    assert.deepEqual(keys.slice(0, 5), ['file.prompt', 'file.conversations', 'conversation.name', 'conversation.vars', 'conversation.turns']);
    assert.ok(keys.includes('assertion.prompt_contains'));
    assert.ok(keys.includes('turn.expect'));
  });
});

describe('parseTestFile: every assertion kind', () => {
  const text = `prompt: a.prompt
conversations:
  - name: all
    repeat: 5
    pass_rate: 0.8
    history: past.json
    turns:
      - input: 42
        expect:
          - equals: 42
          - starts_with: Hello
          - json: true
          - json: { schema: { type: object, required: [name] } }
          - max_tokens: 100
          - prompt_equals: |
              Human: hi
          - snapshot: true
          - judge: answers politely
          - judge: { rubric: is short, model: gpt-4o }
`;
  const file = parseTestFile(text);
  const conversation = file.conversations[0]!;

  test('no problems; plain scalars are text as written', () => {
    assert.deepEqual(problemsOf(text, file), []);
    assert.equal(conversation.turns[0]!.input, '42');
    assert.deepEqual(conversation.turns[0]!.expect[0], { kind: 'equals', value: '42', span: conversation.turns[0]!.expect[0]!.span });
  });

  test('repeat, pass_rate and history', () => {
    assert.equal(conversation.repeat, 5);
    assert.equal(conversation.passRate, 0.8);
    assert.equal(conversation.history, 'past.json');
    assert.equal(slice(text, conversation.historySpan!), 'past.json');
  });

  test('each kind with its typed value', () => {
    const values = conversation.turns[0]!.expect.map(({ span: _span, ...rest }) => rest);
    assert.deepEqual(values, [
      { kind: 'equals', value: '42' },
      { kind: 'starts_with', value: 'Hello' },
      { kind: 'json' },
      { kind: 'json', schema: { type: 'object', required: ['name'] } },
      { kind: 'max_tokens', limit: 100 },
      { kind: 'prompt_equals', value: 'Human: hi\n' },
      { kind: 'snapshot' },
      { kind: 'judge', rubric: 'answers politely' },
      { kind: 'judge', rubric: 'is short', model: 'gpt-4o' },
    ]);
  });
});

describe('parseTestFile: problems', () => {
  const wrap = (turnLines: string) => `prompt: a.prompt\nconversations:\n  - name: c\n    turns:\n      - input: hi\n        expect:\n${turnLines}`;

  test('an unknown key at every level, with a did-you-mean', () => {
    const text = 'promt: a.prompt\nconversations:\n  - nmae: c\n    turns:\n      - input: hi\n        expct: []\n';
    const problems = parseTestFile(text).problems;
    assert.deepEqual(problemsOf(text).filter((line) => line.startsWith('test-unknown-key')), [
      'test-unknown-key @ promt',
      'test-unknown-key @ nmae',
      'test-unknown-key @ expct',
    ]);
    assert.match(problems[0]!.message, /Did you mean `prompt`\?/);
    assert.match(problems.find((problem) => problem.message.includes('nmae'))!.message, /Did you mean `name`\?/);
  });

  test('a key written at the wrong level says where it belongs', () => {
    const text = 'prompt: a.prompt\nconversations:\n  - name: c\n    input: hi\n    turns:\n      - input: hi\n';
    const [problem] = parseTestFile(text).problems;
    assert.equal(problem?.code, 'test-unknown-key');
    assert.equal(problem?.message, '`input` belongs in a turn, not in a conversation: move it.');
  });

  test('missing keys', () => {
    assert.deepEqual(codes(''), ['test-missing-key', 'test-missing-key']);
    assert.deepEqual(problemsOf('conversations: []\n'), ['test-missing-key @ []', 'test-missing-key @ conversations: []']);
    const text = 'prompt: a.prompt\nconversations:\n  - vars: {}\n  - name: b\n    turns:\n      - expect: []\n';
    assert.deepEqual(problemsOf(text), ['test-missing-key @ vars', 'test-missing-key @ vars', 'test-missing-key @ expect']);
  });

  test('a conversation without a name is still listed, under its position', () => {
    const file = parseTestFile('prompt: a.prompt\nconversations:\n  - turns:\n      - input: hi\n');
    assert.deepEqual(file.conversations.map((conversation) => conversation.name), ['conversation 1']);
    assert.deepEqual(file.problems.map((problem) => problem.code), ['test-missing-key']);
  });

  test('values of the wrong type', () => {
    const text = 'prompt: [a]\nconversations:\n  - name: c\n    repeat: 0\n    pass_rate: 2\n    vars: [x]\n    turns: hi\n';
    assert.deepEqual(problemsOf(text), [
      'test-wrong-type @ [a]',
      'test-wrong-type @ 0',
      'test-wrong-type @ 2',
      'test-wrong-type @ [x]',
      'test-wrong-type @ hi',
    ]);
    assert.equal(parseTestFile(text).problems[1]!.message, '`repeat` must be a whole number from 1 up, not `0`.');
  });

  test('an unknown assertion, with a did-you-mean or the list of kinds', () => {
    const text = wrap('          - contain: Ada\n          - sounds_like: Ada\n');
    const problems = parseTestFile(text).problems;
    assert.deepEqual(problemsOf(text), ['test-unknown-assertion @ contain', 'test-unknown-assertion @ sounds_like']);
    assert.equal(problems[0]!.message, 'Unknown assertion `contain`. Did you mean `contains`?');
    assert.match(problems[1]!.message, /Use one of: contains, not_contains, equals, .*judge\./);
  });

  test("promptfoo's `type:` spelling is rewritten for the reader", () => {
    const text = wrap('          - type: icontains\n            value: Ada\n          - type: contains\n            value: Ada\n');
    const messages = parseTestFile(text).problems.map((problem) => problem.message);
    assert.deepEqual(messages, [
      'An assertion names its kind as the key: write `- contains: Ada`, not `type:`.',
      'An assertion names its kind as the key: write `- contains: Ada`, not `type:`.',
    ]);
  });

  test('bad assertion values, each at the value', () => {
    const text = wrap(
      [
        '          - regex: "(unclosed"',
        '          - regex: "(?x) a b"',
        '          - json: false',
        '          - json: { schema: 3 }',
        '          - max_tokens: 0',
        '          - snapshot: false',
        '          - judge: { model: gpt-4o }',
        '          - contains:',
        '          - snapshot',
        '          - contains: a\n            regex: b',
        '',
      ].join('\n'),
    );
    assert.deepEqual(problemsOf(text), [
      'test-bad-assertion @ "(unclosed"',
      'test-bad-assertion @ "(?x) a b"',
      'test-bad-assertion @ false',
      'test-bad-assertion @ 3',
      'test-bad-assertion @ 0',
      'test-bad-assertion @ false',
      'test-bad-assertion @ { model: gpt-4o }',
      'test-bad-assertion @ contains',
      'test-bad-assertion @ snapshot',
      'test-bad-assertion @ regex',
    ]);
    const messages = parseTestFile(text).problems.map((problem) => problem.message);
    assert.match(messages[0]!, /^The regex does not compile: .*Unterminated group/);
    assert.equal(messages[8], '`snapshot` needs a value: write `- snapshot: true`.');
    assert.equal(parseTestFile(text).conversations[0]!.turns[0]!.expect.length, 1, 'only the valid first key of the last item is kept');
  });

  test('duplicate names and keys', () => {
    const text = 'prompt: a.prompt\nprompt: b.prompt\nconversations:\n  - name: same\n    turns: [{ input: a }]\n  - name: same\n    turns: [{ input: b }]\n';
    assert.deepEqual(problemsOf(text), ['test-duplicate-key @ prompt', 'test-duplicate-name @ same']);
    assert.equal(parseTestFile(text).problems[1]!.span.start, text.lastIndexOf('same'));
  });

  test('YAML syntax errors, with the text around them still read', () => {
    const text = 'prompt: a.prompt\nconversations:\n  - name: "unclosed\n';
    const file = parseTestFile(text);
    assert.ok(file.problems.some((problem) => problem.code === 'test-yaml-syntax'));
    assert.equal(file.prompt, 'a.prompt');
  });
});

describe('parseTestFile: line breaks, aliases and size', () => {
  test('spans are offsets into the file as written, with \\r\\n line breaks', () => {
    const text = issueExample.replace(/\n/g, '\r\n');
    const file = parseTestFile(text);
    assert.deepEqual(file.problems, []);
    const turn = file.conversations[0]!.turns[1]!;
    assert.equal(slice(text, turn.expect[2]!.span), 'not_contains: "I don\'t know"');
    assert.equal(slice(text, file.conversations[0]!.nameSpan), 'remembers the name');
  });

  test('aliases are followed: shared vars and turns', () => {
    const text = 'prompt: a.prompt\nconversations:\n  - name: a\n    vars: &v { persona: pirate }\n    turns:\n      - &t { input: hi, expect: [{ contains: x }] }\n  - name: b\n    vars: *v\n    turns: [*t, *t]\n';
    const file = parseTestFile(text);
    assert.deepEqual(file.problems, []);
    assert.deepEqual(file.conversations[1]!.vars, { persona: 'pirate' });
    assert.deepEqual(file.conversations[1]!.turns.map((turn) => turn.input), ['hi', 'hi']);
  });

  test('aliases that multiply stop at a budget linear in the file', () => {
    // conversations × turns × assertions, each a list of 300 aliases: 27 million assertions written out
    const aliases = (name: string) => `[${Array(300).fill(`*${name}`).join(', ')}]`;
    const lines = [
      'prompt: a.prompt',
      'e: &e { contains: x }',
      `t: &t { input: x, expect: ${aliases('e')} }`,
      `c: &c { name: x, turns: ${aliases('t')} }`,
      `conversations: ${aliases('c')}`,
    ];
    const text = lines.join('\n');
    const started = performance.now();
    const file = parseTestFile(text);
    assert.ok(performance.now() - started < 2000);
    assert.ok(file.problems.some((problem) => problem.message.startsWith('The aliases of this file expand')));
  });

  test('a variable called __proto__ is a variable', () => {
    const file = parseTestFile('prompt: a.prompt\nconversations:\n  - name: a\n    vars: { __proto__: x }\n    turns: [{ input: hi }]\n');
    assert.deepEqual(Object.keys(file.conversations[0]!.vars), ['__proto__']);
    assert.equal(file.conversations[0]!.vars['__proto__'], 'x');
  });

  test('60,000 `{` left after a scalar inside a flow map: one problem at the first, not 60,000 errors composed', () => {
    const text = `{{\n  key: chat_hist${'{'.repeat(60_000)}\n`;
    const parsed = parseTestFile(text);
    assert.deepEqual(parsed.problems.map((p) => [p.code, p.message]), [['test-yaml-syntax', 'The test file has over 1000 YAML syntax errors, the first here, and was not read.']]);
    assert.equal(text.slice(parsed.problems[0]!.span.start, parsed.problems[0]!.span.start + 1), '{');
    assert.equal(parsed.problems[0]!.span.start, text.indexOf('chat_hist') + 'chat_hist'.length);
  });

  test('a file past the size limit is refused with one problem', () => {
    const text = `prompt: a.prompt\n# ${'x'.repeat(MAX_TEST_FILE_LENGTH)}\n`;
    assert.deepEqual(codes(text), ['test-yaml-syntax']);
  });

  test('never throws on odd YAML', () => {
    for (const text of ['[', '- a', '42', '? [a]\n: b', 'prompt: *nothing', '&a [*a]', '{{{{', 'conversations: [[[]]]', '\uFEFFprompt: a']) {
      const file = parseTestFile(text);
      assert.ok(Array.isArray(file.problems), text);
    }
  });
});
