// What makes an answer valid for its method, checked against the exact text the request was asked on:
// results of the right shape, every range inside the document (a position between CR and LF or past a
// line's end is outside), edits that do not overlap, completion edits on one line around the cursor, and
// semantic tokens that decode to non-overlapping tokens within their lines. Each check returns the
// problems it found (empty when the answer is valid), described so a failure names what was wrong where.

import type { Position, Range, SemanticTokensLegend } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Commands } from '../../server/src/protocol';

export type Problems = string[];

type Fields = Record<string, unknown>;

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isUinteger(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/** Checks of one answer, collecting problems under a path (`items[3].textEdit.range`). */
class Checker {
  readonly problems: Problems = [];

  constructor(readonly doc: TextDocument) {}

  fail(where: string, what: string): void {
    if (this.problems.length < 10) this.problems.push(`${where}: ${what}`);
  }

  /** A position the document has: the text round-trips through it. */
  position(where: string, value: unknown): value is Position {
    if (!isObject(value) || !isUinteger(value.line) || !isUinteger(value.character)) {
      this.fail(where, `not a position: ${JSON.stringify(value)}`);
      return false;
    }
    const canonical = this.doc.positionAt(this.doc.offsetAt(value as unknown as Position));
    if (canonical.line !== value.line || canonical.character !== value.character) {
      this.fail(where, `(${value.line}, ${value.character}) is outside the document (${this.doc.lineCount} lines)`);
      return false;
    }
    return true;
  }

  range(where: string, value: unknown): value is Range {
    if (!isObject(value)) {
      this.fail(where, `not a range: ${JSON.stringify(value)}`);
      return false;
    }
    if (!this.position(`${where}.start`, value.start) || !this.position(`${where}.end`, value.end)) return false;
    if (this.doc.offsetAt(value.start as Position) > this.doc.offsetAt(value.end as Position)) {
      this.fail(where, 'ends before it starts');
      return false;
    }
    return true;
  }

  string(where: string, value: unknown, { empty = true } = {}): boolean {
    if (typeof value === 'string' && (empty || value.length > 0)) return true;
    this.fail(where, `not a ${empty ? '' : 'non-empty '}string: ${JSON.stringify(value)}`);
    return false;
  }

  array(where: string, value: unknown): value is unknown[] {
    if (Array.isArray(value)) return true;
    this.fail(where, `not an array: ${JSON.stringify(value)?.slice(0, 100)}`);
    return false;
  }

  /** Edits of one document: each inside it, none overlapping another. */
  edits(where: string, value: unknown): void {
    if (!this.array(where, value)) return;
    const spans: [number, number, number][] = [];
    value.forEach((edit, i) => {
      if (!isObject(edit) || !this.range(`${where}[${i}].range`, edit.range)) return;
      this.string(`${where}[${i}].newText`, edit.newText);
      spans.push([this.doc.offsetAt((edit.range as Range).start), this.doc.offsetAt((edit.range as Range).end), i]);
    });
    spans.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    // Insertions at one offset are applied in order; any other shared text is an overlap.
    let reach = { end: 0, index: -1 };
    for (const [start, end, index] of spans) {
      if (start < reach.end) this.fail(where, `edits ${reach.index} and ${index} overlap`);
      if (end >= reach.end) reach = { end, index };
    }
  }

  workspaceEdit(where: string, value: unknown): void {
    if (!isObject(value)) return this.fail(where, `not a workspace edit: ${JSON.stringify(value)}`);
    const { changes, documentChanges } = value;
    if (changes !== undefined) {
      if (!isObject(changes)) return this.fail(`${where}.changes`, 'not an object');
      for (const [uri, edits] of Object.entries(changes)) {
        if (uri !== this.doc.uri) this.fail(`${where}.changes`, `edits another document, ${uri}`);
        else this.edits(`${where}.changes[uri]`, edits);
      }
    }
    if (documentChanges !== undefined && this.array(`${where}.documentChanges`, documentChanges)) {
      documentChanges.forEach((change, i) => {
        const target = isObject(change) && isObject(change.textDocument) ? change.textDocument.uri : undefined;
        if (target !== this.doc.uri) this.fail(`${where}.documentChanges[${i}]`, `not an edit of this document: ${JSON.stringify(change)?.slice(0, 100)}`);
        else this.edits(`${where}.documentChanges[${i}].edits`, (change as Fields).edits);
      });
    }
  }

  location(where: string, value: unknown): void {
    if (!isObject(value)) return this.fail(where, `not a location: ${JSON.stringify(value)}`);
    if (value.uri !== this.doc.uri) return this.fail(`${where}.uri`, `points at another document, ${JSON.stringify(value.uri)}`);
    this.range(`${where}.range`, value.range);
  }

  diagnostic(where: string, value: unknown): void {
    if (!isObject(value)) return this.fail(where, 'not a diagnostic');
    this.range(`${where}.range`, value.range);
    this.string(`${where}.message`, value.message, { empty: false });
    if (value.severity !== undefined && ![1, 2, 3, 4].includes(value.severity as number)) this.fail(`${where}.severity`, String(value.severity));
    if (value.code === 'internal-error') this.fail(`${where}`, `a rule failed: ${String(value.message)}`);
  }

  command(where: string, value: unknown): void {
    if (!isObject(value)) return this.fail(where, 'not a command');
    this.string(`${where}.title`, value.title, { empty: false });
    this.string(`${where}.command`, value.command, { empty: false });
    if (value.arguments !== undefined) this.array(`${where}.arguments`, value.arguments);
  }
}

/** What a request was asked with, for the checks that depend on it. */
export interface Asked {
  /** The position sent, as the server reads it (clamped into the document). */
  position?: Position;
}

export type AnswerCheck = (doc: TextDocument, answer: unknown, asked: Asked, legend: SemanticTokensLegend) => Problems;

function check(body: (c: Checker, answer: unknown, asked: Asked, legend: SemanticTokensLegend) => void): AnswerCheck {
  return (doc, answer, asked, legend) => {
    const checker = new Checker(doc);
    body(checker, answer, asked, legend);
    return checker.problems;
  };
}

const diagnosticReport = check((c, answer) => {
  if (!isObject(answer) || answer.kind !== 'full') return c.fail('report', `not a full report: ${JSON.stringify(answer)?.slice(0, 100)}`);
  if (c.array('items', answer.items)) answer.items.forEach((d, i) => c.diagnostic(`items[${i}]`, d));
});

const publishedDiagnostics = check((c, answer) => {
  if (c.array('diagnostics', answer)) answer.forEach((d, i) => c.diagnostic(`diagnostics[${i}]`, d));
});

const hover = check((c, answer) => {
  if (answer === null) return;
  if (!isObject(answer)) return c.fail('hover', 'not an object');
  const { contents } = answer;
  const markup = isObject(contents) && typeof contents.value === 'string';
  const strings = Array.isArray(contents) && contents.every((part) => typeof part === 'string' || (isObject(part) && typeof part.value === 'string'));
  if (typeof contents !== 'string' && !markup && !strings) c.fail('hover.contents', `not hover contents: ${JSON.stringify(contents)?.slice(0, 100)}`);
  if (answer.range !== undefined) c.range('hover.range', answer.range);
});

/** LSP: a completion edit is on one line and contains the position completion was asked at. */
function completionEdit(c: Checker, where: string, range: unknown, at: Position | undefined): void {
  if (!c.range(where, range) || !at) return;
  const offset = c.doc.offsetAt(at);
  if (range.start.line !== range.end.line) c.fail(where, 'spans lines');
  else if (c.doc.offsetAt(range.start) > offset || offset > c.doc.offsetAt(range.end)) c.fail(where, `does not contain the cursor (${at.line}, ${at.character})`);
}

const completion = check((c, answer, asked) => {
  if (answer === null) return;
  const items = Array.isArray(answer) ? answer : isObject(answer) ? answer.items : undefined;
  if (!c.array('items', items)) return;
  items.forEach((item, i) => {
    const where = `items[${i}]`;
    if (!isObject(item)) return c.fail(where, 'not a completion item');
    c.string(`${where}.label`, item.label, { empty: false });
    const edit = item.textEdit;
    if (isObject(edit)) {
      c.string(`${where}.textEdit.newText`, edit.newText);
      if ('range' in edit) completionEdit(c, `${where}.textEdit.range`, edit.range, asked.position);
      else {
        completionEdit(c, `${where}.textEdit.insert`, edit.insert, asked.position);
        completionEdit(c, `${where}.textEdit.replace`, edit.replace, asked.position);
      }
    }
    if (item.additionalTextEdits !== undefined) c.edits(`${where}.additionalTextEdits`, item.additionalTextEdits);
  });
});

const locations = check((c, answer) => {
  if (answer === null) return;
  const list = Array.isArray(answer) ? answer : [answer];
  list.forEach((location, i) => {
    if (isObject(location) && 'targetUri' in location) {
      c.location(`[${i}]`, { uri: location.targetUri, range: location.targetRange });
      c.range(`[${i}].targetSelectionRange`, location.targetSelectionRange);
    } else c.location(`[${i}]`, location);
  });
});

const prepareRename = check((c, answer) => {
  if (answer === null) return;
  if (!isObject(answer)) return c.fail('prepareRename', 'not an object');
  if ('defaultBehavior' in answer) return;
  if ('placeholder' in answer) {
    c.string('placeholder', answer.placeholder);
    c.range('range', answer.range);
  } else c.range('range', answer);
});

const rename = check((c, answer) => {
  if (answer !== null) c.workspaceEdit('edit', answer);
});

function symbol(c: Checker, where: string, value: unknown, depth: number): void {
  if (!isObject(value)) return c.fail(where, 'not a symbol');
  c.string(`${where}.name`, value.name, { empty: false });
  if (!Number.isInteger(value.kind) || (value.kind as number) < 1 || (value.kind as number) > 26) c.fail(`${where}.kind`, String(value.kind));
  if ('location' in value) return c.location(`${where}.location`, value.location);
  if (c.range(`${where}.range`, value.range) && c.range(`${where}.selectionRange`, value.selectionRange)) {
    const outer = value.range as Range;
    const inner = value.selectionRange as Range;
    if (c.doc.offsetAt(inner.start) < c.doc.offsetAt(outer.start) || c.doc.offsetAt(inner.end) > c.doc.offsetAt(outer.end)) {
      c.fail(`${where}.selectionRange`, 'not inside its range');
    }
  }
  if (value.children !== undefined && c.array(`${where}.children`, value.children) && depth < 50) {
    value.children.forEach((child, i) => symbol(c, `${where}.children[${i}]`, child, depth + 1));
  }
}

const documentSymbols = check((c, answer) => {
  if (answer !== null && c.array('symbols', answer)) answer.forEach((s, i) => symbol(c, `[${i}]`, s, 0));
});

const foldingRanges = check((c, answer) => {
  if (answer === null || !c.array('ranges', answer)) return;
  answer.forEach((fold, i) => {
    if (!isObject(fold) || !isUinteger(fold.startLine) || !isUinteger(fold.endLine)) return c.fail(`[${i}]`, `not a folding range: ${JSON.stringify(fold)}`);
    if (fold.startLine > fold.endLine || fold.endLine >= c.doc.lineCount) c.fail(`[${i}]`, `lines ${fold.startLine}-${fold.endLine} of ${c.doc.lineCount}`);
  });
});

/** Decodes the relative encoding: every token on one line, inside it, after the one before. */
const semanticTokens = check((c, answer, _asked, legend) => {
  if (!isObject(answer) || !c.array('data', answer.data)) return;
  const data = answer.data;
  if (data.length % 5 !== 0) return c.fail('data', `length ${data.length} is not a multiple of 5`);
  if (!data.every(isUinteger)) return c.fail('data', 'holds something other than unsigned integers');
  const numbers = data as number[];
  let line = 0;
  let start = 0;
  let previousEnd = 0;
  for (let i = 0; i < numbers.length; i += 5) {
    const [deltaLine, deltaStart, length, type, modifiers] = numbers.slice(i, i + 5) as [number, number, number, number, number];
    const where = `token ${i / 5}`;
    if (deltaLine > 0) previousEnd = 0;
    line += deltaLine;
    start = deltaLine > 0 ? deltaStart : start + deltaStart;
    if (start < previousEnd) c.fail(where, 'overlaps the token before it');
    if (length === 0) c.fail(where, 'is empty');
    if (type >= legend.tokenTypes.length) c.fail(where, `type ${type} is not in the legend`);
    if (modifiers >= 2 ** legend.tokenModifiers.length) c.fail(where, `modifiers ${modifiers} are not in the legend`);
    if (line >= c.doc.lineCount) return c.fail(where, `line ${line} of ${c.doc.lineCount}`);
    const lineEnd = c.doc.positionAt(c.doc.offsetAt({ line, character: Number.MAX_SAFE_INTEGER })).character;
    if (start + length > lineEnd) c.fail(where, `(${line}, ${start}) length ${length} runs past the line's end (${lineEnd})`);
    previousEnd = start + length;
  }
});

const codeLenses = check((c, answer) => {
  if (answer === null || !c.array('lenses', answer)) return;
  answer.forEach((lens, i) => {
    if (!isObject(lens)) return c.fail(`[${i}]`, 'not a code lens');
    c.range(`[${i}].range`, lens.range);
    if (lens.command !== undefined) c.command(`[${i}].command`, lens.command);
  });
});

const codeActions = check((c, answer) => {
  if (answer === null || !c.array('actions', answer)) return;
  answer.forEach((action, i) => {
    const where = `[${i}]`;
    if (!isObject(action)) return c.fail(where, 'not a code action');
    if (typeof action.command === 'string') return c.command(where, action);
    c.string(`${where}.title`, action.title, { empty: false });
    if (action.edit !== undefined) c.workspaceEdit(`${where}.edit`, action.edit);
    if (action.command !== undefined) c.command(`${where}.command`, action.command);
    if (action.diagnostics !== undefined) c.array(`${where}.diagnostics`, action.diagnostics);
  });
});

const showMemory = check((c, answer) => {
  if (!isObject(answer)) return c.fail('result', 'not an object');
  c.string('memoryKey', answer.memoryKey, { empty: false });
  if (c.array('turns', answer.turns)) {
    answer.turns.forEach((turn, i) => {
      if (!isObject(turn) || typeof turn.input !== 'string' || typeof turn.output !== 'string') c.fail(`turns[${i}]`, 'not a turn');
    });
  }
});

const clearMemory = check((c, answer) => {
  if (!isObject(answer) || !isUinteger(answer.cleared)) c.fail('result', `not { cleared: number }: ${JSON.stringify(answer)?.slice(0, 100)}`);
});

const exportFile = check((c, answer) => {
  if (!isObject(answer)) return c.fail('result', 'not an object');
  c.string('text', answer.text, { empty: false });
  if (c.array('notCarried', answer.notCarried)) answer.notCarried.forEach((line, i) => c.string(`notCarried[${i}]`, line, { empty: false }));
});

const importFile = check((c, answer) => {
  if (!isObject(answer)) return c.fail('result', 'not an object');
  c.string('format', answer.format, { empty: false });
  c.string('text', answer.text, { empty: false });
  c.string('fileName', answer.fileName, { empty: false });
  if (c.array('notCarried', answer.notCarried)) answer.notCarried.forEach((line, i) => c.string(`notCarried[${i}]`, line, { empty: false }));
  if (typeof answer.text !== 'string' || !c.array('errors', answer.errors)) return;
  // The errors are the new file's: their ranges are checked against its text.
  const imported = new Checker(TextDocument.create(`${c.doc.uri}.imported`, 'prompt', 0, answer.text));
  answer.errors.forEach((error, i) => imported.diagnostic(`errors[${i}]`, error));
  for (const problem of imported.problems) c.problems.push(problem);
});

const historyAttachment = (c: Checker, where: string, value: unknown) => {
  if (!isObject(value)) return c.fail(where, 'not a history attachment');
  for (const field of ['store', 'display', 'sessionId'] as const) c.string(`${where}.${field}`, value[field], { empty: false });
  if (typeof value.readonly !== 'boolean' || (value.source !== 'file' && value.source !== 'attached')) c.fail(where, 'no readonly or source');
};

const listHistorySessions = check((c, answer) => {
  if (!isObject(answer)) return c.fail('result', 'not an object');
  if (c.array('stores', answer.stores)) answer.stores.forEach((store, i) => (isObject(store) && typeof store.name === 'string' && typeof store.display === 'string') || c.fail(`stores[${i}]`, 'not a store'));
  if (answer.store !== null && !(isObject(answer.store) && typeof answer.store.name === 'string')) c.fail('store', 'neither null nor a store');
  if (c.array('sessions', answer.sessions)) answer.sessions.forEach((session, i) => c.string(`sessions[${i}]`, session, { empty: true }));
});

const attachHistorySession = check((c, answer) => {
  if (answer !== null) historyAttachment(c, 'result', answer);
});

const listTests = check((c, answer) => {
  if (!isObject(answer)) return c.fail('result', 'not an object');
  if (c.array('conversations', answer.conversations)) {
    answer.conversations.forEach((conversation, i) => {
      if (!isObject(conversation)) return c.fail(`conversations[${i}]`, 'not a conversation');
      c.string(`conversations[${i}].name`, conversation.name, { empty: true });
      c.range(`conversations[${i}].range`, conversation.range);
      if (c.array(`conversations[${i}].turns`, conversation.turns)) {
        conversation.turns.forEach((turn, j) => {
          const where = `conversations[${i}].turns[${j}]`;
          if (!isObject(turn) || turn.index !== j || typeof turn.input !== 'string') return c.fail(where, 'not a turn in order');
          c.range(`${where}.range`, turn.range);
        });
      }
    });
  }
  if (c.array('errors', answer.errors)) answer.errors.forEach((error, i) => c.diagnostic(`errors[${i}]`, error));
});

const saveAsTest = check((c, answer) => {
  if (!isObject(answer) || !isObject(answer.testFile) || !isObject(answer.snapshotFile)) return c.fail('result', 'not a saved test');
  c.string('testFile.uri', answer.testFile.uri, { empty: false });
  c.string('testFile.text', answer.testFile.text, { empty: false });
  c.string('snapshotFile.text', answer.snapshotFile.text, { empty: false });
  c.string('conversation', answer.conversation, { empty: false });
  if (typeof answer.turns !== 'number' || answer.turns < 1) c.fail('turns', 'not a positive count');
});

/** The check of each method's answer (push diagnostics under the notification's name, commands by name). */
export const answerChecks: Record<string, AnswerCheck> = {
  'textDocument/diagnostic': diagnosticReport,
  'textDocument/publishDiagnostics': publishedDiagnostics,
  'textDocument/hover': hover,
  'textDocument/completion': completion,
  'textDocument/definition': locations,
  'textDocument/references': locations,
  'textDocument/prepareRename': prepareRename,
  'textDocument/rename': rename,
  'textDocument/documentSymbol': documentSymbols,
  'textDocument/foldingRange': foldingRanges,
  'textDocument/semanticTokens/full': semanticTokens,
  'textDocument/codeLens': codeLenses,
  'textDocument/codeAction': codeActions,
  [`workspace/executeCommand ${Commands.showMemory}`]: showMemory,
  [`workspace/executeCommand ${Commands.clearMemory}`]: clearMemory,
  [`workspace/executeCommand ${Commands.exportFile}`]: exportFile,
  [`workspace/executeCommand ${Commands.importFile}`]: importFile,
  [`workspace/executeCommand ${Commands.listHistorySessions}`]: listHistorySessions,
  [`workspace/executeCommand ${Commands.attachHistorySession}`]: attachHistorySession,
  [`workspace/executeCommand ${Commands.listTests}`]: listTests,
  [`workspace/executeCommand ${Commands.saveAsTest}`]: saveAsTest,
};
