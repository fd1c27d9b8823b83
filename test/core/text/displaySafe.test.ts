import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { displaySafe, displaySafeJson } from '../../../core/text/displaySafe';

/** What a terminal acts on: C0 but tab and newline, DEL, C1, and the bidi embedding/override/isolate controls. */
const TERMINAL_ACTS_ON = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

const everyBmpChar = Array.from({ length: 0x10000 }, (_, code) => String.fromCharCode(code));

describe('displaySafe', () => {
  test('escapes the sequences that spoof a terminal, each as its JavaScript/Python escape', () => {
    const spoof = 'OK\r\x1b[2K\x1b[A\x1b]0;title\x07\x00\x9b31m\x7f';
    assert.equal(displaySafe(spoof), 'OK\\x0d\\x1b[2K\\x1b[A\\x1b]0;title\\x07\\x00\\x9b31m\\x7f');
    assert.equal(displaySafe('a\u202eevil\u2069b\u2066'), 'a\\u202eevil\\u2069b\\u2066');
  });

  test('no character of the whole BMP displays as something a terminal acts on', () => {
    for (const char of everyBmpChar) assert.ok(!TERMINAL_ACTS_ON.test(displaySafe(char)), `U+${char.charCodeAt(0).toString(16)}`);
  });

  test('escapes exactly the control characters: all other text, tab and newline pass unchanged', () => {
    const changed = everyBmpChar.filter((char) => displaySafe(char) !== char);
    assert.deepEqual(changed, everyBmpChar.filter((char) => TERMINAL_ACTS_ON.test(char)));
    assert.equal(changed.length, 30 + 1 + 32 + 9);
    const ordinary = 'Hello\tworld\n« é ü 中文 עברית العربية \u200f 😀 » C:\\path\\x1b\n';
    assert.equal(displaySafe(ordinary), ordinary);
  });

  test('each escape is read back to its one character: the display is unambiguous apart from literal backslashes', () => {
    const controls = everyBmpChar.filter((char) => TERMINAL_ACTS_ON.test(char));
    const shown = controls.map(displaySafe);
    assert.equal(new Set(shown).size, controls.length);
    const readBack = (escape: string) => String.fromCharCode(parseInt(escape.slice(2), 16));
    assert.deepEqual(shown.map(readBack), controls);
  });

  test('escaping twice changes nothing more, and a sequence split in pieces is escaped as a whole', () => {
    const once = displaySafe('\x1b]0;x\x07\x9b');
    assert.equal(displaySafe(once), once);
    const pieces = ['a\x1b', ']0;', 'x\x07', '\x9b'];
    assert.equal(pieces.map(displaySafe).join(''), displaySafe(pieces.join('')));
  });
});

describe('displaySafeJson', () => {
  test('parses back to exactly the value, with nothing a terminal acts on in the text', () => {
    const text = everyBmpChar.join('');
    const value = { reply: text, [text.slice(0x70, 0xa0)]: [text] };
    const shown = displaySafeJson(value);
    assert.deepEqual(JSON.parse(shown), value);
    assert.ok(!TERMINAL_ACTS_ON.test(shown));
    assert.ok(!/[\u2028\u2029]/.test(shown), 'no JavaScript line terminators');
    assert.equal(displaySafe(shown), shown, 'the CLI can write it through the same escaper unchanged');
  });

  test('writes C1 as \\u00XX and keeps JSON.stringify\'s layout otherwise', () => {
    assert.equal(displaySafeJson({ a: '\x9b\x1b\u2028é' }), '{\n  "a": "\\u009b\\u001b\\u2028é"\n}');
    assert.equal(displaySafeJson([1, 'x'], 0), JSON.stringify([1, 'x']));
  });
});
