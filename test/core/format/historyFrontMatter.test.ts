// `memory.history`: the name of a configured shared history, never a URL (a URL can hold a password and
// a file is shared), and the resolved configuration carries the name; hover and completion through the
// language service.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { findFrontMatter, parseFrontMatter } from '../../../core/format/frontMatter';
import { parsePrompt } from '../../../core/format/parse';
import { resolveConfig } from '../../../core/chain/config';
import type { MarkupContent, TextEdit } from 'vscode-languageserver-types';
import { getHover } from '../../../service/features/hover';
import { getCompletions } from '../../../service/features/completion';
import { applyEdits, fixture } from '../../support/fixture';

function problemsOf(yaml: string): { code: string; message: string; at: string }[] {
  const text = `---\n${yaml}---\nbody\n`;
  const block = findFrontMatter(text, 0);
  assert.ok(block);
  return parseFrontMatter(text, block).problems.map((p) => ({ code: p.code, message: p.message, at: text.slice(p.span.start, p.span.end) }));
}

describe('memory.history in the front matter', () => {
  test('a store name is accepted and reaches the chain configuration', () => {
    assert.deepEqual(problemsOf('memory:\n  history: team-prod.eu_1\n'), []);
    const document = parsePrompt('---\nmemory:\n  history: team\n---\nHuman: {history} {input}\n');
    assert.equal(resolveConfig(document, {}).memory?.history, 'team');
  });

  test('without it the memory stays local', () => {
    const document = parsePrompt('---\nmemory:\n  key: history\n---\n{history} {input}\n');
    assert.equal(resolveConfig(document, {}).memory?.history, undefined);
  });

  for (const url of ['redis://:s3cret@host:6379', 'postgres://u:p@db/app?table=t', 'sqlite:chat.db', 'file:history.json', 'rediss://host']) {
    test(`a URL (${url.split(':')[0]}) is an error at the value saying it belongs in user configuration`, () => {
      const problems = problemsOf(`memory:\n  history: "${url}"\n`);
      assert.equal(problems.length, 1);
      assert.equal(problems[0]!.code, 'invalid-value');
      assert.equal(problems[0]!.at, `"${url}"`);
      assert.match(problems[0]!.message, /not a URL.*user configuration/);
      assert.ok(!problems[0]!.message.includes('s3cret'));
    });
  }

  test('a URL is not carried into the configuration', () => {
    const document = parsePrompt('---\nmemory:\n  history: "redis://h"\n---\n{history} {input}\n');
    assert.equal(resolveConfig(document, {}).memory?.history, undefined);
  });

  test('a name with other characters is an error naming the allowed ones', () => {
    const problems = problemsOf('memory:\n  history: "team prod"\n');
    assert.equal(problems.length, 1);
    assert.match(problems[0]!.message, /letters, digits/);
  });

  test('a value of another type is a type error', () => {
    assert.equal(problemsOf('memory:\n  history: [a]\n')[0]?.code, 'invalid-type');
  });

  test('hover on the key says it names a configured store, never a URL; completion inside memory offers it', () => {
    const key = fixture('---\nmemory:\n  hist|ory: team\n---\n{history} {input}\n');
    const hover = getHover(key.ctx, key.position);
    assert.deepEqual(hover?.range, { start: { line: 2, character: 2 }, end: { line: 2, character: 9 } });
    const text = (hover?.contents as MarkupContent).value;
    assert.match(text, /^\*\*`memory.history`\*\* · string/);
    assert.match(text, /never a URL/);
    const typing = fixture('---\nmemory:\n  type: buffer\n  hi|\n---\n{history} {input}\n');
    const offered = getCompletions(typing.ctx, typing.position).items.find((item) => item.label === 'history');
    assert.ok(offered, 'memory.history is offered inside memory');
    assert.equal(applyEdits(typing.text, [offered.textEdit as TextEdit]), '---\nmemory:\n  type: buffer\n  history: \n---\n{history} {input}\n');
  });
});
