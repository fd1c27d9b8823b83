// OpenAI's `stop` on a streamed reply (core/model/local/stopSequences.ts): the reply ends before the first
// stop sequence, nothing of it or after it is streamed, and a piece that may begin one is held back only
// until the next piece tells.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { StopSequences } from '../../../../core/model/local/stopSequences';

interface Streamed {
  reply: string;
  /** What was streamed, piece by piece. */
  emitted: string[];
  /** push's answers, one per piece given (pieces after a false are not given, as the model stops). */
  answers: boolean[];
}

/** Streams `pieces` through the stops as the local model does: until push says stop, then end(). */
function stream(stops: readonly string[], pieces: readonly string[]): Streamed {
  const emitted: string[] = [];
  const answers: boolean[] = [];
  const sequences = new StopSequences(stops, (piece) => emitted.push(piece));
  for (const piece of pieces) {
    const more = sequences.push(piece);
    answers.push(more);
    if (!more) break;
  }
  sequences.end();
  return { reply: sequences.reply, emitted, answers };
}

/** The reply OpenAI gives: the text before the earliest occurrence of any (non-empty) stop. */
function expectedReply(text: string, stops: readonly string[]): string {
  const found = stops.filter((stop) => stop !== '').map((stop) => text.indexOf(stop)).filter((at) => at >= 0);
  return found.length === 0 ? text : text.slice(0, Math.min(...found));
}

describe('StopSequences', () => {
  test('no stops: every piece is streamed as it comes', () => {
    assert.deepEqual(stream([], ['Hello', '!', ' I']), { reply: 'Hello! I', emitted: ['Hello', '!', ' I'], answers: [true, true, true] });
  });

  test('a stop inside one piece: the reply ends before it, and push says to stop', () => {
    const { reply, emitted, answers } = stream(['tiny'], ['Hello! I am a tiny model.', 'never seen']);
    assert.deepEqual([reply, emitted.join(''), answers], ['Hello! I am a ', 'Hello! I am a ', [false]]);
  });

  test('a stop split across pieces: the start is held back, then dropped', () => {
    const { reply, emitted, answers } = stream(['\nHuman:'], ['Fine.', '\nHu', 'man: next']);
    assert.deepEqual(emitted, ['Fine.']);
    assert.equal(reply, 'Fine.');
    assert.deepEqual(answers, [true, true, false]);
  });

  test('a held-back start that turns out not to be a stop is streamed with the next piece', () => {
    const { reply, emitted } = stream(['\nHuman:'], ['Fine.\nHu', 'go on']);
    assert.deepEqual(emitted, ['Fine.', '\nHugo on']);
    assert.equal(reply, 'Fine.\nHugo on');
  });

  test('what is held back when the reply ends is part of the reply', () => {
    const { reply, emitted } = stream(['model!'], ['a tiny ', 'model']);
    assert.deepEqual(emitted, ['a tiny ', 'model']);
    assert.equal(reply, 'a tiny model');
  });

  test('of several stops the earliest in the text wins, whichever is listed first', () => {
    assert.equal(stream(['model', 'tiny'], ['I am a tiny model']).reply, 'I am a ');
    assert.equal(stream(['m', 'am a'], ['I a', 'm a']).reply, 'I ');
  });

  // A short stop complete inside a longer one that began earlier: how the text was split must not matter.
  test('a complete stop waits while a stop that begins earlier is still undecided', () => {
    const stops = ['\n', 'b\n\n'];
    assert.deepEqual(stream(stops, ['ab\n', '\n']), { reply: 'a', emitted: ['a'], answers: [true, false] });
    assert.deepEqual(stream(stops, ['ab\n\n']), { reply: 'a', emitted: ['a'], answers: [false] });
    // The longer one does not complete: the shorter ends the reply, at the next piece or at the end.
    assert.deepEqual(stream(stops, ['ab\n', 'x', 'more']), { reply: 'ab', emitted: ['a', 'b'], answers: [true, false] });
    assert.deepEqual(stream(stops, ['ab\n']), { reply: 'ab', emitted: ['a', 'b'], answers: [true] });
  });

  test('a stop at the very start: an empty reply, nothing streamed', () => {
    assert.deepEqual(stream(['Hello'], ['Hel', 'lo!']), { reply: '', emitted: [], answers: [true, false] });
  });

  test('empty stop strings are ignored', () => {
    assert.deepEqual(stream([''], ['ab', 'c']).reply, 'abc');
  });

  test('pieces after the stop are refused and change nothing', () => {
    const emitted: string[] = [];
    const sequences = new StopSequences(['x'], (piece) => emitted.push(piece));
    assert.equal(sequences.push('abxcd'), false);
    assert.equal(sequences.push('more'), false);
    sequences.end();
    assert.deepEqual([sequences.reply, emitted, sequences.stoppedAt], ['ab', ['ab'], 2]);
  });

  // Letters from a small alphabet, so that stops occur, overlap and start to match often.
  const letters = fc.constantFrom('a', 'b', 'c', '\n');
  const text = fc.string({ unit: letters, maxLength: 40 });
  const stops = fc.array(fc.string({ unit: letters, maxLength: 5 }), { maxLength: 4 });
  const cuts = fc.array(fc.nat({ max: 40 }), { maxLength: 12 });

  /** `whole` cut at `at` (sorted, within its length): its pieces, empty ones included. */
  function split(whole: string, at: readonly number[]): string[] {
    const points = [...new Set(at.map((point) => Math.min(point, whole.length)))].sort((a, b) => a - b);
    return [0, ...points].map((start, index) => whole.slice(start, points[index] ?? whole.length));
  }

  test('property: any split of any text streams exactly the text before the first stop', () => {
    fc.assert(
      fc.property(text, stops, cuts, (whole, stopList, at) => {
        const pieces = split(whole, at);
        assert.equal(pieces.join(''), whole);
        const { reply, emitted } = stream(stopList, pieces);
        const expected = expectedReply(whole, stopList);
        assert.equal(reply, expected);
        assert.equal(emitted.join(''), expected);
      }),
      { numRuns: 2000, includeErrorInReport: true },
    );
  });

  test('property: no more is held back than could still begin a stop', () => {
    fc.assert(
      fc.property(text, stops, cuts, (whole, stopList, at) => {
        const longest = Math.max(0, ...stopList.map((stop) => stop.length));
        let given = '';
        let streamedSoFar = '';
        const sequences = new StopSequences(stopList, (piece) => (streamedSoFar += piece));
        for (const piece of split(whole, at)) {
          given += piece;
          if (!sequences.push(piece)) return;
          assert.ok(given.startsWith(streamedSoFar));
          assert.ok(given.length - streamedSoFar.length <= Math.max(0, longest - 1), `held back ${JSON.stringify(given.slice(streamedSoFar.length))}`);
        }
      }),
      { numRuns: 1000, includeErrorInReport: true },
    );
  });
});
