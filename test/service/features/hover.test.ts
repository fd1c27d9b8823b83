import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Hover, MarkupContent } from 'vscode-languageserver-types';
import { getHover } from '../../../service/features/hover';
import { validate } from '../../../service/diagnostics';
import { fixture, type FixtureOptions } from '../../support/fixture';
import { chatExample, variant } from '../../support/examples';

function hover(source: string, options: FixtureOptions = {}): Hover | null {
  const f = fixture(source, options);
  return getHover(f.ctx, f.position);
}

function hoverText(source: string, options: FixtureOptions = {}): string {
  const result = hover(source, options);
  assert.ok(result, 'expected a hover');
  return (result.contents as MarkupContent).value;
}

describe('hover on a variable', () => {
  test('the memory variable: memory kind, shape and the turns stored for this workspace', () => {
    const turns = [
      { input: 'hi', output: 'hello' },
      { input: 'how are you?', output: 'fine' },
      { input: 'bye', output: 'bye' },
    ];
    const result = hover(variant(chatExample, '{chat_history}', '{chat_h|istory}'), { storedTurns: turns });
    assert.deepEqual(result?.range, { start: { line: 9, character: 1 }, end: { line: 9, character: 13 } });
    const text = (result?.contents as MarkupContent).value;
    assert.match(text, /^\*\*`\{chat_history\}`\*\* — conversation history from memory/);
    assert.match(text, /ConversationBufferMemory \(`memory_key="chat_history"`\)/);
    assert.match(text, /as a list of messages/);
    assert.match(text, /3 turns stored for this workspace\./);
  });

  test('a window memory returning a string, nothing stored yet', () => {
    const text = hoverText('---\nmemory:\n  type: buffer_window\n  k: 3\n  human_prefix: User\n---\n{his|tory}\nUser: {input}\n');
    assert.match(text, /ConversationBufferWindowMemory \(`memory_key="history"`, `k=3`\): the last 3 exchanges/);
    assert.match(text, /as one string \(`return_messages: false`\): `User: …` and `AI: …` lines/);
    assert.match(text, /No turns stored for this workspace yet\./);
  });

  test('one stored turn is singular', () => {
    assert.match(hoverText('{his|tory}\n{input}\n', { storedTurns: [{ input: 'a', output: 'b' }] }), /1 turn stored for this workspace\./);
  });

  test('the input key, inferred as the only free variable', () => {
    const text = hoverText('{history}\nHuman: {hu|man_input}\n');
    assert.match(text, /— the user's input/);
    assert.match(text, /only variable that is not the memory key or a partial/);
  });

  test('the input key named by input_key', () => {
    assert.match(hoverText('---\ninput_key: question\n---\n{history}\n{context}\n{ques|tion}\n'), /`input_key: question`/);
  });

  test('a partial shows its value', () => {
    const text = hoverText('---\npartial_variables:\n  persona: a pirate\n---\nYou are {per|sona}.\n{history}\n{input}\n');
    assert.match(text, /partial variable/);
    assert.match(text, /```text\na pirate\n```/);
  });

  test('a variable nothing provides: what LangChain raises', () => {
    const text = hoverText('---\ninput_key: question\n---\n{history}\n{question} about {to|pic}\n');
    assert.match(text, /— not provided/);
    assert.match(text, /the memory key \(`history`\), the input key \(`question`\) or a partial/);
    assert.match(text, /Unless a value is given for each turn, LangChain will raise `Missing some input keys: \{'topic'\}`\./);
  });

  test('a near miss of the memory key: did you mean, and the error the diagnostic predicts', () => {
    const text = hoverText('---\nmemory:\n  key: chat_history\n---\n{hist|ory}\nHuman: {human_input}\n');
    assert.match(text, /^\*\*`\{history\}`\*\* — not provided/);
    assert.match(text, /Did you mean `\{chat_history\}`, the memory key\?/);
    assert.match(text, /LangChain will raise `Missing some input keys: \{'history'\}`\./);
    assert.doesNotMatch(text, /One input key expected/);
    assert.match(hoverText('---\nmemory:\n  key: chat_history\n---\n{history}\nHuman: {human_in|put}\n'), /— the user's input\n\nEach chat turn's input text fills it \(once `\{history\}` is fixed, it is the only variable left for the input\)/);
  });

  test('two free variables and no input_key: One input key expected', () => {
    const text = hoverText('{history}\n{a|} {b}\n');
    assert.match(text, /the input key \(none: LangChain cannot tell which variable takes the input; set `input_key`\)/);
    assert.match(text, /LangChain will raise `One input key expected got \['a', 'b'\]`\./);
  });

  test('hover and diagnostic state the same LangChain error, wherever a rule predicts one', () => {
    const cases = [
      '---\nmemory:\n  key: chat_history\n---\n{hist|ory}\nHuman: {human_input}\n',
      '---\ninput_key: question\n---\n{history}\n{question} about {to|pic}\n',
      'system:\nYou are {pers|ona}.\n\nplaceholder:\n{history}\n\nhuman:\n{topic}: {human_input}\n',
      '---\nmemory: false\n---\n{a|} and {b}\n',
      '{history}\n{input} {st|op}\n',
      '---\nmemory:\n  key: "history "\n---\n{hist|ory}\nHuman: {input}\n',
    ];
    for (const source of cases) {
      const { ctx, position } = fixture(source);
      const hovered = (getHover(ctx, position)?.contents as MarkupContent).value;
      const stated = [...hovered.matchAll(/will raise `([^`]+)`/g)].map((match) => match[1]);
      assert.equal(stated.length, 1, `one error in the hover of ${JSON.stringify(source)}: ${hovered}`);
      const atCursor = validate(ctx).filter((d) => d.range.start.line <= position.line && position.line <= d.range.end.line && d.severity !== undefined && d.severity <= 2);
      assert.ok(atCursor.some((d) => String(d.message).includes(`“${stated[0]}”`)), `${stated[0]} in ${atCursor.map((d) => d.message).join(' | ')}`);
    }
  });

  test('`stop` is reserved', () => {
    assert.match(hoverText('{history}\n{input} {st|op}\n'), /reserves `stop`/);
  });

  test('the memory key in the front matter describes the variable it names', () => {
    assert.match(hoverText('---\nmemory:\n  key: chat_hi|story\n---\n{chat_history}\n{input}\n'), /conversation history from memory/);
  });
});

describe('hover on front-matter keys', () => {
  test('docs from the schema, with the configured default', () => {
    const result = hover('---\nmemory:\n  k|ey: chat_history\n---\n{chat_history}\n{input}\n', { settings: { defaultMemoryKey: 'conversation' } });
    assert.deepEqual(result?.range, { start: { line: 2, character: 2 }, end: { line: 2, character: 5 } });
    const text = (result?.contents as MarkupContent).value;
    assert.match(text, /^\*\*`memory.key`\*\* · string · default: `conversation`/);
    assert.match(text, /LangChain's `memory_key`/);
  });

  test('an enum lists its values', () => {
    assert.match(hoverText('---\nap|i: chat\n---\nhuman:\n{input}\n'), /one of `chat`, `completion`/);
  });

  test('nothing on an unknown key', () => {
    assert.equal(hover('---\nmodle|: x\n---\n{input}\n'), null);
  });
});

describe('hover on role headers', () => {
  test('the message each creates', () => {
    assert.match(hoverText(variant(chatExample, 'system:', 'sys|tem:')), /SystemMessage`, sent with role `system`/);
    assert.match(hoverText('user|:\n{input}\n'), /^\*\*`user:`\*\* starts a human message/);
    assert.match(hoverText('human:\n{input}\nassis|tant:\nok\n'), /AIMessage`, sent with role `assistant`/);
  });

  test('a placeholder names its variable', () => {
    const text = hoverText(variant(chatExample, 'placeholder:', 'place|holder:'));
    assert.match(text, /MessagesPlaceholder/);
    assert.match(text, /`variable_name="chat_history"`/);
  });
});

test('no hover on plain text', () => {
  assert.equal(hover('Hel|lo {input}\n'), null);
});
