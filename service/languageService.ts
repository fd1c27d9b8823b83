// The language service in one import: the server and the CLI use only this module. Every feature is a
// pure function of a PromptContext (built once per document version with createContext) returning
// plain LSP types; none touches a connection or `vscode`.

export { createContext, defaultServiceSettings } from './context';
export type { PromptContext, ServiceSettings, WorkspaceFacts } from './context';
export { errorsNow, isProvisional, validate, validateNow, validateSteps } from './diagnostics';
export type { Steps } from '../core/steps';
export { getCodeActions } from './features/codeActions';
export { getCompletions } from './features/completion';
export { getHover } from './features/hover';
export { getDefinition } from './features/definition';
export { getReferences } from './features/references';
export { prepareRename, getRenameEdits, newNameProblem } from './features/rename';
export type { RenameResult } from './features/rename';
export { getDocumentSymbols } from './features/symbols';
export { getFoldingRanges } from './features/folding';
export { getSemanticTokens, semanticTokensLegend } from './features/semanticTokens';
export { getCodeLenses, runChatTurnCommand, clearConversationMemoryCommand } from './features/codeLens';
export { createTestFileContext } from './testing/testFileContext';
export type { TestFileContext, TestFileFacts } from './testing/testFileContext';
export { validateTestFile } from './testing/testDiagnostics';
export { getTestFileCompletions } from './testing/testCompletion';
export { getTestFileHover } from './testing/testHover';
