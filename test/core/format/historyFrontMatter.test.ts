// `memory.history`: the name of a configured shared history, never a URL (a URL can hold a password and
// a file is shared), and the resolved configuration carries the name.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { findFrontMatter, parseFrontMatter } from '../../../core/format/frontMatter';
import { parsePrompt } from '../../../core/format/parse';
import { resolveConfig } from '../../../core/chain/config';
import { fieldSchemaAt } from '../../../core/format/schema';

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

  test('hover and completion read it from the schema', () => {
    const field = fieldSchemaAt(['memory', 'history']);
    assert.equal(field?.kind, 'string');
    assert.match(field?.description ?? '', /never a URL/);
  });
});
