// Parses a `.prompt-test.yaml` into a TestFile: never throws; every conversation, turn and assertion keeps
// its span, and everything wrong with the file on its own (YAML, unknown keys and assertions, values of the
// wrong type, duplicate names) is a problem at the text it is about. What needs the prompt is
// checkTestFile's. The YAML goes through the guarded parse of core/format/yamlDocument.ts, with line breaks
// normalized as for front matter.

import { isMap, type Document, type YAMLMap } from 'yaml';
import type { Span } from '../format/model';
import { normalizedSlice } from '../format/text';
import { MAX_YAML_DEPTH, MAX_YAML_ERRORS, parseYaml } from '../format/yamlDocument';
import { TestFileReader, type TestEntry } from './testFileReader';
import { readConversation } from './testConversation';
import type { TestConversation, TestFile } from './types';

/** Larger than any hand-written test file (hundreds of conversations); keeps a stray dump from being parsed. */
export const MAX_TEST_FILE_LENGTH = 1024 * 1024;

export function parseTestFile(text: string): TestFile {
  const reader = new TestFileReader(text);
  const doc = readDocument(text, reader);
  const root = doc?.contents ?? null;
  if (doc && isMap(root)) return readTop(reader, root);
  if (doc && root !== null) reader.report('test-wrong-type', 'A test file is a map: `prompt:` and `conversations:`.', reader.span(root));
  if (doc && root === null) missingTopKeys(reader, ['prompt', 'conversations']);
  return { prompt: '', promptSpan: reader.start, conversations: [], problems: reader.problems, keys: reader.keys };
}

function readDocument(text: string, reader: TestFileReader): Document | undefined {
  if (text.length > MAX_TEST_FILE_LENGTH) {
    reader.report('test-yaml-syntax', `The test file is larger than ${MAX_TEST_FILE_LENGTH / 1024 / 1024} MB and was not read; split it into several files.`, reader.start);
    return undefined;
  }
  const { source, offsets } = normalizedSlice(text, 0, text.length);
  reader.offsets = offsets;
  const parsed = parseYaml(source);
  if (parsed.kind === 'document') {
    reader.useDocument(parsed.doc);
    reportYamlErrors(reader, parsed.doc);
    return parsed.doc;
  }
  const at = reader.pointAt(offsets.toFile(parsed.offset));
  const message =
    parsed.kind === 'too-deep'
      ? `The test file nests deeper than ${MAX_YAML_DEPTH} levels here and was not read; a test file is five levels deep.`
      : `The test file has over ${MAX_YAML_ERRORS} YAML syntax errors, the first here, and was not read.`;
  reader.report('test-yaml-syntax', message, at);
  return undefined;
}

function reportYamlErrors(reader: TestFileReader, doc: Document): void {
  for (const error of doc.errors) reader.report('test-yaml-syntax', `YAML: ${error.message}`, reader.rangeSpan(error.pos));
  for (const warning of doc.warnings) reader.report('test-yaml-syntax', `YAML: ${warning.message}`, reader.rangeSpan(warning.pos), 'warning');
}

function readTop(reader: TestFileReader, root: YAMLMap): TestFile {
  let prompt: { value: string; span: Span } | undefined;
  let conversations: TestConversation[] = [];
  const entries = reader.entries(root, 'file');
  for (const entry of entries) {
    if (entry.name === 'prompt') prompt = readPrompt(reader, entry);
    if (entry.name === 'conversations') conversations = readConversations(reader, entry);
  }
  missingTopKeys(reader, ['prompt', 'conversations'].filter((key) => !entries.some((entry) => entry.name === key)));
  return { prompt: prompt?.value ?? '', promptSpan: prompt?.span ?? reader.start, conversations, problems: reader.problems, keys: reader.keys };
}

function readPrompt(reader: TestFileReader, entry: TestEntry): { value: string; span: Span } | undefined {
  const value = reader.nonBlankText(entry, '`prompt` is empty: name the `.prompt` file under test, relative to this file.');
  return value === undefined ? undefined : { value, span: entry.valueSpan };
}

function readConversations(reader: TestFileReader, entry: TestEntry): TestConversation[] {
  const items = reader.list(entry, 'a list of conversations, each `- name: …` with `turns:`');
  if (items === undefined) return [];
  if (items.length === 0) reader.report('test-missing-key', 'No conversations: add one (`- name: …` with `turns:`), or there is nothing to test.', reader.valueTarget(entry), 'warning');
  const conversations: TestConversation[] = [];
  const names = new Set<string>();
  for (const [index, item] of items.entries()) {
    const conversation = readConversation(reader, item, index);
    if (!conversation) continue;
    if (names.has(conversation.name)) reportDuplicateName(reader, conversation);
    names.add(conversation.name);
    conversations.push(conversation);
  }
  return conversations;
}

function reportDuplicateName(reader: TestFileReader, conversation: TestConversation): void {
  // Reports, snapshots and the Testing view tell conversations apart by name.
  const message = `Another conversation is named "${conversation.name}": names tell conversations apart in reports, snapshots and the Testing view; rename one.`;
  reader.report('test-duplicate-name', message, conversation.nameSpan);
}

function missingTopKeys(reader: TestFileReader, keys: readonly string[]): void {
  for (const key of keys) {
    const what = key === 'prompt' ? 'the `.prompt` file under test (`prompt: chat.prompt`)' : 'the conversations to run (`conversations:`)';
    reader.report('test-missing-key', `Missing \`${key}\`: a test file names ${what}.`, reader.start);
  }
}
