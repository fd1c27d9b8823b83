// Text from outside the program (a model's reply, a stored turn, a shared .prompt file, a server's error
// message, a file name) is shown on a terminal only through here, so none of it can drive the terminal:
// no escape sequence can move the cursor, erase a line, set the window title or hide what follows.
// Only the display changes; the stored turn and the prompt sent to the model keep their exact text.
//
// What is escaped, each character on its own (so a sequence split across streamed chunks is still caught):
//   C0 controls U+0000–U+001F except tab and newline, DEL U+007F, C1 controls U+0080–U+009F  ->  \xHH
//   the bidi embedding, override and isolate controls U+202A–U+202E, U+2066–U+2069            ->  \uHHHH
// The forms are JavaScript's and Python's own string escapes (hex in lower case): `\x1b`, `\x0d`, `\x9b`,
// `\u202e`. A CR is escaped even before a newline: a reply's CRLF line ends show as `\x0d` at the end of
// each line, which says what the text holds. Backslashes are left alone, so code and paths read as
// written; the price is that a literal `\x1b` typed in the text looks like an escaped ESC. The exact text
// is always one `--json` away (JSON's own escapes, decoded by any parser), and in the stored records.
// Bidi controls are escaped because they reorder what is shown (Trojan Source, CVE-2021-42574): a `check`
// line could otherwise display something else than the file holds. The marks LRM, RLM and ALM, which
// right-to-left text uses legitimately and which cannot reorder a whole span, are kept.

/** Every character displaySafe escapes. */
const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'g');

/** The escape of each unsafe character, made once: a hostile text can hold millions of them. */
const ESCAPES = new Map<string, string>(
  Array.from({ length: 0x2070 }, (_, code) => String.fromCharCode(code))
    .filter((char) => UNSAFE.test(char))
    .map((char) => [char, escapeOne(char)]),
);

/** What JSON.stringify leaves raw that a terminal would act on, plus U+2028/U+2029 (line breaks to JavaScript). */
const JSON_UNSAFE = /[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** `text` with every control character shown as an escape; tab, newline and all other text unchanged. */
export function displaySafe(text: string): string {
  if (!UNSAFE.test(text)) return text;
  return text.replace(UNSAFE_ALL, (char) => ESCAPES.get(char) ?? escapeOne(char));
}

/**
 * JSON.stringify, with every character a terminal would act on written as a JSON `\u00XX` escape: the
 * output shows as plain text on a terminal and parses back to exactly `value`.
 */
export function displaySafeJson(value: unknown, indent = 2): string {
  return JSON.stringify(value, null, indent).replace(JSON_UNSAFE, (char) => `\\u${hex(char, 4)}`);
}

function escapeOne(char: string): string {
  const code = char.charCodeAt(0);
  return code <= 0xff ? `\\x${hex(char, 2)}` : `\\u${hex(char, 4)}`;
}

function hex(char: string, digits: number): string {
  return char.charCodeAt(0).toString(16).padStart(digits, '0');
}
