// Python's repr of strings, lists and sets of strings: LangChain's error messages embed them
// (`One input key expected got ['a', 'b']`, `Missing some input keys: {'x'}`), and users search for them.

/** repr(str): single quotes unless the text holds a `'` and no `"`; escapes as Python does. */
export function pyStr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  if (!needsEscape(text, quote)) return `${quote}${text}${quote}`; // a name: no character-by-character copy
  let out = quote;
  for (const char of text) out += escapeChar(char, quote);
  return out + quote;
}

function escapeChar(char: string, quote: string): string {
  if (char === quote || char === '\\') return `\\${char}`;
  if (char === '\n') return '\\n';
  if (char === '\r') return '\\r';
  if (char === '\t') return '\\t';
  const code = char.codePointAt(0) ?? 0;
  if (isControl(code)) return `\\x${code.toString(16).padStart(2, '0')}`;
  return char;
}

/** C0, DEL and C1: what Python writes as `\xhh`. */
function isControl(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f);
}

function needsEscape(text: string, quote: string): boolean {
  const quoteCode = quote.charCodeAt(0);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === quoteCode || code === 0x5c || isControl(code)) return true;
  }
  return false;
}

/** repr(list[str]) */
export function pyList(items: readonly string[]): string {
  return `[${items.map(pyStr).join(', ')}]`;
}

/** repr(set[str]) for a non-empty set, in the given order (Python's own order is arbitrary). */
export function pySet(items: readonly string[]): string {
  return items.length === 0 ? 'set()' : `{${items.map(pyStr).join(', ')}}`;
}
