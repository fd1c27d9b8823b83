import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { applyFix, check, codes, withCode, messageOf } from './check';
import { intendedHeader } from '../../../service/rules/headerLookalike';

const chat = `---
memory:
  return_messages: true
---
system:
You are terse.
⟦Assistant:⟧
Example reply.

placeholder:
{history}

⟦human :⟧
human:
{input}
⟦  user:⟧
`;

describe('header-lookalike', () => {
  test('fires on each line that looks like a header but is not one', () => {
    const checked = check(chat);
    const found = withCode(checked, 'header-lookalike');
    assert.deepEqual(found.map((d) => d.range), checked.marked);
    assert.ok(found.every((d) => d.severity === DiagnosticSeverity.Warning));
    assert.equal(
      found[0]?.message,
      'This line is text, not a message header: only a line that is exactly “assistant:” starts a message, so “Assistant:” goes to the model as text inside the message above. Write “assistant:”.',
    );
  });

  test('before the first header the text is sent by no message', () => {
    const checked = check('⟦System:⟧\nBe brief.\nhuman:\n{input}\n');
    const [diagnostic] = withCode(checked, 'header-lookalike');
    assert.deepEqual(diagnostic?.range, checked.marked[0]);
    assert.match(messageOf(diagnostic), /is text before the first message/);
  });

  test('fix: write the real header; each fix removes its diagnostic', () => {
    let checked = check(chat);
    for (const header of ['assistant:', 'human:', 'user:']) checked = applyFix(checked, 'header-lookalike', `Change to “${header}”`);
    assert.match(checked.text, /\nassistant:\nExample reply\.\n/);
    assert.match(checked.text, /\nhuman:\nhuman:\n/);
    assert.match(checked.text, /\{input\}\nuser:\n$/);
    assert.deepEqual(withCode(checked, 'header-lookalike'), []);
  });

  test('recognises case, spacing, abbreviations and typos; not other labels', () => {
    assert.equal(intendedHeader('System:'), 'system:');
    assert.equal(intendedHeader('usr:'), 'user:');
    assert.equal(intendedHeader('human :'), 'human:');
    assert.equal(intendedHeader('user : '), 'user:');
    assert.equal(intendedHeader('asistant:'), 'assistant:');
    assert.equal(intendedHeader('system:'), undefined);
    assert.equal(intendedHeader('Rules:'), undefined);
    assert.equal(intendedHeader('Chatbot:'), undefined);
    assert.equal(intendedHeader('System: be brief'), undefined);
  });

  test('in a prompt without headers, `System:` alone on a line means a chat prompt was meant', () => {
    const checked = check('⟦System:⟧\nYou are terse.\n⟦usr:⟧\n{history}\n{input}\n');
    const found = withCode(checked, 'header-lookalike');
    assert.deepEqual(found.map((d) => d.range), checked.marked);
    assert.match(messageOf(found[0]), /without a real header the file is one text prompt/);
    const fixed = applyFix(checked, 'header-lookalike', 'Change to “system:”');
    assert.equal(fixed.ctx.prompt.body.kind, 'chat');
  });

  test('does not fire for transcript labels of a completion prompt, nor with api: completion', () => {
    assert.deepEqual(codes(check('The conversation so far:\n{history}\nHuman:\n{input}\nAI:\n')), []);
    assert.deepEqual(codes(check('---\nmemory:\n  ai_prefix: Bot\n---\n{history}\nUser:\n{input}\nBot:\n')), []);
    assert.deepEqual(withCode(check('---\napi: completion\n---\nSystem:\n{history}\n{input}\n'), 'header-lookalike'), []);
  });

  test('a real header after a `\n\r` (a line feed, then a lone carriage return) is a header, not a look-alike', () => {
    const checked = check('---\nmemory: false\n---\nsystem:\nBe brief.\n\rhuman:\n{input}\n');
    assert.deepEqual(codes(checked), []);
    const body = checked.ctx.prompt.body;
    assert.equal(body.kind, 'chat');
    assert.deepEqual(body.kind === 'chat' && body.messages.map((m) => m.role), ['system', 'human']);
  });

  for (const [what, lineEnd] of [['CR-only', '\r'], ['CRLF', '\r\n'], ['mixed', '\n\r']] as const) {
    test(`${what} lines: the look-alike is the line without its break, and the fix keeps the break`, () => {
      const checked = check(['---', 'memory: false', '---', 'system:', 'Be brief.', '⟦System:⟧', 'human:', '{input}', ''].join(lineEnd));
      const [diagnostic] = withCode(checked, 'header-lookalike');
      assert.deepEqual(diagnostic?.range, checked.marked[0]);
      const fixed = applyFix(checked, 'header-lookalike', 'Change to “system:”');
      assert.equal(fixed.text, checked.text.replace('System:', 'system:'));
    });
  }
});
