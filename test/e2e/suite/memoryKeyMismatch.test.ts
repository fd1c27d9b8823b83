// User story: the template says {history} but the memory writes chat_history; LangChain would only fail at
// run time. The editor underlines it, offers the fix, and the fixed file is clean.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { diagnosticsWhen, openInEditor } from './workspace';

const file = 'memory-key-mismatch.prompt';

suite('memory key mismatch', () => {
  test('{history} is flagged, and the quick fix renames it to the memory key chat_history', async () => {
    const editor = await openInEditor(file);
    const uri = editor.document.uri;
    const variable = rangeOf(editor.document, 'history', '{history}');

    const flagged = await diagnosticsWhen(uri, (all) => all.some((d) => d.range.intersection(variable)));
    const mismatch = flagged.find((d) => d.range.intersection(variable));
    assert.ok(mismatch, 'a diagnostic on {history}');
    assert.match(mismatch.message, /chat_history/, 'the message names the memory key');

    const fix = await renameToMemoryKeyFix(uri, mismatch);
    assert.ok(fix.edit && (await vscode.workspace.applyEdit(fix.edit)), `quick fix "${fix.title}" applies`);
    assert.ok(editor.document.getText().includes('{chat_history}\nHuman: {human_input}'), editor.document.getText());

    const after = await diagnosticsWhen(uri, (all) => !all.some((d) => /history/.test(d.message)));
    assert.deepEqual(after.map((d) => d.message), [], 'the fixed file has no diagnostics');
    await editor.document.save();
  });
});

/** The quick fix offered for the diagnostic whose edit writes the memory key into the template. */
async function renameToMemoryKeyFix(uri: vscode.Uri, diagnostic: vscode.Diagnostic): Promise<vscode.CodeAction> {
  const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
    'vscode.executeCodeActionProvider', uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
  const quickFixes = (actions ?? []).filter((a): a is vscode.CodeAction => 'edit' in a || 'kind' in a);
  const fix = quickFixes.find((a) => a.edit?.entries().some(([, edits]) => edits.some((e) => e.newText.includes('chat_history'))));
  assert.ok(fix, `a quick fix writing chat_history; offered: ${JSON.stringify(quickFixes.map((a) => a.title))}`);
  return fix;
}

/** The range of `word` where it occurs inside the first `context` of the document. */
function rangeOf(document: vscode.TextDocument, word: string, context: string): vscode.Range {
  const at = document.getText().indexOf(context);
  assert.ok(at >= 0, `the fixture contains ${context}`);
  const start = at + context.indexOf(word);
  return new vscode.Range(document.positionAt(start), document.positionAt(start + word.length));
}
