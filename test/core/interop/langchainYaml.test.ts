// `langchain-yaml` both ways: a completion prompt exported as Python's `prompt.save("x.yaml")` writes it
// (golden file; PyYAML's scalar styles), a chat prompt refused with the reason, and what `save` writes
// imported back to the same prompt; the PyYAML emitter's output reads back to the values it was given.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseDocument, visit } from 'yaml';
import { exportLangChainYaml } from '../../../core/interop/export/langchainYaml';
import { pyyamlDump, type PyYamlValue } from '../../../core/interop/export/pyyaml';
import { pythonJson } from '../../../core/interop/export/langchainJson';
import { langchainYamlImporter } from '../../../core/interop/import/langchainYaml';
import { promptFileOf } from '../../../core/interop/promptFile';
import { InteropError } from '../../../core/interop/types';
import { chatExample, completionExample } from '../../support/examples';
import { describedPrompt, generatedCase, readFixture } from './langchainSupport';

const NUM_RUNS = Number(process.env.INTEROP_RUNS ?? 100);

function importYaml(text: string) {
  assert.ok(langchainYamlImporter.recognizes(text, 'prompt.yaml'));
  return langchainYamlImporter.read(text, 'prompt.yaml');
}

describe('exportLangChainYaml', () => {
  test('the completion example: what prompt.save("x.yaml") writes, byte for byte (golden file)', () => {
    assert.equal(exportLangChainYaml(describedPrompt(completionExample)).text, readFixture('python', 'chatbot-completion.save.yaml'));
  });

  test('a chat prompt is not exportable, and the reason points to langchain-json', () => {
    assert.throws(
      () => exportLangChainYaml(describedPrompt(chatExample)),
      (error: unknown) => error instanceof InteropError && error.kind === 'not-exportable' && /NotImplementedError/.test(error.message) && /--to langchain-json/.test(error.message),
    );
  });

  test('writes the scalar styles PyYAML picks', () => {
    const text = exportLangChainYaml(describedPrompt('---\npartial_variables:\n  tone: "yes"\n  when: "2024-01-01"\nmemory: false\n---\n{input}\t{tone} {when} café 😀\n')).text;
    assert.match(text, /^partial_variables:\n {2}tone: 'yes'\n {2}when: '2024-01-01'\n/m);
    assert.match(text, /^template: "\{input\}\\t\{tone\} \{when\} caf\\xE9 \\U0001F600"\n/m);
    const simple = exportLangChainYaml(describedPrompt('---\nmemory: false\n---\nSay {input}\n')).text;
    assert.match(simple, /^template: Say \{input\}\n/m);
    const leading = exportLangChainYaml(describedPrompt('---\nmemory: false\n---\n{input} said: it\'s\n')).text;
    assert.match(leading, /^template: '\{input\} said: it''s'\n/m);
  });

  test('generated completion prompts: the export imports back to the same prompt (property)', () => {
    fc.assert(
      fc.property(
        generatedCase.filter(({ prompt }) => prompt.prompt.kind === 'prompt'),
        ({ prompt }) => {
          const file = promptFileOf(prompt);
          const reading = importYaml(exportLangChainYaml(describedPrompt(file)).text);
          assert.deepEqual(reading.prompt.prompt, prompt.prompt, file);
          assert.equal(reading.prompt.templateFormat, prompt.templateFormat);
          assert.deepEqual(reading.prompt.partialVariables ?? {}, prompt.partialVariables ?? {});
          assert.deepEqual(reading.notCarried, []);
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });
});

describe('pyyamlDump', () => {
  test('what it writes reads back (as YAML 1.1, as PyYAML reads) to the values it was given (property)', () => {
    const text = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc.array(fc.constantFrom('yes', 'null', '1e3', '0o17', '- a', ': b', '#', "'", '"', ' ', '\n', '\n\n', '\t', 'word', 'x'.repeat(30), '😀', '\u0085', '---', '~', '12:30'), { maxLength: 12 }).map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(text, fc.array(text, { maxLength: 3 }), fc.dictionary(fc.stringMatching(/^[a-z_]{1,8}$/), text, { maxKeys: 3 }), (template, list, map) => {
        const dumped = pyyamlDump([
          ['input_variables', list],
          ['name', null],
          ['partial_variables', map],
          ['template', template],
          ['validate_template', false],
        ]);
        // The emitter writes a string plain only where PyYAML reads it back as that str: read plain scalars
        // as their text, the quoted ones with YAML's escapes.
        const document = parseDocument(dumped);
        assert.deepEqual(document.errors, [], dumped);
        visit(document, {
          Scalar(_key, node) {
            if (node.type === 'PLAIN') node.value = node.source;
          },
        });
        const read = document.toJS() as Record<string, unknown>;
        assert.deepEqual(read, { input_variables: list, name: 'null', partial_variables: { ...map }, template, validate_template: 'false' }, dumped);
      }),
      { numRuns: NUM_RUNS * 3 },
    );
  });
});

describe('langchainYamlImporter', () => {
  test('what prompt.save() writes imports to the example itself', () => {
    const reading = importYaml(readFixture('python', 'chatbot-completion.save.yaml'));
    assert.equal(promptFileOf(reading.prompt), completionExample);
  });

  test('reads plain scalars as PyYAML does (1e3 and 0o17 are strings)', () => {
    const reading = importYaml('_type: prompt\ninput_variables: []\npartial_variables:\n  a: 1e3\n  b: 0o17\ntemplate: Hi {a} {b} {input}\n');
    assert.deepEqual(reading.prompt.partialVariables, { a: '1e3', b: '0o17' });
  });

  test('refuses a template_path and a jinja2 template, naming them', () => {
    assert.throws(() => importYaml('_type: prompt\ninput_variables: []\ntemplate_path: prompt.txt\n'), /template_path "prompt.txt"/);
    assert.throws(() => importYaml('_type: prompt\ntemplate: "{{ x }}"\ntemplate_format: jinja2\n'), /jinja2/);
  });

  test('does not take other YAML files', () => {
    assert.equal(langchainYamlImporter.recognizes('name: x\nsteps: []\n', 'ci.yaml'), false);
    assert.equal(langchainYamlImporter.recognizes('_type: prompt\n', 'x.prompty'), false);
  });
});

// Inputs generated with fast-check, outputs written by a real PyYAML 6.0.3 and CPython's json
// (fixtures/python/emitters.py regenerates them): control characters, lone surrogates, astral
// characters, YAML indicators, 1.1 look-alikes, long lines that fold.
describe('the emitters against real Python (golden file)', () => {
  const cases = JSON.parse(readFixture('python', 'emitters.json')) as { template: string; list: string[]; map: Record<string, string>; yaml: string; json: string }[];

  test('pyyamlDump writes what yaml.dump(..., default_flow_style=False) writes', () => {
    for (const { template, list, map, yaml } of cases) {
      const saved: [string, PyYamlValue][] = [
        ['_type', 'prompt'],
        ['input_variables', list],
        ['metadata', null],
        ['partial_variables', map],
        ['template', template],
        ['validate_template', false],
      ];
      assert.equal(pyyamlDump(saved), yaml, JSON.stringify(template));
    }
  });

  test('pythonJson writes what json.dumps(..., indent=2) writes', () => {
    for (const { template, list, map, json } of cases) assert.equal(pythonJson({ template, list, map }), json, JSON.stringify(template));
  });
});
