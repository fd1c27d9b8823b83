import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { AIMessage, ChatMessage, HumanMessage, SystemMessage, mapStoredMessagesToChatMessages, type BaseMessage, type StoredMessage } from '@langchain/core/messages';
import { decodeMessage, decodeMessages, encodeMessage, writeStyle } from '../../../core/history/messageDicts';
import { pythonJsonDumps, pythonJsonString } from '../../../core/history/pythonJson';
import { HistoryStoreError, type HistoryMessage } from '../../../core/history/types';
import type { ChatMessage as TurnMessage } from '../../../core/chain/types';

const golden = (name: string) => readFileSync(join(__dirname, 'fixtures', 'python', name), 'utf8');
const WHERE = 'file:/tmp/h.json';
const decode = (raw: string, index = 0) => decodeMessage(raw, index, WHERE);

/** What LangChain.js stores for a message: RedisChatMessageHistory and the rest write exactly this. */
const jsStored = (message: BaseMessage) => JSON.stringify(message.toDict());
const jsClass = { human: HumanMessage, ai: AIMessage, system: SystemMessage } as const;

const invalidData = (pattern: RegExp) => (error: unknown) => {
  assert.ok(error instanceof HistoryStoreError, `expected a HistoryStoreError, got ${String(error)}`);
  assert.equal(error.kind, 'invalid-data');
  assert.match(error.message, pattern);
  assert.doesNotMatch(error.message, /\n/);
  return true;
};

// Strings as chat text holds them, including lone surrogates (a reply cut mid-pair) and controls.
const anyText = fc.oneof(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), fc.string({ unit: fc.constantFrom('\u0000', '\u001f', '\u007f', '\u2028', '\ud800', '\udfff', '"', '\\', '\n', 'é') }));
const anyType = fc.constantFrom<TurnMessage['type']>('human', 'ai', 'system');

describe('encodeMessage, Python dialect (langchain_core message_to_dict + json.dumps)', () => {
  const turn = (type: TurnMessage['type'], content: string): TurnMessage => ({ type, content });

  test('the current release: human, AI and system dicts are the goldens, byte for byte', () => {
    assert.equal(encodeMessage(turn('human', 'Hi there my friend'), 'python'), golden('human.json'));
    assert.equal(encodeMessage(turn('ai', ' Hi there! How can I help you today?'), 'python'), golden('ai.json'));
    assert.equal(encodeMessage(turn('system', 'You are a chatbot having a conversation with a human.'), 'python'), golden('system.json'));
  });

  test('the 0.3 line: human and AI dicts carry "example": false where 0.3 put it', () => {
    const style = { dialect: 'python', example: true } as const;
    assert.equal(encodeMessage(turn('human', 'Hi there my friend'), style), golden('human-0.3.json'));
    assert.equal(encodeMessage(turn('ai', ' Hi there! How can I help you today?'), style), golden('ai-0.3.json'));
    // SystemMessage never had the field.
    assert.equal(encodeMessage(turn('system', 'You are a chatbot having a conversation with a human.'), style), golden('system.json'));
  });

  test('non-ASCII as \\uXXXX, astral characters as surrogate pairs, controls and DEL escaped', () => {
    const content = 'café ☕ 😀 "quoted" back\\slash\nline two\ttab\u0001\u007f\u2028 日本語 🧑\u200d💻';
    assert.equal(encodeMessage(turn('human', content), 'python'), golden('unicode-human.json'));
  });

  test('what it writes reads back as the same message, for any text', () => {
    fc.assert(
      fc.property(anyType, anyText, (type, content) => {
        const read = decode(encodeMessage(turn(type, content), 'python'));
        assert.deepEqual([read.type, read.content, read.dialect], [type, content, 'python']);
        assert.match(read.raw, /^[\x20-\x7e]*$/, 'ensure_ascii output is printable ASCII only');
      }),
    );
  });
});

describe('encodeMessage, LangChain.js dialect (@langchain/core toDict + JSON.stringify)', () => {
  test('is exactly what the real @langchain/core stores, for any text and type', () => {
    fc.assert(
      fc.property(anyType, anyText, (type, content) => {
        assert.equal(encodeMessage({ type, content }, 'js'), jsStored(new jsClass[type](content)));
      }),
    );
  });

  test('@langchain/core reads it back as the message it was', () => {
    const stored = (['human', 'ai', 'system'] as const).map((type) => JSON.parse(encodeMessage({ type, content: `${type} says é 😀` }, 'js')) as StoredMessage);
    const messages = mapStoredMessagesToChatMessages(stored);
    assert.deepEqual(messages.map((m) => [m.getType(), m.content]), [['human', 'human says é 😀'], ['ai', 'ai says é 😀'], ['system', 'system says é 😀']]);
  });
});

describe('decodeMessage', () => {
  test('the Python goldens of both lines', () => {
    for (const name of ['human.json', 'human-0.3.json', 'legacy-0.0-human.json']) {
      const read = decode(golden(name));
      assert.deepEqual([read.type, read.content, read.dialect, read.raw], ['human', 'Hi there my friend', 'python', golden(name)], name);
    }
    for (const name of ['ai.json', 'ai-0.3.json']) assert.deepEqual([decode(golden(name)).type, decode(golden(name)).content], ['ai', ' Hi there! How can I help you today?']);
    assert.equal(decode(golden('system.json')).type, 'system');
  });

  test('a chat message keeps its role; Python calls it chat, LangChain.js generic', () => {
    assert.deepEqual(pick(decode(golden('chat.json'))), { type: 'chat', content: 'Looks fine to me.', role: 'critic', dialect: 'python' });
    assert.deepEqual(pick(decode(jsStored(new ChatMessage('Looks fine to me.', 'critic')))), { type: 'generic', content: 'Looks fine to me.', role: 'critic', dialect: 'js' });
  });

  test("content as a list of parts reads as LangChain's .text: the text parts joined", () => {
    assert.equal(decode(golden('list-content-human.json')).content, 'What is in this picture?');
    const parts = [{ type: 'text' as const, text: 'What is in ' }, { type: 'image_url' as const, image_url: { url: 'https://example.com/cat.png' } }, { type: 'text' as const, text: 'this picture?' }];
    const message = new HumanMessage({ content: parts });
    assert.equal(decode(jsStored(message)).content, message.text);
  });

  test('every dict the real @langchain/core stores, with what .text reads', () => {
    const messages: BaseMessage[] = [new HumanMessage('q'), new AIMessage({ content: 'a', id: 'run-1', usage_metadata: { input_tokens: 3, output_tokens: 2, total_tokens: 5 } }), new SystemMessage('s'), new HumanMessage({ content: 'named', name: 'ann' })];
    const read = messages.map((m, index) => decode(jsStored(m), index));
    assert.deepEqual(read.map((m) => [m.type, m.content, m.dialect]), messages.map((m) => [m.getType(), m.text, 'js']));
  });

  test("LangChain.js's format before 0.1: {type, role, text}", () => {
    assert.deepEqual(pick(decode('{"type":"human","role":"Human","text":"old"}')), { type: 'human', content: 'old', dialect: 'js' });
  });

  test('the dialect of a dict whose store rewrote its text (JSONB) is read from its fields', () => {
    const jsonb = '{"data": {"id": null, "name": null, "type": "ai", "content": "x", "example": false, "tool_calls": [], "usage_metadata": null, "additional_kwargs": {}, "response_metadata": {}, "invalid_tool_calls": []}, "type": "ai"}';
    assert.equal(decode(jsonb).dialect, 'python');
    assert.equal(decode('{"data": {"content": "x", "additional_kwargs": {}, "response_metadata": {}}, "type": "human"}').dialect, 'js');
  });

  test('streaming chunk class names read as their message type, as messages_from_dict takes them', () => {
    assert.equal(decode('{"type": "AIMessageChunk", "data": {"content": "x", "type": "AIMessageChunk"}}').type, 'ai');
  });

  test('malformed and hostile dicts: one-line invalid-data naming the store and the index', () => {
    const cases: [string, RegExp][] = [
      ['{"type": "human", "data": {"content": "x"', /at index 3 is not JSON/],
      ['[1, 2]', /at index 3 is not a message dict .* a list/],
      ['"just text"', /not a message dict/],
      ['{"data": {"content": "x"}}', /no "type" string: got undefined/],
      ['{"type": 7, "data": {"content": "x"}}', /no "type" string: got number 7/],
      ['{"type": "wizard\\nline", "data": {"content": "x"}}', /unknown type `wizard\\nline`/],
      ['{"type": "human", "data": "x"}', /"data" that is not an object/],
      ['{"type": "human", "data": {}}', /"content" that is neither/],
      ['{"type": "human", "data": {"content": 42}}', /"content" that is neither .* number 42/],
      ['{"type": "human", "data": {"content": [null]}}', /content part 0 that is neither/],
      ['{"type": "human", "data": {"content": [{"type": "text"}]}}', /text part 0 without a "text" string/],
      ['{"type": "chat", "data": {"content": "x"}}', /chat message without a "role"/],
      ['{"type": "human"}', /neither "data" nor a "text"/],
    ];
    for (const [raw, pattern] of cases) assert.throws(() => decode(raw, 3), invalidData(new RegExp(`^${WHERE}: the message .*${pattern.source}`)), raw);
  });

  test('a huge message and a deeply nested field are read, not a crash', () => {
    const big = 'x'.repeat(20_000_000);
    assert.equal(decode(encodeMessage({ type: 'human', content: big }, 'python')).content.length, big.length);
    const deep = `{"type": "human", "data": {"content": "d", "additional_kwargs": ${'['.repeat(100_000)}${']'.repeat(100_000)}}}`;
    assert.equal(decode(deep).content, 'd');
  });

  test('decodeMessages fails on the first bad dict (nothing is silently dropped)', () => {
    const raws = [golden('human.json'), golden('ai.json'), '{"type": "human", "data": {"content": null}}'];
    assert.throws(() => decodeMessages(raws, WHERE), invalidData(/at index 2/));
    assert.deepEqual(decodeMessages(raws.slice(0, 2), WHERE).map((m) => m.type), ['human', 'ai']);
  });
});

describe('writeStyle: the style a turn appends in', () => {
  const read = (raw: string) => decode(raw);
  test("an empty session takes the URL's dialect, else Python's current release", () => {
    assert.deepEqual(writeStyle([]), { dialect: 'python' });
    assert.deepEqual(writeStyle([], 'js'), { dialect: 'js' });
  });
  test("a session keeps its own dialect and its release's fields, whatever the URL says", () => {
    assert.deepEqual(writeStyle([read(golden('human-0.3.json')), read(golden('ai-0.3.json'))], 'js'), { dialect: 'python', example: true });
    assert.deepEqual(writeStyle([read(golden('human.json'))], 'js'), { dialect: 'python', example: false });
    // a 0.3 session whose last message is a system message (which never had the field) is still 0.3
    assert.deepEqual(writeStyle([read(golden('human-0.3.json')), read(golden('system.json'))]), { dialect: 'python', example: true });
    assert.deepEqual(writeStyle([read(jsStored(new HumanMessage('q')))], 'python'), { dialect: 'js' });
  });
  test('appending in the session style continues it exactly as its application would', () => {
    const session = [read(golden('human-0.3.json'))];
    assert.equal(encodeMessage({ type: 'ai', content: ' Hi there! How can I help you today?' }, writeStyle(session)), golden('ai-0.3.json'));
  });
});

describe("pythonJson against Python's own json.dumps", () => {
  const python = spawnSync('python3', ['-c', 'print(1)'], { encoding: 'utf8' });
  const hasPython = python.status === 0;

  test('nested values: separators, empty containers, null, booleans, integers', () => {
    assert.equal(pythonJsonDumps({ a: [], b: {}, c: null, d: [true, false, 3, -7], e: { f: 'g' } }), '{"a": [], "b": {}, "c": null, "d": [true, false, 3, -7], "e": {"f": "g"}}');
  });

  test('strings: the same bytes as json.dumps for generated text', { skip: hasPython ? false : 'python3 is not on the PATH' }, () => {
    const samples = fc.sample(anyText, 400).concat(['', '\u0000\u0008\u000b\u000c\u001f\u007f\u0080\u00ff\u0100\uffff', '😀', '\ud83d', '\ude00x']);
    // Lone surrogates cannot travel as UTF-8; each string goes to Python as a list of UTF-16 code units.
    const units = samples.map((text) => Array.from({ length: text.length }, (_, i) => text.charCodeAt(i)));
    const script = "import json,sys\nfor u in json.load(sys.stdin):\n    s = b''.join(c.to_bytes(2,'little') for c in u).decode('utf-16-le','surrogatepass')\n    print(json.dumps(s))";
    const run = spawnSync('python3', ['-c', script], { input: JSON.stringify(units), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(samples.map(pythonJsonString), run.stdout.split('\n').slice(0, -1));
  });
});

function pick(message: HistoryMessage): Partial<HistoryMessage> {
  const { raw: _raw, ...rest } = message;
  return rest;
}
