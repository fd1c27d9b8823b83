// The one decider of another tool's `.prompt`: every Dotprompt and Continue fixture (written from their
// specs and docs) is recognized as its tool, and every Prompt Chain file the project has — examples/ and
// every `.prompt` under test/ — stays ours, as do generated files with a Prompt Chain key or an f-string
// variable.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { otherToolOf } from '../../../core/interop/otherTools';
import { repoRoot } from '../../support/build';
import { fixturesDir, fixtureText } from './importedFormatting';

function promptFilesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return name === 'node_modules' ? [] : promptFilesUnder(file);
    return name.endsWith('.prompt') ? [file] : [];
  });
}

const otherToolsFixtures = [path.join(fixturesDir, 'dotprompt'), path.join(fixturesDir, 'continue')];
const oursFiles = [...promptFilesUnder(path.join(repoRoot, 'examples')), ...promptFilesUnder(path.join(repoRoot, 'test'))].filter(
  (file) => !otherToolsFixtures.some((dir) => file.startsWith(dir + path.sep)),
);

function variantsOf(text: string): string[] {
  return [text, text.replace(/\n/g, '\r\n'), `\uFEFF${text}`];
}

describe('otherToolOf', () => {
  test('every Dotprompt fixture is Dotprompt, every Continue fixture Continue, whatever its line breaks', () => {
    for (const [tool, dir] of [['dotprompt', 'dotprompt'], ['continue', 'continue']] as const) {
      const names = readdirSync(path.join(fixturesDir, dir));
      assert.ok(names.length >= 5);
      for (const name of names) for (const text of variantsOf(fixtureText(dir, name))) assert.equal(otherToolOf(text), tool, `${dir}/${name}`);
    }
  });

  test('every Prompt Chain file of the project stays ours', () => {
    assert.ok(oursFiles.length >= 20, `found ${oursFiles.length}`);
    for (const file of oursFiles) for (const text of variantsOf(readFileSync(file, 'utf8'))) assert.equal(otherToolOf(text), undefined, file);
  });

  test('ours: a mustache prompt, literal {{...}} beside an f-string variable, a Prompt Chain key beside Handlebars', () => {
    const ours = [
      '---\ntemplate_format: mustache\n---\nsystem:\nHello {{name}}\n\nhuman:\n{{#items}}{{.}}{{/items}} {{> footer}} {{input}}\n',
      '---\nname: teaching\n---\nIn Handlebars write {{history}} and {{role "user"}}; here, {input}.\n',
      '---\nmemory: false\n---\n{{role "system"}} is literal here: {question}\n',
      '---\nmodel: gpt-4o\nparameters:\n  temperature: 0\n---\n{{#if x}}{{/if}}\n',
      'Hello {{name}}, {input}\n',
      'Hello {{name}}\n',
      'Context: {context}\n---\nQuestion: {question}\n',
      'name: {name}\n---\nHello\n',
      '---\nname: Bot\ndescription: A bot\n---\n{{input}}\n',
    ];
    for (const text of ours) assert.equal(otherToolOf(text), undefined, text);
  });

  test("theirs without front matter or with little of it: Dotprompt's helpers, Continue's preamble and keys", () => {
    assert.equal(otherToolOf('{{role "system"}}Be brief.\n{{role "user"}}{{question}}\n'), 'dotprompt');
    assert.equal(otherToolOf('---\nmodel: googleai/gemini-1.5-flash\n---\n{{history}}\n{{question}}\n'), 'dotprompt');
    assert.equal(otherToolOf('# Copyright header\n\n---\nmodel: googleai/x\nconfig: {temperature: 1}\n---\nHi {{name}}\n'), 'dotprompt');
    assert.equal(otherToolOf('---\nmyext.owner: team\n---\nHi {{name}}\n'), 'dotprompt');
    assert.equal(otherToolOf('name: Bob\n---\nHi there {x}\n'), 'continue');
    assert.equal(otherToolOf('---\nname: x\nversion: 2\n---\nExplain @currentFile\n'), 'continue');
  });

  test('generated: a Prompt Chain key in the front matter keeps any file ours', () => {
    const ourKey = fc.constantFrom('memory: false', 'api: chat', 'template_format: mustache', 'input_key: q', 'parameters:\n  temperature: 1', 'partial_variables: {a: b}');
    const theirKey = fc.constantFrom('config:\n  temperature: 1', 'input:\n  schema:\n    q: string', 'output: {format: json}', 'tools: [a]', 'version: 2', 'invokable: true', 'ext.a: 1');
    const body = fc.stringMatching(/^[a-z{}" \n#>~]{0,40}$/).map((text) => `${text}{{role "user"}}{{history}}{{#if a}}{{/if}}`);
    fc.assert(
      fc.property(ourKey, fc.array(theirKey, { maxLength: 3 }), body, (ours, theirs, text) => {
        assert.equal(otherToolOf(`---\n${[...theirs, ours].join('\n')}\n---\n${text}\n`), undefined);
      }),
    );
  });

  test('generated: an f-string variable in the body keeps a file with shared keys ours', () => {
    const shared = fc.constantFrom('name: x', 'description: y', 'model: googleai/gemini-1.5-flash');
    const body = fc.tuple(fc.stringMatching(/^[a-z{}" \n]{0,20}$/), fc.stringMatching(/^[a-z_][a-z0-9_]{0,6}$/), fc.stringMatching(/^[a-z" \n]{0,20}$/));
    fc.assert(
      fc.property(fc.array(shared, { maxLength: 3 }), body, (keys, [before, name, after]) => {
        const text = `---\n${keys.join('\n')}\n---\n${before} {${name}} ${after}{{role "user"}}{{history}}\n`;
        assert.equal(otherToolOf(text), undefined, text);
      }),
    );
  });
});
