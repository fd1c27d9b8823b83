import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { applyFix, check, codes, withCode, messageOf } from './check';

const source = '---\napi: completion\n---\n⟦system:⟧\nBe brief.\n{history}\n⟦human:⟧\n{input}\n';

describe('header-in-completion', () => {
  test('an exact header line in an api: completion file is plain text: information', () => {
    const checked = check(source);
    const found = withCode(checked, 'header-in-completion');
    assert.deepEqual(found.map((d) => d.range), checked.marked);
    assert.ok(found.every((d) => d.severity === DiagnosticSeverity.Information));
    assert.match(messageOf(found[1]), /“human:” here is plain text, not a message header/);
  });

  test('fix: make it a chat prompt', () => {
    const fixed = applyFix(check(source), 'header-in-completion', 'Set api to chat');
    assert.equal(fixed.text, '---\napi: chat\n---\nsystem:\nBe brief.\n{history}\nhuman:\n{input}\n');
    assert.deepEqual(withCode(fixed, 'header-in-completion'), []);
  });

  test('does not fire without `api: completion`, or for `Human:` transcript lines', () => {
    assert.deepEqual(withCode(check('system:\nBe brief.\n\nhuman:\n{history}\n{input}\n'), 'header-in-completion'), []);
    assert.deepEqual(codes(check('---\napi: completion\n---\n{history}\nHuman: {input}\nAI:\n')), []);
  });
});
