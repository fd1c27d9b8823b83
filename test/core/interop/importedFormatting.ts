// Shared by the Prompty and Dotprompt import tests: what an imported prompt becomes as a `.prompt` file (the
// one writer, promptFileOf), that the file checks clean, and what our engine formats from it for some values
// and a stored conversation: the messages a turn would send.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parsePrompt } from '../../../core/format/parse';
import { resolveConfig } from '../../../core/chain/config';
import { preparePrompt } from '../../../core/chain/prepare';
import { resolveInputKey } from '../../../core/chain/inputKey';
import type { ChatMessage, Turn } from '../../../core/chain/types';
import { promptFileOf } from '../../../core/interop/promptFile';
import type { ImportReading } from '../../../core/interop/types';
import { createContext } from '../../../service/context';
import { validate } from '../../../service/diagnostics';
import { TextDocument } from 'vscode-languageserver-textdocument';

export const fixturesDir = path.join(__dirname, 'fixtures');

export function fixtureText(...parts: string[]): string {
  return readFileSync(path.join(fixturesDir, ...parts), 'utf8');
}

export interface Formatted {
  /** The `.prompt` text the import writes. */
  readonly file: string;
  readonly inputKey: string;
  readonly messages: readonly ChatMessage[];
}

/**
 * The imported prompt written, parsed with no error problem and no error diagnostic (what the editor would
 * show; a warning that a variable needs a value from the run is the source's design), and formatted as a turn
 * would: `values` for the variables (the input key's is the chat input), `turns` in the memory.
 */
export function formatImported(reading: ImportReading, values: Record<string, string>, turns: readonly Turn[] = []): Formatted {
  const file = promptFileOf(reading.prompt);
  const doc = parsePrompt(file);
  assert.deepEqual(doc.problems.filter((problem) => problem.severity === 'error'), [], file);
  const diagnostics = validate(createContext(TextDocument.create('test://imported.prompt', 'prompt', 1, file)));
  assert.deepEqual(diagnostics.filter((diagnostic) => (diagnostic.severity ?? 1) === 1).map((diagnostic) => diagnostic.message), [], file);
  const config = resolveConfig(doc, {});
  const inputKey = resolveInputKey(doc.body, config);
  const { [inputKey]: input = '', ...variables } = values;
  const prepared = preparePrompt(doc, config, { input, variables, turns });
  return { file, inputKey: prepared.inputKey, messages: prepared.messages ?? [{ type: 'human', content: prepared.prompt }] };
}
