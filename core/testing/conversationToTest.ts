// Save as test: a stored conversation becomes a conversation of the prompt's test file (`NAME.prompt-test.yaml`
// beside `NAME.prompt`), each turn with a `snapshot: true` assertion, and its replies become that
// conversation's recorded baseline for the model (the snapshot file `prompt-chain test --update` writes), so
// the new test passes as saved and later fails where a reply changes. An existing test file keeps all it
// holds byte for byte, comments and line endings included: the conversation's lines are inserted after
// the last of its `conversations:` under a name of its own. Nothing is written here: the host writes both texts.

import { basename } from 'node:path';
import { Document, isMap, isSeq, stringify, YAMLSeq, type Node } from 'yaml';
import type { HistoryEntry, Turn } from '../chain/types';
import { PromptFileError } from '../files/readPromptFile';
import { parseYaml } from '../format/yamlDocument';
import { oneLine } from '../text/excerpt';
import { parseSnapshots, snapshotText, type Snapshots } from './snapshots';
import { testRelativePath } from './testPaths';

export interface SaveAsTestRequest {
  /** Absolute paths. */
  readonly promptPath: string;
  readonly testFilePath: string;
  /** The test file's text now (the editor's, when open); absent when there is none yet. */
  readonly testFileText?: string;
  readonly snapshotPath: string;
  readonly snapshotText?: string;
  readonly entries: readonly HistoryEntry[];
  /** The other variables the turns ran with (the panel's values). */
  readonly vars: Readonly<Record<string, string>>;
  /** The model the replies are recorded for (the one the runner uses for this prompt). */
  readonly model: string;
  /** The name to give it, made unique in the file (" 2", " 3"… added). */
  readonly name: string;
}

export interface SavedTest {
  readonly conversation: string;
  readonly testFileText: string;
  readonly snapshotText: string;
  readonly turns: number;
  /** Lone messages of a shared history, which a test conversation cannot hold (it starts from its turns). */
  readonly leftOut: number;
}

export function conversationToTest(request: SaveAsTestRequest): SavedTest {
  const turns = request.entries.filter((entry): entry is Turn => !('lone' in entry));
  if (turns.length === 0) throw new PromptFileError('The conversation has no turns to save as a test: send a message first.');
  const document = testDocument(request);
  const name = uniqueName(request.name, conversationNames(document));
  const testFileText = withConversation(document, request, conversationOf(name, request.vars, turns));
  const recorded = turns.map((turn, index) => ({ turn: index + 1, input: turn.input, reply: turn.output }));
  const updates: Snapshots = new Map([[name, new Map([[request.model, recorded]])]]);
  return {
    conversation: name,
    testFileText,
    snapshotText: snapshotText(existingSnapshots(request), updates),
    turns: turns.length,
    leftOut: request.entries.length - turns.length,
  };
}

function conversationOf(name: string, vars: Readonly<Record<string, string>>, turns: readonly Turn[]) {
  return {
    name,
    ...(Object.keys(vars).length > 0 && { vars: { ...vars } }),
    turns: turns.map((turn) => ({ input: turn.input, expect: [{ snapshot: true }] })),
  };
}

/** The test file as a YAML document: the existing one (for the same prompt), or a new one for the prompt. */
function testDocument(request: SaveAsTestRequest): Document {
  const fileName = basename(request.testFilePath);
  if (request.testFileText === undefined || request.testFileText.trim() === '') return new Document({ prompt: basename(request.promptPath), conversations: [] });
  const parsed = parseYaml(request.testFileText);
  const refuse = (why: string) => new PromptFileError(`${fileName}: ${why}; fix it first, or move it aside to save into a new one.`);
  if (parsed.kind !== 'document') throw refuse('is not YAML Prompt Chain can read');
  if (parsed.doc.errors.length > 0) throw refuse(`has a YAML error (${oneLine(parsed.doc.errors[0]!.message)})`);
  if (!isMap(parsed.doc.contents)) throw refuse('is not a test file (no `prompt:` and `conversations:`)');
  const prompt = parsed.doc.get('prompt');
  if (typeof prompt !== 'string' || testRelativePath(request.testFilePath, prompt) !== request.promptPath) {
    throw refuse(`tests another prompt (\`prompt: ${oneLine(String(prompt))}\`)`);
  }
  return parsed.doc;
}

const yamlOptions = { lineWidth: 0, blockQuote: 'literal' } as const;

/**
 * The file's text with the conversation after its last one: inserted as lines into a block list (the rest
 * untouched), else (a new file, `conversations: []`, none) the document written out with it.
 */
function withConversation(document: Document, request: SaveAsTestRequest, conversation: object): string {
  const text = request.testFileText ?? '';
  const list = document.get('conversations', true) as Node | undefined;
  if (isSeq(list) && !list.flow && list.items.length > 0 && list.range) {
    const newline = text.includes('\r\n') ? '\r\n' : '\n';
    const lineStart = text.lastIndexOf('\n', list.range[0] - 1) + 1;
    const indent = ' '.repeat(list.range[0] - lineStart);
    const lines = stringify([conversation], yamlOptions).replace(/\n$/, '').split('\n').map((line) => (line === '' ? line : indent + line));
    const lineEnd = text.indexOf('\n', list.range[1] - 1);
    const before = lineEnd < 0 ? text + newline : text.slice(0, lineEnd + 1);
    const after = lineEnd < 0 ? '' : text.slice(lineEnd + 1);
    return `${before}${lines.join(newline)}${newline}${after}`;
  }
  conversationsOf(document, request).add(document.createNode(conversation));
  return document.toString(yamlOptions);
}

function conversationsOf(document: Document, request: SaveAsTestRequest): YAMLSeq {
  const existing = document.get('conversations', true) as Node | undefined;
  if (existing === undefined || (existing as { value?: unknown }).value === null) {
    const created = new YAMLSeq();
    document.set('conversations', created);
    return created;
  }
  if (!isSeq(existing)) throw new PromptFileError(`${basename(request.testFilePath)}: \`conversations:\` is not a list; fix it first.`);
  return existing;
}

function conversationNames(document: Document): Set<string> {
  const conversations = document.get('conversations');
  const names = new Set<string>();
  if (!isSeq(conversations)) return names;
  for (const item of conversations.items) {
    const name = isMap(item) ? item.get('name') : undefined;
    if (typeof name === 'string') names.add(name);
  }
  return names;
}

function uniqueName(wanted: string, taken: ReadonlySet<string>): string {
  if (!taken.has(wanted)) return wanted;
  for (let counter = 2; ; counter++) if (!taken.has(`${wanted} ${counter}`)) return `${wanted} ${counter}`;
}

function existingSnapshots(request: SaveAsTestRequest): Snapshots {
  if (request.snapshotText === undefined) return new Map();
  try {
    return parseSnapshots(request.snapshotText, request.snapshotPath);
  } catch (error) {
    throw new PromptFileError(error instanceof Error ? error.message : String(error));
  }
}
