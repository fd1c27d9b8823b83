// Python's `json.dumps(value)` with its defaults, byte for byte: the text a LangChain store written from
// Python holds (RedisChatMessageHistory, SQLChatMessageHistory, FileChatMessageHistory all call it bare).
// The defaults that differ from JSON.stringify: `", "` between items, `": "` after keys, and
// ensure_ascii=True — every character outside printable ASCII (DEL included) as `\uXXXX` in lowercase hex,
// astral characters as their surrogate pair, which is how JavaScript strings already hold them.

/** A JSON value as `JSON.parse` returns it. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

// Python's ESCAPE_ASCII: a backslash, a quote, or anything outside ' '..'~'.
const NEEDS_ESCAPE = /[\\"\u0000-\u001f\u007f-\uffff]/g;
const SHORT_ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '"': '\\"', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `json.dumps(text)`: the string as a quoted, ASCII-only literal. */
export function pythonJsonString(text: string): string {
  return `"${text.replace(NEEDS_ESCAPE, escapeOne)}"`;
}

function escapeOne(char: string): string {
  return SHORT_ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * `json.dumps(value)`. Object keys keep their insertion order (Python's dicts do too). Numbers: only the
 * integers LangChain's message dicts hold (token counts) are written exactly; Python would print a float
 * that happens to be whole as `3.0`, which a parsed JSON value can no longer tell from `3`, so callers keep
 * the stored text of messages they read instead of dumping them again.
 */
export function pythonJsonDumps(value: JsonValue): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return pythonJsonString(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return pythonNumber(value);
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  const members = Object.entries(value).map(([key, member]) => `${pythonJsonString(key)}: ${pythonJsonDumps(member)}`);
  return `{${members.join(', ')}}`;
}

function pythonNumber(value: number): string {
  // json.dumps(float('nan')) is `NaN` (allow_nan=True); JSON.parse never produces one, a caller might.
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  return String(value);
}
