// mustache.js's parseTemplate, reduced to what the language service reads of it: the tags, nested into
// their sections, and the errors it throws, with the same messages and offsets. mustache.js makes a token
// of every character of text and searches the rest of the template with a regex at every tag (a 170 KB
// template of 30,000 tags took 60 ms of every keystroke); this is one pass with indexOf. Templates that
// change their delimiters (`{{=<% %>=}}`) are left to mustache.js itself: `undefined` says so.
// test/core/format/mustacheTags.test.ts checks it against mustache.js on generated templates.

/** A tag as mustache.js nests it: [type, value, start, end, children (sections), closing tag's start]. */
export type MustacheToken = [string, string, number, number, MustacheToken[]?, number?];

const OPEN = '{{';
const CLOSE = '}}';
/** The characters after `{{` that give a tag its type (mustache.js's tagRe); any other: a name. */
const TAG_TYPES = new Set(['#', '^', '/', '>', '{', '&', '=', '!']);

/** JavaScript's `\s`, which mustache.js's regexes use. */
function isSpace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0xa0) return false;
  return code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff;
}

/**
 * The start of the first match of `\s*<closer>` at or after `from` (mustache.js's scanUntil): the first
 * `closer`, moved back over the whitespace before it but not before `from`; -1 when there is none.
 */
function untilClose(template: string, from: number, closer: string): number {
  const at = template.indexOf(closer, from);
  if (at < 0) return -1;
  let index = at;
  while (index > from && isSpace(template.charCodeAt(index - 1))) index--;
  return index;
}

function skipSpaces(template: string, at: number): number {
  while (at < template.length && isSpace(template.charCodeAt(at))) at++;
  return at;
}

/** The nested tags of `template` as mustache.js parses it with `{{ }}`; throws its errors; undefined for `{{=`. */
export function mustacheTags(template: string): MustacheToken[] | undefined {
  const nested: MustacheToken[] = [];
  let collector = nested;
  const sections: MustacheToken[] = [];
  let pos = 0;
  while (pos < template.length) {
    const start = template.indexOf(OPEN, pos);
    if (start < 0) break;
    pos = skipSpaces(template, start + OPEN.length);
    let type = template.charAt(pos);
    if (TAG_TYPES.has(type)) pos++;
    else type = 'name';
    if (type === '=') return undefined;
    pos = skipSpaces(template, pos);
    let value: string;
    if (type === '{') {
      // `{{{name}}}`: the name ends at `\s*}}}`, then `\s*}` and the closing `}}`.
      const end = untilClose(template, pos, `}${CLOSE}`);
      if (end < 0) throw new Error(`Unclosed tag at ${template.length}`);
      value = template.slice(pos, end);
      pos = skipSpaces(template, end) + 1;
      type = '&';
    } else {
      const end = untilClose(template, pos, CLOSE);
      if (end < 0) throw new Error(`Unclosed tag at ${template.length}`);
      value = template.slice(pos, end);
      pos = end;
    }
    // The closing `\s*}}`, which the scan above stopped in front of.
    pos = skipSpaces(template, pos) + CLOSE.length;
    const token: MustacheToken = [type, value, start, pos];
    if (type === '#' || type === '^') {
      collector.push(token);
      sections.push(token);
      collector = token[4] = [];
    } else if (type === '/') {
      const open = sections.pop();
      if (!open) throw new Error(`Unopened section "${value}" at ${start}`);
      if (open[1] !== value) throw new Error(`Unclosed section "${open[1]}" at ${start}`);
      open[5] = start;
      collector = sections.at(-1)?.[4] ?? nested;
    } else {
      collector.push(token);
    }
  }
  const open = sections.pop();
  if (open) throw new Error(`Unclosed section "${open[1]}" at ${template.length}`);
  return nested;
}
