import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { check, codes, messageOf } from './rules/check';
import { fixture } from '../support/fixture';
import { chatExample, completionExample } from '../support/examples';
import { errorsNow, isProvisional, validate, validateNow, validateSteps } from '../../service/diagnostics';
import { runSteps } from '../../core/steps';
import { rules } from '../../service/rules/index';
import { parsePrompt } from '../../core/format/parse';
import { ProblemCode } from '../../core/format/problems';
import { plainText } from '../../service/plainText';
import { getCodeActions } from '../../service/features/codeActions';

describe('validate', () => {
  test("LangChain's own examples are clean", () => {
    assert.deepEqual(validate(fixture(completionExample, { cursor: false }).ctx), []);
    assert.deepEqual(validate(fixture(chatExample, { cursor: false }).ctx), []);
  });

  test('parse problems come through one to one: code, message, severity, range', () => {
    const checked = check('---\n⟦memroy⟧:\n  key: x\n---\nHi ⟦{⟧name\n');
    const problems = parsePrompt(checked.text).problems;
    assert.deepEqual(codes(checked), ['unknown-key', 'fstring-unclosed-brace']);
    assert.deepEqual(checked.diagnostics.map((d) => d.range), checked.marked);
    // The parser writes Markdown code spans; the Problems panel gets them as plain text.
    assert.deepEqual(checked.diagnostics.map(messageOf), problems.map((p) => plainText(p.message)));
    assert.deepEqual(checked.diagnostics.map((d) => d.severity), [DiagnosticSeverity.Error, DiagnosticSeverity.Error]);
    assert.deepEqual(checked.diagnostics[0]?.data, { key: 'memroy', path: ['memroy'], suggestion: 'memory' });
  });

  test("every diagnostic is marked as Prompt Chain's, with a code", () => {
    const checked = check('---\nmemory:\n  key: chat_history\n---\n{history}\nHuman: {input}\n');
    assert.equal(checked.diagnostics.length, 2);
    for (const diagnostic of checked.diagnostics) {
      assert.equal(diagnostic.source, 'prompt-chain');
      assert.equal(typeof diagnostic.code, 'string');
    }
  });

  test('rule codes are unique and none collides with a parse problem code', () => {
    const ruleCodes = rules.map((rule) => rule.code);
    assert.equal(new Set(ruleCodes).size, ruleCodes.length);
    const parseCodes = new Set<string>(Object.values(ProblemCode));
    assert.deepEqual(ruleCodes.filter((code) => parseCodes.has(code)), []);
  });

  test('a 5,000-line prompt with stored memory validates to the one real problem', () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `Rule ${i}: keep answers about {topic} short.`);
    const text = `---\nmodel: gpt-4o-mini\ninput_key: question\npartial_variables:\n  topic: cats\n---\n${lines.join('\n')}\n{history}\nQ: {question}\nA: {answr}\n`;
    const storedTurns = Array.from({ length: 300 }, (_, i) => ({ input: `q${i}`, output: `a${i}` }));
    const diagnostics = validate(fixture(text, { cursor: false, storedTurns }).ctx);
    assert.deepEqual(diagnostics.map((d) => d.code), ['unprovided-variable']);
    assert.deepEqual(diagnostics[0]?.range, { start: { line: 5008, character: 3 }, end: { line: 5008, character: 10 } });
  });

  test('binary junk yields the parser problem and nothing else, without throwing', () => {
    const diagnostics = validate(fixture('\u0000\u0001\u0002{x}}{', { cursor: false }).ctx);
    assert.deepEqual(diagnostics.map((d) => d.code), ['binary-content']);
  });

  test('a broken memory setting is reported once, not again by every variable rule', () => {
    const misspelt = check('---\nmemroy:\n  key: chat_history\n---\n{chat_history}\nHuman: {input}\n');
    assert.deepEqual(codes(misspelt), ['unknown-key']);
    const unrelated = check('---\nauthor: me\nmemory:\n  key: chat_history\n---\n{history}\nHuman: {input}\n');
    assert.deepEqual(codes(unrelated), ['unknown-key', 'memory-key-unused', 'unprovided-variable']);
  });
});

/** Files that between them make most rules and many parse problems speak. */
const troubled = [
  '---\nmemroy:\n  key: x\n---\nHi {name\n',
  '---\nmemory:\n  key: chat_history\n---\n{history}\nHuman: {human_input}\n',
  'system:\nYou are {persona}.\n\nplaceholder:\n{history}\n\nhuman:\n{topic}: {human_input}\n',
  '---\ninput_key: question\ninput_variables: [question, tone]\npartial_variables:\n  tone: dry\n---\n{history}\n{question} {topic} {stop}\n',
  '---\nbase_url: http://x\napi_key: sk-1\ntemperature: 3\nmemory:\n  k: 2\n  scope: worksapce\n---\nSystem:\n{history}\n{input}\n',
  '---\nmemory:\n  key: "history "\n---\n{history}\nHuman: {input}\n',
  '---\nmemory:\n  return_messages: true\n---\nsystem:\nBe brief.\n\nhuman:\n{history}\n',
  '---\napi: completion\n---\nhuman:\n{history}\n{input}\n',
];

describe('plain text where Markdown is not rendered', () => {
  test('no diagnostic message and no quick-fix title shows a Markdown backtick', () => {
    for (const source of troubled) {
      const { ctx } = fixture(source, { cursor: false });
      const diagnostics = validate(ctx);
      assert.ok(diagnostics.length > 0, source);
      for (const diagnostic of diagnostics) {
        assert.doesNotMatch(messageOf(diagnostic), /`/, `${diagnostic.code} in ${JSON.stringify(source)}`);
        for (const action of getCodeActions(ctx, diagnostic.range, [diagnostic])) assert.doesNotMatch(action.title, /`/, action.title);
      }
    }
  });

  test("LangChain's error texts are quoted verbatim", () => {
    const checked = check('---\nmemory:\n  key: chat_history\n---\n{history}\nHuman: {human_input}\n');
    assert.match(messageOf(checked.diagnostics.find((d) => d.code === 'unprovided-variable')), /raises “Missing some input keys: \{'history'\}”/);
  });
});

describe('advice for the host that shows it', () => {
  const extra = '---\ninput_key: question\n---\n{history}\n{question} {topic}\n';
  const endpoint = '---\nbase_url: http://x\nopenai_api_key: sk-1\n---\n{history}\n{question}\n';
  const messages = (source: string, host?: 'editor' | 'cli'): string => validate(fixture(source, { cursor: false, settings: host ? { host } : {} }).ctx).map(messageOf).join('\n');

  test('the editor tells how to give a value in the editor: the chat panel, the user setting, the Set API Key command', () => {
    for (const text of [messages(extra), messages(extra, 'editor')]) {
      assert.match(text, /give it a value in the chat panel, which asks for it before each turn/);
      assert.doesNotMatch(text, /--var/);
    }
    const problems = messages(endpoint);
    assert.match(problems, /set the “promptChain\.baseUrl” user setting or the OPENAI_BASE_URL environment variable/);
    assert.match(problems, /use "Prompt Chain: Set API Key" or the OPENAI_API_KEY environment variable/);
    assert.doesNotMatch(problems, /--base-url/);
  });

  test('the CLI names its flags and the environment, never an editor setting or command', () => {
    assert.match(messages(extra, 'cli'), /pass it with each run \(“--var topic=…”\)/);
    const problems = messages(endpoint, 'cli');
    assert.match(problems, /pass “--base-url” or set the OPENAI_BASE_URL environment variable/);
    assert.match(problems, /set the OPENAI_API_KEY environment variable/);
    assert.doesNotMatch(problems, /promptChain\.|Prompt Chain: Set API Key/);
    const ambiguous = messages('{history}\n{persona} {human_input}\n', 'cli');
    assert.match(ambiguous, /pass them with each run \(“--var persona=…”\)/);
  });
});

describe('diagnostics per document', () => {
  test('at most 100 of one code are listed, then one summary saying how many more, at the 101st', () => {
    const text = `human:\n${'{x\n'.repeat(30_000)}Hi }\n`;
    const diagnostics = validate(fixture(text, { cursor: false }).ctx);
    const unclosed = diagnostics.filter((d) => d.code === 'fstring-unclosed-brace');
    assert.equal(unclosed.length, 100);
    assert.deepEqual(unclosed.map((d) => d.range.start.line), Array.from({ length: 100 }, (_, i) => i + 1));
    const more = diagnostics.filter((d) => d.code === 'more-problems');
    assert.equal(more.length, 1);
    assert.deepEqual(more[0]?.data, { code: 'fstring-unclosed-brace', count: 29_900 });
    assert.equal(more[0]?.range.start.line, 101);
    assert.match(String(more[0]?.message), /^29900 more “fstring-unclosed-brace” problems/);
    // another code is listed on its own count
    assert.equal(diagnostics.filter((d) => d.code === 'fstring-single-close-brace').length, 1);
  });

  test('100 of one code are all listed, with no summary', () => {
    const diagnostics = validate(fixture(`human:\n${'{x\n'.repeat(100)}`, { cursor: false }).ctx);
    assert.equal(diagnostics.filter((d) => d.code === 'fstring-unclosed-brace').length, 100);
    assert.equal(diagnostics.filter((d) => d.code === 'more-problems').length, 0);
  });
});

describe('validateNow', () => {
  const windowOf = (diagnostics: ReturnType<typeof validate>) => diagnostics.filter((d) => d.code === 'context-window-exceeded').map((d) => messageOf(d));
  const stored = Array.from({ length: 80 }, (_, i) => ({ input: `question ${i}:${' word'.repeat(100)}`, output: `answer ${i}:${' word'.repeat(100)}` }));
  const prompt = '---\nmodel: gpt-4\n---\nYou are a chatbot.\n{history}\nHuman: {input}\nAI:\n';

  test('before the token count it estimates, says the exact count follows, and keeps nothing', () => {
    const { ctx } = fixture(prompt, { storedTurns: stored, cursor: false });
    assert.equal(isProvisional(ctx), true);
    const [estimated] = windowOf(validateNow(ctx));
    assert.match(estimated ?? '', /formatted prompt is about [\d,]+ tokens \(estimated; the exact count follows\) which exceeds gpt-4's 8,192-token context window/);
    assert.equal(isProvisional(ctx), true);
    const complete = runSteps(validateSteps(ctx));
    assert.equal(isProvisional(ctx), false);
    assert.match(windowOf(complete)[0] ?? '', /formatted prompt is [\d,]+ tokens \(cl100k_base\)/);
    assert.deepEqual(validateNow(ctx), complete);
  });

  test('errorsNow: the errors before the count are the errors after it (only rules that warn count tokens)', () => {
    assert.deepEqual(rules.filter((rule) => rule.prepare).map((rule) => [rule.code, rule.severity]), [['context-window-exceeded', 'warning'], ['memory-limit-exceeds-window', 'warning']]);
    const { ctx } = fixture(`${prompt}{`, { storedTurns: stored, cursor: false });
    assert.equal(isProvisional(ctx), true);
    const before = errorsNow(ctx);
    assert.deepEqual(before.map((d) => d.code), ['fstring-unclosed-brace']);
    // Nothing was counted to answer: the context is still provisional.
    assert.equal(isProvisional(ctx), true);
    const complete = runSteps(validateSteps(ctx));
    assert.ok(complete.some((d) => d.code === 'context-window-exceeded' && d.severity === DiagnosticSeverity.Warning));
    assert.deepEqual(errorsNow(ctx), before);
  });

  test('a file with nothing to count is complete at once', () => {
    const { ctx } = fixture(completionExample, { cursor: false });
    assert.equal(isProvisional(ctx), false);
    assert.deepEqual(validateNow(ctx), validate(ctx));
  });
});
