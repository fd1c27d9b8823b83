// The editing features: each LSP request is answered by the pure language service with the document's
// cached PromptContext. This file only routes; what a feature does lives in service/features/*.ts.

import {
  CodeActionRequest,
  CodeLensRequest,
  CompletionRequest,
  DefinitionRequest,
  DocumentSymbolRequest,
  FoldingRangeRequest,
  HoverRequest,
  LSPErrorCodes,
  PrepareRenameRequest,
  ReferencesRequest,
  RenameRequest,
  ResponseError,
  SemanticTokensRequest,
} from 'vscode-languageserver';
import type { CancellationToken, Position, TextDocumentIdentifier } from 'vscode-languageserver';
import * as service from '../../service/languageService';
import type { PromptContext } from '../../service/context';
import type { TestFileContext } from '../../service/testing/testFileContext';
import { isTestFilePath } from '../../core/testing/testPaths';
import type { OfferedFeatures } from './capabilities';
import type { PromptServer } from './server';
import { cancelled, runSafeAsync } from './runner';
import * as needs from './requestParams';
import { endpointOf } from './endpoint';

/** `{` opens a variable; `:` ends a front-matter key, after which its values are offered. */
const completionTriggerCharacters = ['{', ':'];

export function offeredFeatures(): OfferedFeatures {
  return { semanticTokensLegend: service.semanticTokensLegend, completionTriggerCharacters };
}

const inDocument = [needs.textDocument];
const atPosition = [needs.textDocument, needs.position];

export function registerFeatures(server: PromptServer): void {
  const { connection } = server;
  const on = answerer(server);
  connection.onCompletion(
    on(CompletionRequest.method, atPosition, 'completion', null, async (ctx, p) => service.getCompletions(await withEndpointModels(server, ctx), p.position), async (ctx, p) =>
      ({ isIncomplete: false, items: service.getTestFileCompletions(ctx, p.position, await server.testFiles.facts(ctx)) })),
  );
  connection.onHover(on(HoverRequest.method, atPosition, 'hover', null, (ctx, p) => service.getHover(ctx, p.position), (ctx, p) => service.getTestFileHover(ctx, p.position)));
  connection.onDefinition(on(DefinitionRequest.method, atPosition, 'definition', [], (ctx, p) => service.getDefinition(ctx, p.position)));
  connection.onReferences(
    on(ReferencesRequest.method, [...atPosition, needs.referenceContext], 'references', [], (ctx, p) => service.getReferences(ctx, p.position, p.context)),
  );
  connection.onPrepareRename(on(PrepareRenameRequest.method, atPosition, 'rename preparation', null, (ctx, p) => service.prepareRename(ctx, p.position)));
  connection.onRenameRequest(on(RenameRequest.method, [...atPosition, needs.newName], 'rename', null, (ctx, p) => renameEdit(ctx, p.position, p.newName)));
  connection.onDocumentSymbol(on(DocumentSymbolRequest.method, inDocument, 'document symbols', [], (ctx) => service.getDocumentSymbols(ctx)));
  connection.onFoldingRanges(on(FoldingRangeRequest.method, inDocument, 'folding ranges', [], (ctx) => service.getFoldingRanges(ctx)));
  connection.onCodeAction(
    on(CodeActionRequest.method, [...inDocument, needs.range, needs.codeActionContext], 'code actions', [], (ctx, p) =>
      service.getCodeActions(ctx, p.range, p.context?.diagnostics ?? [])),
  );
  connection.onCodeLens(on(CodeLensRequest.method, inDocument, 'code lenses', [], (ctx) => service.getCodeLenses(ctx)));
  connection.languages.semanticTokens.on(on(SemanticTokensRequest.method, inDocument, 'semantic tokens', { data: [] }, (ctx) => service.getSemanticTokens(ctx)));
}

/**
 * Builds handlers that check the parameters (InvalidParams, naming what is missing), find the document's
 * context, give up if the client cancelled meanwhile, and compute the answer; any failure is logged with
 * what was being computed and answered with `fallback`. A test file (`*.prompt-test.yaml`) is answered by
 * `forTestFile`, or with `fallback` by the features a test file does not have.
 */
function answerer(server: PromptServer) {
  return <P extends { textDocument: TextDocumentIdentifier }, R>(
    method: string,
    checks: readonly needs.ParamsCheck[],
    what: string,
    fallback: R,
    compute: (ctx: PromptContext, params: P) => R | Promise<R>,
    forTestFile?: (ctx: TestFileContext, params: P) => R | Promise<R>,
  ) =>
    (params: P, token: CancellationToken) => {
      // Parameters are whatever the client sent, whatever the type says.
      const invalid = needs.invalidParams(method, params, checks);
      if (invalid) return invalid;
      const { uri } = params.textDocument;
      return runSafeAsync(server.connection.console, `${what} for ${uri}`, token, fallback, async () => {
        if (isTestFilePath(uri)) {
          const testFile = server.testFiles.context(uri);
          return testFile && forTestFile ? forTestFile(testFile, params) : fallback;
        }
        const ctx = await server.contexts.get(uri);
        if (!ctx) return fallback;
        if (token.isCancellationRequested) throw cancelled();
        return compute(ctx, params);
      });
    };
}

/**
 * The context with the models the file's endpoint lists, when they are cached (modelLists.ts); else the
 * promptChain.models setting, and a fetch starts for the next completion. Never waits on the network.
 */
async function withEndpointModels(server: PromptServer, ctx: PromptContext): Promise<PromptContext> {
  const models = server.modelLists.cached(endpointOf(await server.settings.get(ctx.textDocument.uri)));
  return models.length > 0 ? { ...ctx, settings: { ...ctx.settings, models } } : ctx;
}

/** A rename the service refuses (invalid or clashing name) is reported to the user with its reason. */
function renameEdit(ctx: PromptContext, position: Position, newName: string) {
  const result = service.getRenameEdits(ctx, position, newName);
  if ('error' in result) throw new ResponseError(LSPErrorCodes.RequestFailed, result.error);
  return result.edit;
}
