// The requests the fuzz sends: for each method the server declares, well-formed parameters at positions
// inside, at the edges of and outside the text, and malformed ones (a field missing or of the wrong type)
// whose only valid answer is InvalidParams. `declaredMethods` reads the initialize result, so a capability
// added to the server without a fuzzer here fails the fuzz instead of going untested.

import type { Position, Range, ServerCapabilities } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { codeStyles, exportFormats } from '../../core/interop/formats';
import { Commands } from '../../server/src/protocol';
import type { Random } from './random';

export const positionMethods = [
  'textDocument/hover',
  'textDocument/completion',
  'textDocument/definition',
  'textDocument/references',
  'textDocument/prepareRename',
  'textDocument/rename',
] as const;

export const documentMethods = [
  'textDocument/documentSymbol',
  'textDocument/foldingRange',
  'textDocument/semanticTokens/full',
  'textDocument/codeLens',
] as const;

/**
 * The commands run against every fuzzed document, with their arguments: showMemory reads the stored
 * conversation, clearMemory empties it (in the run's own state folder), exportFile writes the file as a
 * random other format (refused on a file with errors), importFile reads it as another tool's `.prompt`
 * (the corpus holds Dotprompt and Continue files; ours are refused as unrecognized). runTurn is left out on
 * purpose: it sends the prompt to a model endpoint; test/server/runTurn.test.ts and endpoint.test.ts drive it
 * against the fake OpenAI server. So are formatPrompt (it takes the turn's input) and listModels (it asks
 * the endpoint): editorLoop.test.ts. listHistorySessions and attachHistorySession name the fuzz's one store,
 * unknown ones and bad session ids: each is an answer or RequestFailed (kind 'history'), never a crash.
 * listTests reads the fuzzed text as a test file (`*.prompt-test.yaml`): mutated YAML through the test-file
 * parser; runTests is left out as runTurn is (it sends every turn to the endpoint): test/server/testRuns.test.ts.
 * saveAsTest turns the stored conversation into test-file text (nothing written); compareModels and
 * replayConversation are left out as runTurn is: test/server/sideBySide.test.ts.
 */
export const fuzzedCommands: ReadonlyArray<{ command: string; args: (uri: string, random: Random) => Record<string, unknown> }> = [
  { command: Commands.showMemory, args: (uri) => ({ uri }) },
  { command: Commands.clearMemory, args: (uri) => ({ uri }) },
  { command: Commands.exportFile, args: (uri, random) => exportArguments(uri, random) },
  { command: Commands.importFile, args: (uri) => ({ uri }) },
  { command: Commands.listHistorySessions, args: (uri, random) => ({ uri, ...(random.chance(0.5) && { store: random.pick(fuzzedStoreNames) }) }) },
  { command: Commands.listTests, args: (uri) => ({ uri }) },
  { command: Commands.saveAsTest, args: (uri, random) => ({ uri, ...(random.chance(0.3) && { name: random.pick(['', ' ', 'x'.repeat(500), 'a\u0000b']) }) }) },
  { command: Commands.attachHistorySession, args: (uri, random) => ({ uri, store: random.pick([...fuzzedStoreNames, null]), sessionId: random.pick(fuzzedSessionIds) }) },
];

/**
 * The fuzz's servers have one shared history configured, `fuzz` (a `file:` store in the run's folder:
 * fuzzServers sets PROMPT_CHAIN_HISTORY_STORES); the others are unknown or not names at all.
 */
export const fuzzedHistoryStore = 'fuzz';
const fuzzedStoreNames = [fuzzedHistoryStore, 'missing', '', 'redis://x'];
const fuzzedSessionIds = ['default', 's-1', null, '', ' ', 'x'.repeat(2000), 'é\u0000'];
export const unfuzzedMethods = new Set([Commands.runTurn, Commands.formatPrompt, Commands.listModels, Commands.runTests, Commands.compareModels, Commands.replayConversation].map((command) => `workspace/executeCommand ${command}`));

function exportArguments(uri: string, random: Random): Record<string, unknown> {
  const { format, takesStyle } = random.pick(exportFormats);
  return takesStyle && random.chance(0.5) ? { uri, format, style: random.pick(codeStyles).style } : { uri, format };
}

/** Everything the fuzz knows how to drive. */
export const fuzzedMethods = new Set<string>([
  'textDocument/didOpen',
  'textDocument/didChange',
  'textDocument/didClose',
  'textDocument/diagnostic',
  'textDocument/publishDiagnostics',
  ...positionMethods,
  ...documentMethods,
  'textDocument/codeAction',
  ...fuzzedCommands.map(({ command }) => `workspace/executeCommand ${command}`),
]);

/**
 * The methods the server's capabilities promise, pushed diagnostics included; a capability this table does
 * not know comes back as `unknown capability <name>`, which no fuzz covers.
 */
export function declaredMethods(capabilities: ServerCapabilities, pull: boolean): string[] {
  const methods: string[] = ['textDocument/didOpen', 'textDocument/didChange', 'textDocument/didClose'];
  methods.push(pull ? 'textDocument/diagnostic' : 'textDocument/publishDiagnostics');
  const provided: Record<string, (value: unknown) => string[]> = {
    textDocumentSync: () => [],
    workspace: () => [],
    diagnosticProvider: () => [],
    hoverProvider: () => ['textDocument/hover'],
    definitionProvider: () => ['textDocument/definition'],
    referencesProvider: () => ['textDocument/references'],
    documentSymbolProvider: () => ['textDocument/documentSymbol'],
    foldingRangeProvider: () => ['textDocument/foldingRange'],
    completionProvider: (v) => ['textDocument/completion', ...(resolves(v) ? ['completionItem/resolve'] : [])],
    renameProvider: (v) => ['textDocument/rename', ...(isFlagged(v, 'prepareProvider') ? ['textDocument/prepareRename'] : [])],
    codeActionProvider: (v) => ['textDocument/codeAction', ...(resolves(v) ? ['codeAction/resolve'] : [])],
    codeLensProvider: (v) => ['textDocument/codeLens', ...(resolves(v) ? ['codeLens/resolve'] : [])],
    semanticTokensProvider: (v) => semanticTokenMethods(v as { full?: boolean | { delta?: boolean }; range?: boolean }),
    executeCommandProvider: (v) => ((v as { commands?: string[] }).commands ?? []).map((command) => `workspace/executeCommand ${command}`),
  };
  for (const [name, value] of Object.entries(capabilities)) {
    if (value === undefined || value === false) continue;
    const methodsOf = provided[name];
    methods.push(...(methodsOf ? methodsOf(value) : [`unknown capability ${name}`]));
  }
  return methods;
}

function isFlagged(value: unknown, flag: string): boolean {
  return typeof value === 'object' && value !== null && (value as Record<string, unknown>)[flag] === true;
}

function resolves(value: unknown): boolean {
  return isFlagged(value, 'resolveProvider');
}

function semanticTokenMethods(provider: { full?: boolean | { delta?: boolean }; range?: boolean }): string[] {
  const methods: string[] = [];
  if (provider.full) methods.push('textDocument/semanticTokens/full');
  if (typeof provider.full === 'object' && provider.full.delta) methods.push('textDocument/semanticTokens/full/delta');
  if (provider.range) methods.push('textDocument/semanticTokens/range');
  return methods;
}

/** Where to ask: inside the text, at its edges (start, end, a line's end), or outside it (LSP clamps those). */
export function positions(doc: TextDocument, random: Random): Position[] {
  const length = doc.getText().length;
  const line = random.int(doc.lineCount);
  const edge = random.pick<Position>([
    { line: 0, character: 0 },
    doc.positionAt(length),
    { line, character: lineLength(doc, line) },
  ]);
  const outside = random.pick<Position>([
    { line: doc.lineCount + random.int(1000), character: random.int(10) },
    { line, character: lineLength(doc, line) + 1 + random.int(100_000) },
    { line: -1 - random.int(5), character: -random.int(5) },
    { line: 0, character: 2 ** 31 - 1 },
  ]);
  return [doc.positionAt(random.int(length + 1)), doc.positionAt(random.int(length + 1)), edge, outside];
}

function lineLength(doc: TextDocument, line: number): number {
  return doc.positionAt(doc.offsetAt({ line, character: Number.MAX_SAFE_INTEGER })).character;
}

/** A range to ask for code actions in: the whole text, around a diagnostic, or anywhere. */
export function codeActionRange(doc: TextDocument, random: Random, around: Range | undefined): Range {
  const length = doc.getText().length;
  return random.weighted<() => Range>([
    [2, () => ({ start: { line: 0, character: 0 }, end: doc.positionAt(length) })],
    [2, () => around ?? { start: doc.positionAt(0), end: doc.positionAt(0) }],
    [2, () => {
      const [a, b] = [random.int(length + 1), random.int(length + 1)].sort((x, y) => x - y) as [number, number];
      return { start: doc.positionAt(a), end: doc.positionAt(b) };
    }],
    // Reversed, and past the end: a lax client's ranges still get an answer.
    [1, () => ({ start: doc.positionAt(length), end: { line: 0, character: 0 } })],
    [1, () => ({ start: { line: doc.lineCount + 5, character: 0 }, end: { line: doc.lineCount + 9, character: 3 } })],
  ])();
}

export const newNames = ['renamed', 'history', 'chat_history', 'human_input', 'q', '1bad', '', 'a b', 'stop', 'é', '_', 'x'.repeat(300)];

export interface MalformedRequest {
  method: string;
  params: unknown;
}

const badPositions: unknown[] = [undefined, null, '3:4', [1, 2], { line: '1', character: 0 }, { line: 1.5, character: 0 }, { line: 1e20, character: 0 }, { line: 1 }, { character: 2 }, {}];
const badDocuments: unknown[] = [undefined, null, 'file:///x.prompt', { uri: 5 }, {}, [{ uri: 'untitled:x' }]];

/** A request with one required field missing or mistyped: InvalidParams is its only valid answer. */
export function malformedRequest(uri: string, random: Random, pull: boolean): MalformedRequest {
  const textDocument = { uri };
  const position = { line: 0, character: 0 };
  const without = (fields: Record<string, unknown>, name: string, value: unknown) => {
    const copy: Record<string, unknown> = { ...fields };
    if (value === undefined) delete copy[name];
    else copy[name] = value;
    return copy;
  };
  return random.weighted<() => MalformedRequest>([
    [4, () => ({ method: random.pick(positionMethods), params: without({ textDocument, position, newName: 'x' }, 'position', random.pick(badPositions)) })],
    [3, () => {
      const method = random.pick([...positionMethods, ...documentMethods, 'textDocument/codeAction']);
      return { method, params: without({ textDocument, position, newName: 'x', range: { start: position, end: position } }, 'textDocument', random.pick(badDocuments)) };
    }],
    [1, () => ({ method: random.pick([...positionMethods, ...documentMethods]), params: random.pick([null, [], [textDocument], 'text', 7]) })],
    [1, () => ({ method: 'textDocument/rename', params: { textDocument, position, newName: random.pick([undefined, 5, null, ['x']]) } })],
    [1, () => ({ method: 'textDocument/references', params: { textDocument, position, context: random.pick([5, 'all', { includeDeclaration: 'yes' }, null]) } })],
    [2, () => ({
      method: 'textDocument/codeAction',
      params: random.pick([
        { textDocument, context: { diagnostics: [] } },
        { textDocument, range: { start: position }, context: { diagnostics: [] } },
        { textDocument, range: { start: position, end: { line: 'x', character: 0 } } },
        { textDocument, range: { start: position, end: position }, context: 5 },
        { textDocument, range: { start: position, end: position }, context: { diagnostics: 'none' } },
      ]),
    })],
    [pull ? 1 : 0, () => ({ method: 'textDocument/diagnostic', params: without({ textDocument }, 'textDocument', random.pick(badDocuments)) })],
    [2, () => ({
      method: 'workspace/executeCommand',
      params: random.pick([
        { command: Commands.showMemory },
        { command: Commands.showMemory, arguments: [] },
        { command: Commands.showMemory, arguments: [5] },
        { command: Commands.showMemory, arguments: [{ uri: 5 }] },
        { command: Commands.showMemory, arguments: [{}] },
        { command: Commands.clearMemory, arguments: [{ uri: null }] },
        { command: 'promptChain.noSuchCommand', arguments: [{ uri }] },
        { command: 'constructor', arguments: [{ uri }] },
        {},
      ]),
    })],
  ])();
}

/** Well-formed but odd diagnostics a client may send back: the service checks each one. */
export function mangledDiagnostics(random: Random): unknown[] {
  return random.pick([
    [null, 5, 'x'],
    [{ range: null, message: 5, code: 'unprovided-variable', data: { name: 7 } }],
    [{ message: 'no range', code: 'memory-key-unused' }],
    [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, message: 'm', code: 'memory-key-mismatch', data: { key: ['x'] } }],
    [{ range: { start: { line: 9999, character: 0 }, end: { line: 9999, character: 5 } }, message: 'm', code: 'undeclared-variable', source: 'prompt-chain', data: { name: 'x' } }],
  ]);
}
