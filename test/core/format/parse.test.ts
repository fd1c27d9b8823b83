import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePrompt } from '../../../core/format/parse';
import type { MessageDecl, PromptDocument } from '../../../core/format/model';

const examples = join(__dirname, '..', '..', '..', 'examples');
const example1 = '---\nmemory:\n  key: chat_history\n---\nYou are a chatbot having a conversation with a human.\n\n{chat_history}\nHuman: {human_input}\nChatbot:\n';
const example2 = '---\nmemory:\n  key: chat_history\n  return_messages: true\n---\nsystem:\nYou are a chatbot having a conversation with a human.\n\nplaceholder:\n{chat_history}\n\nhuman:\n{human_input}\n';

function chatMessages(doc: PromptDocument): readonly MessageDecl[] {
  assert.equal(doc.body.kind, 'chat');
  return doc.body.kind === 'chat' ? doc.body.messages : [];
}

const slice = (text: string, span: { start: number; end: number } | undefined) => (span ? text.slice(span.start, span.end) : undefined);

describe('the issue examples', () => {
  test('the example files are exactly the issue text', () => {
    assert.equal(readFileSync(join(examples, 'chatbot-completion.prompt'), 'utf8'), example1);
    assert.equal(readFileSync(join(examples, 'chatbot-chat.prompt'), 'utf8'), example2);
  });

  test('example 1: a completion PromptTemplate, byte for byte', () => {
    const doc = parsePrompt(example1);
    assert.deepEqual(doc.problems, []);
    assert.equal(doc.body.kind, 'completion');
    if (doc.body.kind !== 'completion') return;
    assert.equal(doc.body.template.source, 'You are a chatbot having a conversation with a human.\n\n{chat_history}\nHuman: {human_input}\nChatbot:');
    assert.deepEqual(doc.body.template.variables.map((v) => [v.name, slice(example1, v.span)]), [
      ['chat_history', '{chat_history}'],
      ['human_input', '{human_input}'],
    ]);
    assert.deepEqual(doc.body.template.parts, [
      { kind: 'text', text: 'You are a chatbot having a conversation with a human.\n\n' },
      { kind: 'variable', name: 'chat_history' },
      { kind: 'text', text: '\nHuman: ' },
      { kind: 'variable', name: 'human_input' },
      { kind: 'text', text: '\nChatbot:' },
    ]);
    const memory = doc.frontMatter?.memory;
    assert.ok(memory && !('value' in memory));
    assert.equal(memory.key?.value, 'chat_history');
  });

  test('example 2: a ChatPromptTemplate of system, placeholder and human', () => {
    const doc = parsePrompt(example2);
    assert.deepEqual(doc.problems, []);
    const messages = chatMessages(doc);
    assert.deepEqual(messages.map((m) => [m.role, m.header.value, m.template.source]), [
      ['system', 'system:', 'You are a chatbot having a conversation with a human.'],
      ['placeholder', 'placeholder:', '{chat_history}'],
      ['human', 'human:', '{human_input}'],
    ]);
    assert.equal(messages[1]?.placeholder?.name, 'chat_history');
    assert.equal(slice(example2, messages[1]?.placeholder?.span), '{chat_history}');
    const memory = doc.frontMatter?.memory;
    assert.ok(memory && !('value' in memory));
    assert.equal(memory.returnMessages?.value, true);
  });
});

describe('parsePrompt', () => {
  test('no front matter: the body starts at 0', () => {
    const doc = parsePrompt('Hi {name}\n');
    assert.equal(doc.frontMatter, undefined);
    assert.deepEqual(doc.body.span, { start: 0, end: 10 });
  });

  test('empty text: an empty completion template, no problems', () => {
    const doc = parsePrompt('');
    assert.deepEqual(doc.problems, []);
    assert.equal(doc.body.kind === 'completion' && doc.body.template.source, '');
  });

  test('a leading BOM is not part of the template and spans still index the full text', () => {
    const text = '\uFEFFHello {name}';
    const doc = parsePrompt(text);
    assert.equal(doc.body.kind === 'completion' && doc.body.template.source, 'Hello {name}');
    assert.equal(doc.body.kind === 'completion' && slice(text, doc.body.template.variables[0]?.span), '{name}');
  });

  test('BOM + front matter + CRLF: example 2 with Windows line breaks parses the same', () => {
    const text = '\uFEFF' + example2.replace(/\n/g, '\r\n');
    const doc = parsePrompt(text);
    assert.deepEqual(doc.problems, []);
    const messages = chatMessages(doc);
    assert.deepEqual(messages.map((m) => m.template.source), ['You are a chatbot having a conversation with a human.', '{chat_history}', '{human_input}']);
    assert.deepEqual(messages.map((m) => slice(text, m.header.span)), ['system:', 'placeholder:', 'human:']);
    assert.equal(slice(text, messages[2]?.template.variables[0]?.nameSpan), 'human_input');
    const memory = doc.frontMatter?.memory;
    assert.ok(memory && !('value' in memory));
    assert.equal(slice(text, memory.key?.span), 'chat_history');
  });

  test('CRLF example 1: template source has \\n only', () => {
    const doc = parsePrompt(example1.replace(/\n/g, '\r\n'));
    assert.equal(doc.body.kind === 'completion' && doc.body.template.source, 'You are a chatbot having a conversation with a human.\n\n{chat_history}\nHuman: {human_input}\nChatbot:');
  });

  test('api: declared api wins over the body', () => {
    const asCompletion = parsePrompt('---\napi: completion\n---\nsystem:\nhi\n');
    assert.equal(asCompletion.body.kind, 'completion');
    const asChat = parsePrompt('---\napi: chat\n---\nhi {x}\n');
    assert.deepEqual(chatMessages(asChat).map((m) => [m.role, m.template.source]), [['human', 'hi {x}']]);
  });

  test('an invalid api value falls back to detection from the body', () => {
    const doc = parsePrompt('---\napi: chatt\n---\nhuman:\nhi\n');
    assert.equal(doc.body.kind, 'chat');
    assert.deepEqual(doc.problems.map((p) => p.code), ['invalid-value']);
  });

  test('template_format applies to every template of the body', () => {
    const doc = parsePrompt('---\ntemplate_format: mustache\n---\nsystem:\n{{a}} {b}\nhuman:\n{{c}}\n');
    assert.deepEqual(chatMessages(doc).map((m) => [m.template.format, m.template.variables.map((v) => v.name)]), [
      ['mustache', ['a']],
      ['mustache', ['c']],
    ]);
  });

  test('problems from every layer, sorted by position, with template problems on the document too', () => {
    const text = '---\nmodle: x\n---\nstray\nsystem:\n{a.b}\n';
    const doc = parsePrompt(text);
    assert.deepEqual(doc.problems.map((p) => [p.code, slice(text, p.span)]), [
      ['unknown-key', 'modle'],
      ['text-before-first-message', 'stray'],
      ['fstring-field-access', '{a.b}'],
    ]);
    assert.deepEqual(chatMessages(doc)[0]?.template.problems.map((p) => p.code), ['fstring-field-access']);
  });

  test('an unclosed front matter leaves an empty body', () => {
    const doc = parsePrompt('---\nname: x\n');
    assert.deepEqual(doc.problems.map((p) => p.code), ['unclosed-front-matter']);
    assert.deepEqual(doc.body.span, { start: 12, end: 12 });
  });

  test('binary content: one problem at the first NUL, a model all the same', () => {
    const text = 'PK\u0003\u0004\u0000\u0000garbage{{{';
    const doc = parsePrompt(text);
    assert.deepEqual(doc.problems.map((p) => [p.code, p.span]), [['binary-content', { start: 4, end: 5 }]]);
    assert.equal(doc.body.kind, 'completion');
  });

  test('binary content without NUL: mostly control characters', () => {
    const doc = parsePrompt('\u0001\u0002\u0003\u0004abc');
    assert.deepEqual(doc.problems.map((p) => [p.code, p.span]), [['binary-content', { start: 0, end: 1 }]]);
  });

  test('a stray control character in a real prompt is not binary', () => {
    assert.deepEqual(parsePrompt('Hello\u0007 there, this is a long enough prompt {x}').problems, []);
  });

  test('a 5,000-line chat prompt parses completely', () => {
    const lines: string[] = [];
    for (let i = 0; i < 5000; i++) lines.push(i % 100 === 0 ? 'human:' : `line ${i} {v${i % 7}} {{literal}}`);
    const doc = parsePrompt('---\nmemory:\n  key: h\n---\n' + lines.join('\n') + '\n');
    assert.deepEqual(doc.problems, []);
    assert.equal(chatMessages(doc).length, 50);
    assert.equal(chatMessages(doc)[49]?.template.variables.length, 99);
  });
});

describe('a file with a huge number of problems', () => {
  test('150,000 unclosed braces give a positioned problem each, not a stack overflow of the parser', () => {
    const text = `human:\n${'{x\n'.repeat(150_000)}`;
    const { problems } = parsePrompt(text);
    assert.equal(problems.length, 150_000);
    assert.ok(problems.every((p) => p.code === 'fstring-unclosed-brace' && text[p.span.start] === '{'));
  });
});
