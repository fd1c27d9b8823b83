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
    assert.deepEqual(actions.map((a) => a.title), ['Rename {history} to {chat_history}', 'Set memory.key to “history”']);
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
    assert.deepEqual(titles, ['Rename {history} to {chat_history}', 'Set memory.key to “history”']);
    assert.deepEqual(getCodeActions(ctx, undefined as unknown as typeof atHistory, diagnostics), []);
  });

  test("the parser's did-you-mean becomes a fix: unknown key and invalid value", () => {
    const text = '---\nmemroy:\n  type: bufer\n---\n{history}\n{x}\n';
    const { ctx } = fixture(text, { cursor: false });
    const diagnostics = validate(ctx);
    const everywhere = { start: { line: 0, character: 0 }, end: { line: 6, character: 0 } };
    const actions = getCodeActions(ctx, everywhere, diagnostics);
    assert.deepEqual(actions.map((a) => [a.title, a.isPreferred]), [['Change to “memory”', true]]);
    const renamed = applyEdits(text, actions[0]?.edit?.changes?.['test://a.prompt'] ?? []);
    assert.equal(renamed, '---\nmemory:\n  type: bufer\n---\n{history}\n{x}\n');
    const second = fixture(renamed, { cursor: false });
    const valueFix = getCodeActions(second.ctx, everywhere, validate(second.ctx));
    assert.deepEqual(valueFix.map((a) => a.title), ['Change to “buffer”']);
    const fixed = applyEdits(renamed, valueFix[0]?.edit?.changes?.['test://a.prompt'] ?? []);
    assert.deepEqual(validate(fixture(fixed, { cursor: false }).ctx), []);
  });

  describe('diagnostics of an older version', () => {
    const v1 = '---\nmemory: false\n---\nsystem:\nBe brief.\nSystem:\nhuman:\n{input}\n';
    const lookalikeOf = (text: string, version: number) => {
      const { ctx } = fixture(text, { cursor: false, version });
      const diagnostic = validate(ctx).filter((d) => d.code === 'header-lookalike').at(-1);
      assert.ok(diagnostic, text);
      return { ctx, diagnostic };
    };
    const fixedWith = (ctx: ReturnType<typeof lookalikeOf>['ctx'], diagnostic: Diagnostic) =>
      getCodeActions(ctx, diagnostic.range, [diagnostic]).map((a) => applyEdits(ctx.textDocument.getText(), a.edit?.changes?.['test://a.prompt'] ?? []));

    test('a finding whose range moved gets no fix from its old range; the current diagnostic does', () => {
      const stale = lookalikeOf(v1, 1).diagnostic;
      const v2 = v1.replace('Be brief.', 'Be brief.\nVery.');
      const current = lookalikeOf(v2, 2);
      assert.deepEqual(getCodeActions(current.ctx, stale.range, [stale]), []);
      assert.deepEqual(fixedWith(current.ctx, current.diagnostic), [v2.replace('System:', 'system:')]);
    });

    test('an old range past the end of a shorter text gets nothing, never an edit outside the text', () => {
      const stale = lookalikeOf(`${v1}${'padding\n'.repeat(5)}System:\n`, 1).diagnostic;
      assert.ok(stale.range.start.line > 8);
      const { ctx } = fixture('---\nmemory: false\n---\nsystem:\nhi\n', { cursor: false, version: 2 });
      const whole = { start: { line: 0, character: 0 }, end: { line: 99, character: 0 } };
      assert.deepEqual(getCodeActions(ctx, whole, [stale]), []);
    });

    test('a finding an edit elsewhere left unchanged keeps its fix', () => {
      const kept = lookalikeOf(v1, 1).diagnostic;
      const v2 = `${v1}More input.\n`;
      const { ctx } = fixture(v2, { cursor: false, version: 2 });
      assert.deepEqual(fixedWith(ctx, kept), [v2.replace('System:', 'system:')]);
    });
  });
});
