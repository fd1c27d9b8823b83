// The editing features: each LSP request is answered by the pure language service with the document's
// cached PromptContext. This file only routes; what a feature does lives in service/features/*.ts.

import { ErrorCodes, LSPErrorCodes, ResponseError } from 'vscode-languageserver';
import type { CancellationToken, Position, TextDocumentIdentifier } from 'vscode-languageserver';
import * as service from '../../service/languageService';
import type { PromptContext } from '../../service/context';
import type { OfferedFeatures } from './capabilities';
import type { PromptServer } from './server';
import { cancelled, runSafeAsync } from './runner';

/** `{` opens a variable; `:` ends a front-matter key, after which its values are offered. */
const completionTriggerCharacters = ['{', ':'];

export function offeredFeatures(): OfferedFeatures {
  return { semanticTokensLegend: service.semanticTokensLegend, completionTriggerCharacters };
}

export function registerFeatures(server: PromptServer): void {
  const { connection } = server;
  const on = answerer(server);
  connection.onCompletion(on('completion', null, (ctx, p) => service.getCompletions(ctx, p.position)));
  connection.onHover(on('hover', null, (ctx, p) => service.getHover(ctx, p.position)));
  connection.onDefinition(on('definition', [], (ctx, p) => service.getDefinition(ctx, p.position)));
  connection.onReferences(on('references', [], (ctx, p) => service.getReferences(ctx, p.position, p.context)));
  connection.onPrepareRename(on('rename preparation', null, (ctx, p) => service.prepareRename(ctx, p.position)));
  connection.onRenameRequest(on('rename', null, (ctx, p) => renameEdit(ctx, p.position, p.newName)));
  connection.onDocumentSymbol(on('document symbols', [], (ctx) => service.getDocumentSymbols(ctx)));
  connection.onFoldingRanges(on('folding ranges', [], (ctx) => service.getFoldingRanges(ctx)));
  connection.onCodeAction(on('code actions', [], (ctx, p) => service.getCodeActions(ctx, p.range, p.context?.diagnostics ?? [])));
  connection.onCodeLens(on('code lenses', [], (ctx) => service.getCodeLenses(ctx)));
  connection.languages.semanticTokens.on(on('semantic tokens', { data: [] }, (ctx) => service.getSemanticTokens(ctx)));
}

/**
 * Builds handlers that find the document's context, give up if the client cancelled meanwhile, and
 * compute the answer; any failure is logged with what was being computed and answered with `fallback`.
 */
function answerer(server: PromptServer) {
  return <P extends { textDocument: TextDocumentIdentifier }, R>(what: string, fallback: R, compute: (ctx: PromptContext, params: P) => R) =>
    (params: P, token: CancellationToken) => {
      // Parameters are whatever the client sent: a request naming no document has no document to answer for.
      const uri: unknown = (params as Partial<P> | null | undefined)?.textDocument?.uri;
      if (typeof uri !== 'string') return fallback;
      return runSafeAsync(server.connection.console, `${what} for ${uri}`, token, fallback, async () => {
        const ctx = await server.contexts.get(uri);
        if (!ctx) return fallback;
        if (token.isCancellationRequested) throw cancelled();
        return compute(ctx, params);
      });
    };
}

/** A rename the service refuses (invalid or clashing name) is reported to the user with its reason. */
function renameEdit(ctx: PromptContext, position: Position, newName: unknown) {
  if (typeof newName !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, 'textDocument/rename needs "newName" as a string.');
  const result = service.getRenameEdits(ctx, position, newName);
  if ('error' in result) throw new ResponseError(LSPErrorCodes.RequestFailed, result.error);
  return result.edit;
}
