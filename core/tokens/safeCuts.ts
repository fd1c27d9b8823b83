// Where text can be cut so that counting the two sides separately gives exactly the count of the whole.
// BPE never merges across a pre-token boundary, so a cut is safe where both encodings' pre-tokenizer
// regexes (gpt-tokenizer's CL100K_/O200K_TOKEN_SPLIT_REGEX) are certain to end a piece, whatever comes
// before or after, and where the left side scanned alone ends in the same pieces (the regexes look ahead
// only inside runs of whitespace: `\s+(?!\S)`, `\s+$`). Decided from the two characters around the cut:
//
//   a. not whitespace, then whitespace other than CR/LF — no piece runs from a non-space into a space
//      (punctuation pieces only take CR/LF after them);
//   b. a letter, then anything but a letter, a mark or `'` — words end there (o200k keeps marks and
//      `'s`/`'ll`... with the word);
//   c. a digit, then anything but a digit — digit pieces are only digits;
//   d. CR or LF, then neither whitespace nor `/` — a line break ends its whitespace piece (o200k lets
//      `/` follow line breaks that end a punctuation piece).
//
// Letters, digits and marks are Unicode's \p{L}, \p{N} and \p{M}, as in the regexes; a cut never falls
// inside a surrogate pair.

const LINE_FEED = 10;
const CARRIAGE_RETURN = 13;
const APOSTROPHE = 39;
const SLASH = 47;

const LETTER = 1;
const DIGIT = 2;
const MARK = 4;
const SPACE = 8;
const SURROGATE = 16;
const KNOWN = 128;

/** Class bits per UTF-16 unit, filled in the first time a unit is seen. */
const classes = new Uint8Array(65536);

export function isSafeCut(text: string, at: number): boolean {
  const before = text.charCodeAt(at - 1);
  const after = text.charCodeAt(at);
  const left = classOf(before);
  const right = classOf(after);
  if (right & SPACE) {
    if (after === LINE_FEED || after === CARRIAGE_RETURN) return (left & (LETTER | DIGIT)) !== 0; // b, c
    return (left & SPACE) === 0; // a
  }
  if (before === LINE_FEED || before === CARRIAGE_RETURN) return after !== SLASH; // d
  if (right & SURROGATE) return false;
  if (left & LETTER) return (right & (LETTER | MARK)) === 0 && after !== APOSTROPHE; // b
  if (left & DIGIT) return (right & DIGIT) === 0; // c
  return false;
}

function classOf(code: number): number {
  let bits = classes[code] ?? 0;
  if (bits === 0) {
    bits = KNOWN | computeClass(code);
    classes[code] = bits;
  }
  return bits;
}

function computeClass(code: number): number {
  if (code >= 0xd800 && code <= 0xdfff) return SURROGATE;
  const char = String.fromCharCode(code);
  if (/\s/.test(char)) return SPACE;
  if (/\p{L}/u.test(char)) return LETTER;
  if (/\p{N}/u.test(char)) return DIGIT;
  if (/\p{M}/u.test(char)) return MARK;
  return 0;
}
