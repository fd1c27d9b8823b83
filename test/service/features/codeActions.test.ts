import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CodeActionKind, type Diagnostic } from 'vscode-languageserver-types';
import { applyEdits, fixture } from '../../support/fixture';
import { validate } from '../../../service/diagnostics';
import { getCodeActions } from '../../../service/features/codeActions';

const famous = '---\nmemory:\n  key: chat_history\n---\n{history}\nHuman: {human_input}\n';

describe('getCodeActions', () => {
  test('offers quick fixes for the diagnostics in the range, as workspace edits on the document', () => {
    const { ctx } = fixture(famous, { cursor: false });
    const diagnostics = validate(ctx);
    const atHistory = { start: { line: 4, character: 2 }, end: { line: 4, character: 2 } };
    const actions = getCodeActions(ctx, atHistory, diagnostics);
    assert.deepEqual(actions.map((a) => a.title), ['Rename `{history}` to `{chat_history}`', 'Set memory.key to `history`']);
    for (const action of actions) {
      assert.equal(action.kind, CodeActionKind.QuickFix);
      assert.deepEqual(Object.keys(action.edit?.changes ?? {}), ['test://a.prompt']);
      assert.deepEqual(action.diagnostics?.map((d) => d.code), ['unprovided-variable']);
    }
    const fixed = applyEdits(famous, actions[0]?.edit?.changes?.['test://a.prompt'] ?? []);
    assert.deepEqual(validate(fixture(fixed, { cursor: false }).ctx), []);
  });

  test('diagnostics outside the range, or from another source, get nothing', () => {
    const { ctx } = fixture(famous, { cursor: false });
    const diagnostics = validate(ctx);
    const lastLine = { start: { line: 5, character: 0 }, end: { line: 5, character: 1 } };
    assert.deepEqual(getCodeActions(ctx, lastLine, diagnostics), []);
    const foreign: Diagnostic[] = diagnostics.map((d) => ({ ...d, source: 'spellcheck' }));
    assert.deepEqual(getCodeActions(ctx, diagnostics[1]!.range, foreign), []);
  });

  test('a diagnostic from an older version whose variable is gone gets no fix', () => {
    const before = fixture(famous, { cursor: false });
    const stale = validate(before.ctx).find((d) => d.code === 'unprovided-variable');
    assert.ok(stale);
    const after = fixture(famous.replace('{history}', '{chat_history}'), { cursor: false, version: 2 });
    assert.deepEqual(getCodeActions(after.ctx, stale.range, [stale]), []);
  });

  test('diagnostics the client sends back mangled are skipped; the others keep their fixes', () => {
    const { ctx } = fixture(famous, { cursor: false });
    const diagnostics = validate(ctx);
    const mangled = [null, { message: 'no range', code: 'unprovided-variable' }, { ...diagnostics[1]!, range: { start: null } }] as unknown as Diagnostic[];
    const atHistory = { start: { line: 4, character: 2 }, end: { line: 4, character: 2 } };
    const titles = getCodeActions(ctx, atHistory, [...mangled, ...diagnostics]).map((a) => a.title);
    assert.deepEqual(titles, ['Rename `{history}` to `{chat_history}`', 'Set memory.key to `history`']);
    assert.deepEqual(getCodeActions(ctx, undefined as unknown as typeof atHistory, diagnostics), []);
  });

  test("the parser's did-you-mean becomes a fix: unknown key and invalid value", () => {
    const text = '---\nmemroy:\n  type: bufer\n---\n{history}\n{x}\n';
    const { ctx } = fixture(text, { cursor: false });
    const diagnostics = validate(ctx);
    const everywhere = { start: { line: 0, character: 0 }, end: { line: 6, character: 0 } };
    const actions = getCodeActions(ctx, everywhere, diagnostics);
    assert.deepEqual(actions.map((a) => [a.title, a.isPreferred]), [['Change to `memory`', true]]);
    const renamed = applyEdits(text, actions[0]?.edit?.changes?.['test://a.prompt'] ?? []);
    assert.equal(renamed, '---\nmemory:\n  type: bufer\n---\n{history}\n{x}\n');
    const second = fixture(renamed, { cursor: false });
    const valueFix = getCodeActions(second.ctx, everywhere, validate(second.ctx));
    assert.deepEqual(valueFix.map((a) => a.title), ['Change to `buffer`']);
    const fixed = applyEdits(renamed, valueFix[0]?.edit?.changes?.['test://a.prompt'] ?? []);
    assert.deepEqual(validate(fixture(fixed, { cursor: false }).ctx), []);
  });
});
