// The generated programs carry each template as a string literal: whatever the template holds, the literal
// must evaluate to it exactly, in the real Python 3 and in a JavaScript engine (a TypeScript string literal
// is a JavaScript one). Generated strings favour the characters that need care.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as vm from 'node:vm';
import fc from 'fast-check';
import { pythonString, pythonText, typescriptString, typescriptText, isPythonIdentifier } from '../../../core/interop/export/code/literals';

const run = promisify(execFile);

const awkward = ['\\', '"', "'", '${', '{', '}', '{{', '\n', '\r', '\r\n', '\t', '\0', '\x07', '\x1b', '\x7f', '\x85', '\u00a0', '\u200b', '\u200f', '\u2028', '\u2029', '\ufeff', '\ud800', '\udfff', '😀', 'é', '\u{10ffff}', '\\x41', '\\u0041', '\\N{DASH}', '"""', '`', '#'];

const templates = fc.array(fc.oneof(fc.constantFrom(...awkward), fc.string({ unit: 'binary', maxLength: 8 }), fc.string({ maxLength: 8 })), { maxLength: 12 }).map((parts) => parts.join(''));

/** What Python makes of each literal, as JSON (ensure_ascii keeps lone surrogates as `\udXXX` escapes). */
async function pythonValues(literals: readonly string[]): Promise<string[]> {
  const program = `import json, sys\nvalues = [\n${literals.map((literal) => `    ${literal},`).join('\n')}\n]\nsys.stdout.write(json.dumps(values))\n`;
  const { stdout } = await run('python3', ['-c', program], { maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout) as string[];
}

function javascriptValue(expression: string): unknown {
  return vm.runInNewContext(`(${expression})`);
}

describe('string literals of the generated programs', () => {
  test('a Python literal evaluates to the template exactly (python3, 300 generated templates)', async () => {
    const samples = [...awkward, ...fc.sample(templates, { numRuns: 300, seed: 42 })];
    const literals = samples.flatMap((text) => [pythonString(text), pythonText(text, '    ')]);
    const values = await pythonValues(literals);
    samples.forEach((text, index) => {
      assert.equal(values[2 * index], text, `pythonString(${JSON.stringify(text)}) is ${literals[2 * index]}`);
      assert.equal(values[2 * index + 1], text, `pythonText(${JSON.stringify(text)}) is ${literals[2 * index + 1]}`);
    });
  });

  test('a TypeScript literal evaluates to the template exactly', () => {
    fc.assert(
      fc.property(templates, (text) => {
        assert.equal(javascriptValue(typescriptString(text)), text);
        assert.equal(javascriptValue(typescriptText(text, '  ')), text);
      }),
      { numRuns: 500 },
    );
  });

  test('a literal is one line of printable text: line breaks, controls, invisible and lone surrogate characters are escapes', () => {
    for (const literal of [pythonString('a\nb\u2028c\u200fd\ud800e\u00a0f'), typescriptString('a\nb\u2028c\u200fd\ud800e\u00a0f')]) {
      assert.equal(literal, '"a\\nb\\u2028c\\u200fd\\ud800e\\xa0f"');
    }
    assert.equal(pythonString('😀 é ${x} {y}'), '"😀 é ${x} {y}"', 'printable text and braces stay as they are');
    assert.equal(pythonString('\u{e0001}'), '"\\U000e0001"');
    assert.equal(typescriptString('\u{e0001}'), '"\\u{e0001}"');
  });

  test('a multi-line template is one literal a line, joined the way each language joins them', () => {
    assert.equal(pythonText('a\nb\n', '    '), '(\n        "a\\n"\n        "b\\n"\n    )');
    assert.equal(typescriptText('a\nb', '  '), '"a\\n" +\n    "b"');
  });

  test('Python keyword arguments only for names Python takes as identifiers', () => {
    assert.deepEqual(['persona', '_x1', 'class', 'tone-of-voice', '1st', 'é', 'None'].map(isPythonIdentifier), [true, true, false, false, false, false, false]);
  });
});
