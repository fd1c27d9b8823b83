// A conversation of a test file and its turns, read from the YAML tree (see testFile.ts). A conversation
// without a name is kept under `conversation N` so the editor can still list it; its problem is an error,
// and a file with errors does not run.

import { isMap, type Node, type YAMLMap } from 'yaml';
import type { Span } from '../format/model';
import { readAssertion } from './testAssertion';
import type { TestEntry, TestFileReader } from './testFileReader';
import type { Assertion, TestConversation, TestTurn } from './types';

type Writable<T> = { -readonly [K in keyof T]: T[K] };

export function readConversation(reader: TestFileReader, item: Node | null, index: number): TestConversation | undefined {
  if (!isMap(item)) {
    reader.report('test-wrong-type', 'A conversation is a map: `- name: …` with `turns:`.', reader.span(item));
    return undefined;
  }
  const span = reader.span(item);
  const conversation: Writable<TestConversation> = {
    name: `conversation ${index + 1}`,
    nameSpan: span,
    vars: {},
    varSpans: {},
    repeat: 1,
    passRate: 1,
    turns: [],
    span,
  };
  const entries = reader.entries(item, 'conversation');
  for (const entry of entries) readConversationKey(reader, entry, conversation);
  const head = entries[0]?.keySpan ?? span;
  if (!entries.some((entry) => entry.name === 'name')) reader.report('test-missing-key', 'Missing `name`: say what the conversation checks (`name: remembers the name`).', head);
  if (!entries.some((entry) => entry.name === 'turns')) reader.report('test-missing-key', 'Missing `turns`: a conversation runs its turns in order (`turns:` with `- input: …`).', head);
  return conversation;
}

function readConversationKey(reader: TestFileReader, entry: TestEntry, conversation: Writable<TestConversation>): void {
  switch (entry.name) {
    case 'name':
      return readName(reader, entry, conversation);
    case 'vars':
      return readVars(reader, entry, conversation);
    case 'history':
      return readHistory(reader, entry, conversation);
    case 'repeat':
    case 'pass_rate':
      return readRepeat(reader, entry, conversation);
    case 'turns':
      conversation.turns = readTurns(reader, entry);
      return;
  }
}

function readName(reader: TestFileReader, entry: TestEntry, conversation: Writable<TestConversation>): void {
  const name = reader.nonBlankText(entry, '`name` is empty: say what the conversation checks.');
  if (name === undefined) return;
  conversation.name = name;
  conversation.nameSpan = entry.valueSpan;
}

function readHistory(reader: TestFileReader, entry: TestEntry, conversation: Writable<TestConversation>): void {
  const history = reader.nonBlankText(entry, '`history` is empty: name a FileChatMessageHistory JSON file, or remove the key to start from empty memory.');
  if (history === undefined) return;
  conversation.history = history;
  conversation.historySpan = entry.valueSpan;
}

function readRepeat(reader: TestFileReader, entry: TestEntry, conversation: Writable<TestConversation>): void {
  if (!entry.schema) return;
  const value = reader.number(entry, entry.schema);
  if (value === undefined) return;
  if (entry.name === 'repeat') conversation.repeat = value;
  else conversation.passRate = value;
}

/** `vars:`: name → text. Whether the prompt has each variable is checkTestFile's question. */
function readVars(reader: TestFileReader, entry: TestEntry, conversation: Writable<TestConversation>): void {
  const map = reader.map(entry, 'a map of variable names to values (`persona: pirate`)');
  if (!map) return;
  const vars: Record<string, string> = {};
  const spans: Record<string, Span> = {};
  for (const variable of reader.entries(map, undefined)) {
    const value = reader.text(variable);
    if (value === undefined) continue;
    // defined, not assigned: a variable may be called `__proto__`
    Object.defineProperty(vars, variable.name, { value, enumerable: true, writable: true, configurable: true });
    Object.defineProperty(spans, variable.name, { value: variable.keySpan, enumerable: true, writable: true, configurable: true });
  }
  conversation.vars = vars;
  conversation.varSpans = spans;
}

function readTurns(reader: TestFileReader, entry: TestEntry): TestTurn[] {
  const items = reader.list(entry, 'a list of turns, each `- input: …`');
  if (items === undefined) return [];
  if (items.length === 0) reader.report('test-missing-key', 'No turns: add `- input: …`, or the conversation tests nothing.', reader.valueTarget(entry));
  const turns: TestTurn[] = [];
  for (const item of items) {
    if (!reader.count(item)) break;
    const turn = readTurn(reader, item);
    if (turn) turns.push(turn);
  }
  return turns;
}

function readTurn(reader: TestFileReader, item: Node | null): TestTurn | undefined {
  if (!isMap(item)) {
    reader.report('test-wrong-type', 'A turn is a map: `- input: …`, with `expect:` for its assertions.', reader.span(item));
    return undefined;
  }
  return turnOf(reader, item);
}

function turnOf(reader: TestFileReader, item: YAMLMap): TestTurn | undefined {
  let input: string | undefined;
  let expect: Assertion[] = [];
  const entries = reader.entries(item, 'turn');
  for (const entry of entries) {
    if (entry.name === 'input') input = reader.text(entry);
    if (entry.name === 'expect') expect = readExpect(reader, entry);
  }
  const span = reader.span(item);
  if (!entries.some((entry) => entry.name === 'input')) {
    reader.report('test-missing-key', 'Missing `input`: a turn sends `input: …` as the user input.', entries[0]?.keySpan ?? span);
  }
  return input === undefined ? undefined : { input, expect, span };
}

function readExpect(reader: TestFileReader, entry: TestEntry): Assertion[] {
  const items = reader.list(entry, 'a list of assertions, each `- KIND: VALUE` (`- contains: Ada`)');
  if (items === undefined) return [];
  const assertions: Assertion[] = [];
  for (const item of items) {
    if (!reader.count(item)) break;
    const assertion = readAssertion(reader, item);
    if (assertion) assertions.push(assertion);
  }
  return assertions;
}
