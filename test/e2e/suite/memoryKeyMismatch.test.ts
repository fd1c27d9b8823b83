// User story: the template says {history} but the memory writes chat_history; LangChain would only fail at
// run time. The editor underlines it, offers the fix, and the fixed file is clean.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { diagnosticsWhen, openInEditor } from './workspace';

const file = 'memory-key-mismatch.prompt';
/** service/diagnostics.ts marks ours; other sources are VS Code's or other extensions'. */
const ourSource = 'prompt-chain';

suite('memory key mismatch', () => {
  test('{history} is flagged, and the quick fix renames it to the memory key chat_history', async () => {
    const editor = await openInEditor(file);
    const uri = editor.document.uri;
    const variable = rangeOf(editor.document, 'history', '{history}');

    const onVariable = (d: vscode.Diagnostic): boolean => d.source === ourSource && !!d.range.intersection(variable);
    const mismatch = (await diagnosticsWhen(uri, (all) => all.some(onVariable))).find(onVariable);
    assert.ok(mismatch, 'a diagnostic on {history}');
    assert.match(mismatch.message, /chat_history/, 'the message names the memory key');

    const fix = await renameToMemoryKeyFix(uri, mismatch);
    assert.ok(fix.edit && (await vscode.workspace.applyEdit(fix.edit)), `quick fix "${fix.title}" applies`);
    assert.ok(editor.document.getText().includes('{chat_history}\nHuman: {human_input}'), editor.document.getText());

    // The test times out if Prompt Chain's diagnostics never clear.
    await diagnosticsWhen(uri, (all) => !all.some((d) => d.source === ourSource));
    await editor.document.save();
  });

  // VS Code's chat "prompt files" (*.prompt.md) use the language id `prompt` too; if ours is the same id, VS Code
  // validates every .prompt file as a Copilot prompt file ("Attribute 'memory' is not supported in prompt files").
  // Runs after the story above, so the file has been opened, edited and re-validated by then.
  test('a valid .prompt file gets no diagnostics from VS Code\'s own prompt-file checks', async () => {
    const foreign = vscode.languages.getDiagnostics((await openInEditor(file)).document.uri).filter((d) => d.source !== ourSource);
    assert.deepEqual(foreign.map((d) => `${d.source ?? '(no source)'}: ${d.message}`), []);
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
