import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldSchemaAt, frontMatterSchema } from '../../../core/format/schema';

describe('frontMatterSchema', () => {
  test('lists every front-matter key with a description', () => {
    assert.deepEqual(frontMatterSchema.map((field) => field.key), [
      'name', 'description', 'model', 'api', 'template_format', 'input_variables', 'input_key', 'partial_variables', 'memory', 'parameters',
    ]);
    for (const field of frontMatterSchema) assert.ok(field.description.length > 0, field.key);
  });

  test('fieldSchemaAt walks nested keys', () => {
    assert.deepEqual(fieldSchemaAt(['memory', 'type'])?.values, ['buffer', 'buffer_window', 'summary', 'summary_buffer', 'token_buffer']);
    assert.equal(fieldSchemaAt(['memory', 'max_token_limit'])?.default, '2000');
    assert.equal(fieldSchemaAt(['memory', 'summary_parameters', 'temperature'])?.max, 2);
    assert.equal(fieldSchemaAt(['memory', 'key'])?.default, 'history');
    assert.equal(fieldSchemaAt(['parameters', 'temperature'])?.max, 2);
    assert.equal(fieldSchemaAt(['api'])?.kind, 'enum');
    assert.equal(fieldSchemaAt(['memory', 'nope']), undefined);
    assert.equal(fieldSchemaAt(['name', 'x']), undefined);
  });
});
