import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { serverSentEvents, type ServerSentEvent } from '../../../core/model/sse';

/** A body that arrives in the given pieces, counting how many the parser pulled. */
function body(pieces: (string | Uint8Array)[]): { stream: ReadableStream<Uint8Array>; pulled: () => number } {
  const bytes = pieces.map((piece) => (typeof piece === 'string' ? new TextEncoder().encode(piece) : piece));
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = bytes[pulled++];
      if (next) controller.enqueue(next);
      else controller.close();
    },
  });
  return { stream, pulled: () => pulled };
}

class TooLarge extends Error {}

async function events(pieces: (string | Uint8Array)[], maxEventChars = 1000): Promise<ServerSentEvent[]> {
  const found: ServerSentEvent[] = [];
  for await (const event of serverSentEvents(body(pieces).stream, { maxEventChars, tooLarge: () => new TooLarge() })) found.push(event);
  return found;
}

/** Every way of cutting `text` in two, plus one byte at a time. */
function splits(text: string): Uint8Array[][] {
  const bytes = new TextEncoder().encode(text);
  const cuts = Array.from({ length: bytes.length - 1 }, (_, i) => [bytes.slice(0, i + 1), bytes.slice(i + 1)]);
  return [...cuts, Array.from(bytes, (byte) => Uint8Array.of(byte))];
}

describe('serverSentEvents', () => {
  const stream =
    ': a comment\r\n' +
    'event: delta\r\n' +
    'data: {"a":1}\r\n' +
    'data:{"b":"é✓"}\r\n' +
    'id: 7\r\n' +
    '\r\n' +
    'data: second\r' +
    '\r' +
    'data\n' +
    '\n' +
    'data: [DONE]\n\n';
  const expected = [
    { event: 'delta', data: '{"a":1}\n{"b":"é✓"}' },
    { event: 'message', data: 'second' },
    { event: 'message', data: '' },
    { event: 'message', data: '[DONE]' },
  ];

  test('parses CRLF, CR and LF line ends, comments, multi-line data and unknown fields as the spec says', async () => {
    assert.deepEqual(await events([stream]), expected);
  });

  test('gives the same events wherever the body is cut: inside a CRLF, a UTF-8 character, a field name', async () => {
    for (const pieces of splits(stream)) assert.deepEqual(await events(pieces), expected);
  });

  test('a last event without its blank line still counts; a body of no events gives none', async () => {
    assert.deepEqual(await events(['data: tail']), [{ event: 'message', data: 'tail' }]);
    assert.deepEqual(await events(['<html>\n<body>hello</body>\n']), []);
  });

  test('an event longer than the limit is refused as soon as it gets that long, not at its end', async () => {
    const source = body(['data: ', ...Array(100).fill('x'.repeat(100)), '\n\n']);
    const reading = (async () => {
      for await (const _event of serverSentEvents(source.stream, { maxEventChars: 1000, tooLarge: () => new TooLarge() })) assert.fail('no event');
    })();
    await assert.rejects(reading, TooLarge);
    assert.ok(source.pulled() < 20, `read ${source.pulled()} of 102 pieces`);
  });

  test('events at the limit pass, however many there are', async () => {
    const event = `data: ${'y'.repeat(994)}\n\n`;
    assert.equal((await events(Array(50).fill(event), 1000)).length, 50);
  });
});
