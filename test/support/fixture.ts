// In-memory `.prompt` documents for language-service tests. A `|` in the text marks the cursor; it is
// removed from the document. A document that needs a literal `|` passes `{ cursor: false }`.

import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position } from 'vscode-languageserver-types';
import { createContext, defaultServiceSettings, type PromptContext, type ServiceSettings } from '../../service/context';
import type { MemoryView, Turn } from '../../core/chain/types';

export interface Fixture {
  ctx: PromptContext;
  /** Cursor offset (0 when the text had no marker). */
  offset: number;
  position: Position;
  text: string;
}

export interface FixtureOptions {
  uri?: string;
  version?: number;
  settings?: Partial<ServiceSettings>;
  storedTurns?: Turn[];
  /** What the host says the memory holds now (summary memories). */
  memoryView?: MemoryView;
  /** When false, `|` is part of the text and the cursor is at offset 0. */
  cursor?: boolean;
}

export function fixture(source: string, options: FixtureOptions = {}): Fixture {
  const useCursor = options.cursor !== false && source.includes('|');
  const offset = useCursor ? source.indexOf('|') : 0;
  const text = useCursor ? source.slice(0, offset) + source.slice(offset + 1) : source;
  const doc = TextDocument.create(options.uri ?? 'test://a.prompt', 'prompt', options.version ?? 1, text);
  const settings = { ...defaultServiceSettings, ...options.settings };
  const facts = { storedTurns: options.storedTurns ?? [], ...(options.memoryView && { memoryView: options.memoryView }) };
  const ctx = createContext(doc, settings, facts);
  return { ctx, offset, position: doc.positionAt(offset), text };
}

/** Applies LSP text edits to a text (edits must not overlap). */
export function applyEdits(text: string, edits: { range: { start: Position; end: Position }; newText: string }[]): string {
  const doc = TextDocument.create('test://edit', 'prompt', 0, text);
  return TextDocument.applyEdits(doc, edits);
}
