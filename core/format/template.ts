// One template (a completion body or a chat message) from a slice of the file, in either format.
// Scanners work on the source LangChain receives (line breaks normalized, as Python's universal newlines
// do) and report spans through a mapper back to the file, which only `\r\n` makes non-trivial.

import type { Span, Template, TemplateFormat } from './model';
import { scanFString } from './fstring';
import { scanMustache } from './mustache';
import { normalizedSlice } from './text';

export function parseTemplate(text: string, span: Span, format: TemplateFormat): Template {
  const { source, offsets } = normalizedSlice(text, span.start, span.end);
  if (format === 'mustache') {
    const { variables, problems } = scanMustache(source, offsets);
    return { format, source, span, parts: [{ kind: 'mustache', source }], variables, problems };
  }
  const { parts, variables, problems } = scanFString(source, offsets);
  return { format, source, span, parts, variables, problems };
}
