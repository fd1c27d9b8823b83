// How variable names are compared when people, not LangChain, are the judge (LangChain matches names
// exactly): without case, white space, `_` or `-`. `human_input`, `Human-Input` and `humanInput` are one
// name to a "did you mean" and to the guess of which variable takes the human's words.

/** The name in lower case without white space, `_` or `-`: `Chat_History ` is `chathistory`. */
export function normalizeName(name: string): string {
  return nameWords(name, '');
}

/**
 * The words of `name` in lower case (split at white space, `_` and `-`), joined by `glue`. One pass
 * without regular expressions, and the name itself when it is already written so: asked for every
 * variable of a template that may have tens of thousands.
 */
export function nameWords(name: string, glue: '' | '_'): string {
  const lower = name.toLowerCase();
  if (isWrittenSo(lower, glue)) return lower;
  let joined = '';
  let wordStart = 0;
  for (let i = 0; i <= lower.length; i++) {
    if (i < lower.length && !isSeparator(lower.charCodeAt(i))) continue;
    if (i > wordStart) joined = joined === '' ? lower.slice(wordStart, i) : joined + glue + lower.slice(wordStart, i);
    wordStart = i + 1;
  }
  return joined;
}

/** Whether `lower` is its words joined by `glue` already: no other separator, none doubled or at an end. */
function isWrittenSo(lower: string, glue: '' | '_'): boolean {
  let previousWasGlue = true; // a glue at the start is not allowed either
  for (let i = 0; i < lower.length; i++) {
    const code = lower.charCodeAt(i);
    if (!isSeparator(code)) {
      previousWasGlue = false;
      continue;
    }
    if (glue === '' || code !== UNDERSCORE || previousWasGlue) return false;
    previousWasGlue = true;
  }
  return !previousWasGlue || lower === '';
}

const UNDERSCORE = 95;

/** `_`, `-` or what `\s` matches. */
function isSeparator(code: number): boolean {
  if (code === UNDERSCORE || code === 45 || code === 32 || (code >= 9 && code <= 13)) return true;
  return code >= 0xa0 && /\s/.test(String.fromCharCode(code));
}
