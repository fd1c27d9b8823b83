import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { AIMessage, HumanMessage } from '@langchain/core/messages';
import { encodeMessage } from '../../../../core/history/messageDicts';
import { parseHistoryUrl } from '../../../../core/history/historyUrl';
import { FILE_SESSION, openFileHistory, topLevelElements } from '../../../../core/history/stores/file';
import type { ChatHistoryStore } from '../../../../core/history/types';
import { exited, nextLine, rejectsWith, spawnFixture, temporaryFolders, turnsByLabel } from '../fixtures/stores';

const golden = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', 'python', name), 'utf8');
const folders = temporaryFolders('file-history');

function store(name = 'history.json', query = ''): { history: ChatHistoryStore; path: string } {
  const folder = folders.make();
  const target = parseHistoryUrl(`file:${name}${query}`, folder);
  return { history: openFileHistory(target), path: target.path! };
}

const human = (content: string, dialect: 'python' | 'js' = 'python') => encodeMessage({ type: 'human', content }, dialect);
const ai = (content: string, dialect: 'python' | 'js' = 'python') => encodeMessage({ type: 'ai', content }, dialect);

describe('file store: FileChatMessageHistory', () => {
  test('reads a conversation as LangChain wrote it, each dict kept exactly', async () => {
    const { history, path } = store();
    writeFileSync(path, golden('file.json'));
    const messages = await history.messages(FILE_SESSION);
    assert.deepEqual(messages.map((m) => [m.type, m.content, m.dialect]), [['human', 'Hi there my friend', 'python'], ['ai', ' Hi there! How can I help you today?', 'python']]);
    assert.deepEqual(messages.map((m) => m.raw), [golden('human.json'), golden('ai.json')]);
    assert.deepEqual(await history.sessions(), [FILE_SESSION]);
  });

  test('a turn appended is the file Python leaves after add_user_message and add_ai_message', async () => {
    const { history, path } = store();
    await history.append(FILE_SESSION, [human('Hi there my friend'), ai(' Hi there! How can I help you today?')]);
    assert.equal(readFileSync(path, 'utf8'), golden('file.json'));
    // Python rewrites the whole array on each add; appending keeps the bytes it would have written.
    await history.append(FILE_SESSION, [human('Hi there my friend'), ai(' Hi there! How can I help you today?')]);
    assert.equal(readFileSync(path, 'utf8'), `[${[golden('human.json'), golden('ai.json'), golden('human.json'), golden('ai.json')].join(', ')}]`);
  });

  test('a file LangChain has just created (`[]`) takes the first turn the same way', async () => {
    const { history, path } = store();
    writeFileSync(path, '[]');
    assert.deepEqual(await history.messages(FILE_SESSION), []);
    await history.append(FILE_SESSION, [human('Hi there my friend'), ai(' Hi there! How can I help you today?')]);
    assert.equal(readFileSync(path, 'utf8'), golden('file.json'));
  });

  test('a missing file is an empty conversation, and reading it creates nothing', async () => {
    const { history, path } = store();
    assert.deepEqual(await history.messages(FILE_SESSION), []);
    assert.deepEqual(await history.sessions(), []);
    assert.equal(existsSync(path), false);
  });

  test('LangChain.js dicts are joined as JSON.stringify writes an array of toDict()', async () => {
    const { history, path } = store();
    await history.append(FILE_SESSION, [human('q é', 'js'), ai('a 😀', 'js')]);
    assert.equal(readFileSync(path, 'utf8'), JSON.stringify([new HumanMessage('q é').toDict(), new AIMessage('a 😀').toDict()]));
    assert.deepEqual((await history.messages(FILE_SESSION)).map((m) => [m.content, m.dialect]), [['q é', 'js'], ['a 😀', 'js']]);
  });

  test('dicts written with ensure_ascii=False and pretty-printed files read as they are', async () => {
    const { history, path } = store();
    const text = `[\n  ${golden('human.json').replace('Hi there my friend', 'café 😀')},\n  ${golden('ai.json')}\n]\n`;
    writeFileSync(path, text);
    assert.deepEqual((await history.messages(FILE_SESSION)).map((m) => m.content), ['café 😀', ' Hi there! How can I help you today?']);
    await history.append(FILE_SESSION, [human('next')]);
    // Every byte stays: the pretty-printer's newline before `]` and the one after it.
    assert.equal(readFileSync(path, 'utf8'), `${text.slice(0, text.lastIndexOf(']')).trimEnd()}, ${human('next')}\n]\n`);
  });

  test('an append keeps whatever follows the closing bracket, and the whitespace of an empty array', async () => {
    const { history, path } = store();
    writeFileSync(path, '[ ]\r\n\n');
    await history.append(FILE_SESSION, [human('one')]);
    assert.equal(readFileSync(path, 'utf8'), `[${human('one')} ]\r\n\n`);
    await history.append(FILE_SESSION, [ai('two')]);
    assert.equal(readFileSync(path, 'utf8'), `[${human('one')}, ${ai('two')} ]\r\n\n`);
    assert.deepEqual((await history.messages(FILE_SESSION)).map((m) => m.content), ['one', 'two']);
  });

  test('any text in either dialect (astral, controls, lone surrogates, U+2028) reads back as appended', async () => {
    const text = fc.oneof(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom<'python' | 'js'>('python', 'js'), fc.array(fc.tuple(text, text), { minLength: 1, maxLength: 4 }), async (dialect, turns) => {
        const { history } = store();
        for (const [question, answer] of turns) await history.append(FILE_SESSION, [human(question, dialect), ai(answer, dialect)]);
        assert.deepEqual((await history.messages(FILE_SESSION)).map((m) => m.content), turns.flat());
      }),
      { numRuns: 25 },
    );
  });

  test('clear leaves `[]`, as LangChain clear() writes it', async () => {
    const { history, path } = store();
    writeFileSync(path, golden('file.json'));
    await history.clear(FILE_SESSION);
    assert.equal(readFileSync(path, 'utf8'), '[]');
  });

  test('readonly refuses append and clear; the file is untouched', async () => {
    const { history, path } = store('h.json', '?readonly=1');
    writeFileSync(path, golden('file.json'));
    await rejectsWith(history.append(FILE_SESSION, [human('x')]), 'readonly', /Cannot append .* is attached read-only/);
    await rejectsWith(history.clear(FILE_SESSION), 'readonly', /Cannot clear/);
    assert.equal(readFileSync(path, 'utf8'), golden('file.json'));
    assert.equal((await history.messages(FILE_SESSION)).length, 2);
  });

  test('a damaged file is refused, never overwritten', async () => {
    const cases: [string, RegExp][] = [
      ['[{"type": "human", "data": {"content": "x"}', /is not JSON/],
      ['', /is not JSON/],
      ['{"messages": []}', /JSON that is not an array/],
      [`[${golden('human.json')}, {"type": "robot", "data": {"content": "x"}}]`, /the message at index 1 has an unknown type `robot`/],
    ];
    for (const [text, pattern] of cases) {
      const { history, path } = store();
      writeFileSync(path, text);
      await rejectsWith(history.messages(FILE_SESSION), 'invalid-data', pattern);
      await rejectsWith(history.append(FILE_SESSION, [human('x')]), 'invalid-data', pattern);
      assert.equal(readFileSync(path, 'utf8'), text);
    }
  });

  test('an invalid message is never written', async () => {
    const { history, path } = store();
    await rejectsWith(history.append(FILE_SESSION, [human('ok'), '{"type": "human"']), 'invalid-data', /new messages.*index 1 is not JSON/);
    assert.equal(existsSync(path), false);
  });

  test('a cancelled append writes nothing and leaves no temporary file', async () => {
    const { history, path } = store();
    writeFileSync(path, golden('file.json'));
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(history.append(FILE_SESSION, [human('x')], controller.signal), /cancelled/);
    assert.equal(readFileSync(path, 'utf8'), golden('file.json'));
    assert.deepEqual(readdirSync(join(path, '..')), ['history.json']);
  });

  test('a file in a folder that does not exist, or that is a folder: one line with the reason', async () => {
    const folder = folders.make();
    const missing = openFileHistory(parseHistoryUrl('file:no/such/folder/h.json', folder));
    await rejectsWith(missing.append(FILE_SESSION, [human('x')]), 'unreachable', /Cannot lock .*h\.json: the folder does not exist \(ENOENT\)/);
    const directory = openFileHistory(parseHistoryUrl(`file:${folder}`, folder));
    await rejectsWith(directory.messages(FILE_SESSION), 'unreachable', /Cannot read .*: it is a folder \(EISDIR\)/);
  });

  test('a second process appending at the same time: both writers keep every turn, whole and in order', async () => {
    const { history, path } = store();
    const { child, lines } = spawnFixture('appendHistory.ts', [`file:${path}`, FILE_SESSION, 'child', 'forever']);
    try {
      await nextLine(lines); // the child is appending
      for (let i = 0; i < 25; i++) await history.append(FILE_SESSION, [human(`parent-${i}`), ai(`reply parent-${i}`)]);
      await nextLine(lines); // and still was after our last append
    } finally {
      child.kill('SIGKILL');
      await exited(child);
    }
    const counts = turnsByLabel(await history.messages(FILE_SESSION));
    assert.equal(counts.get('parent'), 25);
    assert.ok((counts.get('child') ?? 0) >= 2);
    assert.doesNotThrow(() => JSON.parse(readFileSync(path, 'utf8')));
  });
});

describe('topLevelElements', () => {
  test('splits on top-level commas only: strings with brackets, commas, escaped quotes and backslashes', () => {
    const items = ['{"a": "x, ] [ \\" } {"}', '[1, [2, 3]]', '"\\\\"', '{"b": {"c": [",", "]"]}}', '7', 'null'];
    const text = ` [ ${items.join(' ,\n ')} ] `;
    assert.deepEqual(topLevelElements(text), items);
    assert.deepEqual(JSON.parse(text), items.map((item) => JSON.parse(item)));
    assert.deepEqual(topLevelElements('[]'), []);
    assert.deepEqual(topLevelElements('[ ]'), []);
  });
});
