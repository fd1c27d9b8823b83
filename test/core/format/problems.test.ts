import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProblemCode, problem } from '../../../core/format/problems';
import { frontMatterSchema } from '../../../core/format/schema';

const docs = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'prompt-format.md'), 'utf8');

describe('problem codes', () => {
  test('every code is kebab-case and documented in docs/prompt-format.md', () => {
    for (const code of Object.values(ProblemCode)) {
      assert.match(code, /^[a-z]+(-[a-z]+)*$/);
      assert.ok(docs.includes(`| \`${code}\``), `${code} is missing from the problem table`);
    }
  });

  test('every front-matter key is documented', () => {
    for (const field of frontMatterSchema) {
      assert.ok(docs.includes(`| \`${field.key}\``), field.key);
      for (const child of field.children ?? []) assert.ok(docs.includes(`| \`${child.key}\``), `${field.key}.${child.key}`);
    }
  });

  test('problem() leaves data out when there is none', () => {
    assert.deepEqual(problem(ProblemCode.yamlSyntax, 'm', { start: 1, end: 2 }), { code: 'yaml-syntax', message: 'm', span: { start: 1, end: 2 }, severity: 'error' });
  });
});
