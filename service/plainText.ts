// How a message reads where Markdown is not rendered: the Problems panel, quick-fix titles, `prompt-chain
// check`. Messages are written once with Markdown code spans (the parser's and the rules' alike, and the
// hover renders the same spans as code); at the edge they become plain text in one quoting style:
//
//   `{history}`, `{{history}}`   →  {history}, {{history}}   a template variable reads as it is written
//   `memory.key`, `history `     →  “memory.key”, “history ”  anything else in typographic quotes, which
//                                                             never clash with the straight quotes of YAML
//                                                             values or Python reprs inside them
//
// LangChain's own error texts are quoted verbatim inside the quotes: `Missing some input keys: {'x'}`
// becomes “Missing some input keys: {'x'}”.

/** A code span: a backtick, text without one, a backtick. An unpaired backtick (user text) stays as it is. */
const codeSpan = /`([^`]*)`/g;

export function plainText(message: string): string {
  return message.includes('`') ? message.replace(codeSpan, (_, code: string) => quoted(code)) : message;
}

function quoted(code: string): string {
  return isVariable(code) ? code : `“${code}”`;
}

/** `{name}` or `{{name}}` with a name inside: self-delimiting, so it needs no quotes. */
function isVariable(code: string): boolean {
  return /^\{\{?[^{}]+\}\}?$/.test(code) && (code.startsWith('{{') === code.endsWith('}}'));
}
