// The TextMate grammar (syntaxes/prompt.tmLanguage.json) tokenized by the same engine VS Code uses.
// Each fixture's tokens are compared with a committed snapshot beside it (`<name>.prompt.tokens`); a missing
// snapshot is written and fails the run once (so a new fixture is reviewed, never passed unseen), and
// UPDATE_SNAPSHOTS=1 rewrites them after an intended grammar change.

import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL, Registry, parseRawGrammar, type IGrammar, type IRawGrammar } from 'vscode-textmate';

const root = join(__dirname, '..', '..');
const fixtures = join(__dirname, 'fixtures');

/**
 * Stands in for VS Code's YAML grammar, which is not a dependency: enough to show that the front matter is
 * handed to `source.yaml` and that its keys and comments are tokenized there.
 */
const yamlStub = {
  scopeName: 'source.yaml',
  patterns: [
    { match: '#.*$', name: 'comment.line.number-sign.yaml' },
    { match: '^\\s*([\\w-]+)\\s*(:)', captures: { 1: { name: 'entity.name.tag.yaml' }, 2: { name: 'punctuation.separator.key-value.mapping.yaml' } } },
  ],
} as unknown as IRawGrammar;

async function loadGrammar(): Promise<IGrammar> {
  const wasm = readFileSync(join(root, 'node_modules/vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
  const registry = new Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName) => {
      if (scopeName === 'source.yaml') return yamlStub;
      if (scopeName !== 'source.prompt') return null;
      const path = join(root, 'syntaxes/prompt.tmLanguage.json');
      return parseRawGrammar(readFileSync(path, 'utf8'), path);
    },
  });
  const grammar = await registry.loadGrammar('source.prompt');
  assert.ok(grammar, 'source.prompt grammar loads');
  return grammar;
}

interface Token {
  text: string;
  /** Scopes below the root `source.prompt`. */
  scopes: string[];
}

function tokenizeLines(grammar: IGrammar, text: string): Token[][] {
  let state = INITIAL;
  return text.split('\n').map((line) => {
    const result = grammar.tokenizeLine(line, state);
    state = result.ruleStack;
    return result.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes.slice(1) }));
  });
}

/** One `> line` per source line, then one row per token that carries a scope beyond the root. */
function snapshotOf(grammar: IGrammar, text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  tokenizeLines(grammar, text).forEach((tokens, i) => {
    out.push(`> ${lines[i] ?? ''}`);
    for (const t of tokens) if (t.scopes.length > 0) out.push(`  ${JSON.stringify(t.text)}  ${t.scopes.join(' ')}`);
  });
  return out.join('\n') + '\n';
}

/** The scopes of the first token whose text is `text` on line `line` (0-based). */
function scopesAt(grammar: IGrammar, source: string, line: number, text: string): string[] {
  const token = tokenizeLines(grammar, source)[line]?.find((t) => t.text === text);
  assert.ok(token, `a token ${JSON.stringify(text)} on line ${line}`);
  return token.scopes;
}

describe('prompt grammar', () => {
  let grammar: IGrammar;
  before(async () => {
    grammar = await loadGrammar();
  });

  describe('snapshots', () => {
    for (const name of readdirSync(fixtures).filter((f) => f.endsWith('.prompt')).sort()) {
      test(name, () => {
        const actual = snapshotOf(grammar, readFileSync(join(fixtures, name), 'utf8'));
        const snapshotPath = join(fixtures, `${name}.tokens`);
        if (process.env.UPDATE_SNAPSHOTS === '1') writeFileSync(snapshotPath, actual);
        if (!existsSync(snapshotPath)) {
          writeFileSync(snapshotPath, actual);
          assert.fail(`${name}.tokens did not exist: written now; review it, then run again`);
        }
        assert.equal(actual, readFileSync(snapshotPath, 'utf8'));
      });
    }
  });

  test('front matter is embedded YAML between the fences', () => {
    const text = '---\nmemory:\n  key: chat_history\n---\n{chat_history}\n';
    assert.deepEqual(scopesAt(grammar, text, 0, '---'), ['meta.front-matter.prompt', 'punctuation.definition.front-matter.begin.prompt']);
    assert.ok(scopesAt(grammar, text, 2, 'key').includes('source.yaml'));
    assert.ok(scopesAt(grammar, text, 2, 'key').includes('entity.name.tag.yaml'));
    assert.deepEqual(scopesAt(grammar, text, 3, '---'), ['meta.front-matter.prompt', 'punctuation.definition.front-matter.end.prompt']);
    assert.deepEqual(scopesAt(grammar, text, 4, 'chat_history'), ['meta.variable.prompt', 'variable.other.prompt']);
  });

  test('a fence that is not on the first line is template text', () => {
    assert.deepEqual(tokenizeLines(grammar, 'hi\n---\nmodel: x\n---\n').flat().flatMap((t) => t.scopes), []);
  });

  test('role headers open messages; look-alikes do not', () => {
    const text = 'system:\nBe brief.\nSystem:\nhuman :\nplaceholder:\n{history}\n';
    assert.deepEqual(scopesAt(grammar, text, 0, 'system'), ['meta.message.system.prompt', 'entity.name.tag.role.system.prompt']);
    assert.deepEqual(scopesAt(grammar, text, 2, 'System:'), ['meta.message.system.prompt']);
    assert.deepEqual(scopesAt(grammar, text, 3, 'human :'), ['meta.message.system.prompt']);
    assert.deepEqual(scopesAt(grammar, text, 4, 'placeholder'), ['meta.message.placeholder.prompt', 'entity.name.tag.role.placeholder.prompt']);
    assert.deepEqual(scopesAt(grammar, text, 5, 'history'), ['meta.message.placeholder.prompt', 'meta.variable.prompt', 'variable.other.prompt']);
  });

  test('f-string escapes are not variables', () => {
    const text = 'JSON: {{"answer": "{topic}"}}\n';
    assert.deepEqual(scopesAt(grammar, text, 0, '{{'), ['constant.character.escape.brace.prompt']);
    assert.deepEqual(scopesAt(grammar, text, 0, 'topic'), ['meta.variable.prompt', 'variable.other.prompt']);
    assert.deepEqual(scopesAt(grammar, text, 0, '}}'), ['constant.character.escape.brace.prompt']);
  });

  test('mustache variables and sections', () => {
    const text = '{{#items}}{{ name }}{{/items}}\n';
    assert.deepEqual(scopesAt(grammar, text, 0, '#'), ['meta.tag.section.mustache.prompt', 'keyword.control.section.mustache.prompt']);
    assert.deepEqual(scopesAt(grammar, text, 0, 'name'), ['meta.tag.variable.mustache.prompt', 'variable.other.mustache.prompt']);
  });
});
