import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBody, roleOfHeader } from '../../../core/format/body';
import type { MessageDecl, PromptBody } from '../../../core/format/model';

function messages(body: PromptBody): readonly MessageDecl[] {
  assert.equal(body.kind, 'chat');
  return body.kind === 'chat' ? body.messages : [];
}

const slice = (text: string, span: { start: number; end: number }) => text.slice(span.start, span.end);

describe('completion body', () => {
  test('the whole text is the template, minus one trailing newline', () => {
    const text = 'Hello {name}\n\n';
    const { body, problems } = parseBody(text, 0, { format: 'f-string' });
    assert.equal(body.kind, 'completion');
    if (body.kind !== 'completion') return;
    assert.equal(body.template.source, 'Hello {name}\n');
    assert.deepEqual(body.span, { start: 0, end: text.length });
    assert.deepEqual(problems, []);
  });

  test('a trailing \\r\\n is dropped whole', () => {
    const { body } = parseBody('a\r\nb\r\n', 0, { format: 'f-string' });
    assert.equal(body.kind === 'completion' && body.template.source, 'a\nb');
    assert.deepEqual(body.kind === 'completion' && body.template.span, { start: 0, end: 4 });
  });

  test('starts where it is told (after the front matter)', () => {
    const text = 'XXXXhi {x}';
    const { body } = parseBody(text, 4, { format: 'f-string' });
    assert.equal(body.kind === 'completion' && body.template.source, 'hi {x}');
    assert.deepEqual(body.kind === 'completion' && body.template.variables[0]?.span, { start: 7, end: 10 });
  });

  test('api: completion keeps role headers as plain text', () => {
    const { body } = parseBody('system:\nhi\n', 0, { declaredApi: 'completion', format: 'f-string' });
    assert.equal(body.kind === 'completion' && body.template.source, 'system:\nhi');
  });

  test('template problems are body problems too', () => {
    const { problems } = parseBody('a } b', 0, { format: 'f-string' });
    assert.deepEqual(problems.map((p) => p.code), ['fstring-single-close-brace']);
  });
});

describe('chat body', () => {
  test('every header spelling and its role', () => {
    assert.equal(roleOfHeader('system:'), 'system');
    assert.equal(roleOfHeader('human:'), 'human');
    assert.equal(roleOfHeader('user:'), 'human');
    assert.equal(roleOfHeader('ai:'), 'ai');
    assert.equal(roleOfHeader('assistant:'), 'ai');
    assert.equal(roleOfHeader('placeholder:'), 'placeholder');
    for (const notHeader of ['System:', ' system:', 'system: ', 'system', 'toString:', 'constructor:']) {
      assert.equal(roleOfHeader(notHeader), undefined, notHeader);
    }
  });

  test('headers open messages; templates drop leading and trailing blank lines, keep inner ones', () => {
    const text = 'system:\n\n  \nBe brief.\n\nReally.\n \n\nuser:\n{question}\n';
    const list = messages(parseBody(text, 0, { format: 'f-string' }).body);
    assert.deepEqual(list.map((m) => [m.role, m.header.value, m.template.source]), [
      ['system', 'system:', 'Be brief.\n\nReally.'],
      ['human', 'user:', '{question}'],
    ]);
    const [system] = list;
    assert.ok(system);
    assert.equal(slice(text, system.header.span), 'system:');
    assert.equal(slice(text, system.template.span), 'Be brief.\n\nReally.');
    assert.equal(slice(text, system.span), 'system:\n\n  \nBe brief.\n\nReally.');
  });

  test('only lines that are exactly a header count: indented or capitalised ones are text', () => {
    const text = 'human:\n System:\nHuman:\nuser: hi\n';
    const list = messages(parseBody(text, 0, { format: 'f-string' }).body);
    assert.equal(list.length, 1);
    assert.equal(list[0]?.template.source, ' System:\nHuman:\nuser: hi');
  });

  test('an empty message has an empty template right after its header', () => {
    const text = 'system:\n\nhuman:\n{x}';
    const [system] = messages(parseBody(text, 0, { format: 'f-string' }).body);
    assert.equal(system?.template.source, '');
    assert.deepEqual(system?.template.span, { start: 8, end: 8 });
    assert.deepEqual(system?.span, { start: 0, end: 7 });
  });

  test('text-before-first-message spans the non-blank text before the first header', () => {
    const text = '\nstray words\n\nmore\n\nsystem:\nhi';
    const { problems, body } = parseBody(text, 0, { format: 'f-string' });
    assert.deepEqual(problems.map((p) => [p.code, slice(text, p.span)]), [['text-before-first-message', 'stray words\n\nmore']]);
    assert.equal(messages(body).length, 1);
  });

  test('blank lines before the first header are fine', () => {
    assert.deepEqual(parseBody('\n  \nsystem:\nhi', 0, { format: 'f-string' }).problems, []);
  });

  test('placeholder: one variable and only whitespace around it', () => {
    const text = 'placeholder:\n  {history}  \nhuman:\n{input}';
    const [placeholder] = messages(parseBody(text, 0, { format: 'f-string' }).body);
    assert.equal(placeholder?.role, 'placeholder');
    assert.equal(placeholder?.placeholder?.name, 'history');
    assert.equal(slice(text, placeholder?.placeholder?.nameSpan ?? { start: 0, end: 0 }), 'history');
  });

  test('placeholder-shape: extra text, two variables, or nothing at all', () => {
    const cases: [string, string][] = [
      ['placeholder:\n{history} and more\n', '{history} and more'],
      ['placeholder:\n{a}{b}\n', '{a}{b}'],
      ['placeholder:\nno variable\n', 'no variable'],
      ['placeholder:\n\nhuman:\nx', 'placeholder:'],
    ];
    for (const [text, offending] of cases) {
      const { body, problems } = parseBody(text, 0, { format: 'f-string' });
      assert.deepEqual(problems.map((p) => [p.code, slice(text, p.span)]), [['placeholder-shape', offending]], text);
      assert.equal(messages(body)[0]?.placeholder, undefined);
    }
  });

  test('a placeholder whose variable is itself broken reports the template problem only', () => {
    const { problems } = parseBody('placeholder:\n{a.b}\n', 0, { format: 'f-string' });
    assert.deepEqual(problems.map((p) => p.code), ['fstring-field-access']);
  });

  test('mustache placeholder uses {{name}}', () => {
    const [placeholder] = messages(parseBody('placeholder:\n{{history}}\n', 0, { format: 'mustache' }).body);
    assert.equal(placeholder?.placeholder?.name, 'history');
  });

  test('api: chat without headers is one human message holding the whole body', () => {
    const text = 'Tell me about {topic}\n';
    const { body } = parseBody(text, 0, { declaredApi: 'chat', format: 'f-string' });
    const [only] = messages(body);
    assert.equal(only?.role, 'human');
    assert.equal(only?.header.value, '');
    assert.deepEqual(only?.header.span, { start: 0, end: 0 });
    assert.equal(only?.template.source, 'Tell me about {topic}');
  });

  test('CRLF: headers are recognised and templates normalised, spans exact', () => {
    const text = 'system:\r\nBe nice.\r\n\r\nhuman:\r\n{q}\r\n';
    const list = messages(parseBody(text, 0, { format: 'f-string' }).body);
    assert.deepEqual(list.map((m) => m.template.source), ['Be nice.', '{q}']);
    assert.deepEqual(list.map((m) => slice(text, m.header.span)), ['system:', 'human:']);
    assert.equal(slice(text, list[1]?.template.variables[0]?.span ?? { start: 0, end: 0 }), '{q}');
  });

  test('roles come from the file, never from what a variable will hold', () => {
    const list = messages(parseBody('human:\n{input}\n', 0, { format: 'f-string' }).body);
    assert.deepEqual(list.map((m) => m.role), ['human']);
    assert.deepEqual(list[0]?.template.parts, [{ kind: 'variable', name: 'input' }]);
  });
});
