// Go to definition: from a `{variable}` (or a declaration) to where the front matter says what it is —
// `memory.key` for the memory variable, its partial_variables key, its input_variables entry, input_key.

import type { Location, Position } from 'vscode-languageserver-types';
import type { Span } from '../../core/format/model';
import type { PromptContext } from '../context';
import { declarations, occurrenceAt, type OccurrenceKind } from './occurrences';
import { locationOf } from './spans';
import { memoryDecl, memoryKeyOf } from './variables';

/** The declaration that decides the value first, as LLMChain merges memory over input over partials. */
const valueSourceOrder: readonly OccurrenceKind[] = ['memoryKey', 'inputKey', 'partial', 'inputVariable'];

export function getDefinition(ctx: PromptContext, position: Position): Location[] {
  const occurrence = occurrenceAt(ctx, ctx.textDocument.offsetAt(position));
  if (!occurrence) return [];
  const declared = declarations(ctx)
    .filter((d) => d.name === occurrence.name)
    .sort((a, b) => valueSourceOrder.indexOf(a.kind) - valueSourceOrder.indexOf(b.kind))
    .map((d) => d.span);
  const spans = declared.length > 0 ? declared : implicitMemoryKey(ctx, occurrence.name);
  return spans.map((span) => locationOf(ctx, span));
}

/** A memory key taken from the default is defined by the `memory:` block that leaves it out, if written. */
function implicitMemoryKey(ctx: PromptContext, name: string): Span[] {
  if (name !== memoryKeyOf(ctx)) return [];
  const memoryKeySpan = ctx.prompt.frontMatter?.fields.find((f) => f.path.length === 1 && f.path[0] === 'memory')?.keySpan;
  return memoryDecl(ctx.prompt) && memoryKeySpan ? [memoryKeySpan] : [];
}
