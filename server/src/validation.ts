// Diagnostics of open documents. A client that pulls (textDocument/diagnostic) asks when it wants them;
// otherwise they are pushed a short while after the last edit, tagged with the version they describe.
// Nothing is computed for a version that is already stale, so nothing computed is ever thrown away.
//
// Validation can take long the first time a big prompt or a long stored conversation is tokenized. The
// service does that work in steps (core/steps.ts); they run here in slices of a few milliseconds with
// the event loop free in between, so other requests are answered meanwhile, and stop as soon as the
// result is not wanted any more: the request was cancelled, or the document changed or closed.

import { DocumentDiagnosticRequest, LSPErrorCodes, ResponseError, type CancellationToken, type Connection, type Disposable, type DocumentDiagnosticReport, type TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { validateSteps, type PromptContext, type Steps } from '../../service/languageService';
import type { DocumentContexts } from './documentContexts';
import { cancelled, runSafeAsync, runSafeInBackground } from './runner';
import { invalidParams, textDocument } from './requestParams';

/** How long validation runs before it lets other work through. */
const sliceMs = 10;

export const defaultDiagnosticsDelayMs = 200;

export interface DiagnosticsHost {
  readonly connection: Connection;
  readonly documents: TextDocuments<TextDocument>;
  readonly contexts: DocumentContexts;
}

export interface Diagnostics {
  /** Settings or stored memory changed: every open document's diagnostics may be different now. */
  refreshAll(): void;
}

export function registerPullDiagnostics(host: DiagnosticsHost, canRefresh: boolean): Diagnostics {
  const { connection, contexts } = host;
  const empty: DocumentDiagnosticReport = { kind: 'full', items: [] };
  connection.languages.diagnostics.on((params, token) =>
    invalidParams(DocumentDiagnosticRequest.method, params, [textDocument]) ??
    runSafeAsync(connection.console, `diagnostics of ${params.textDocument.uri}`, token, empty, async (): Promise<DocumentDiagnosticReport> => {
      const context = await contexts.get(params.textDocument.uri);
      if (!context) return empty;
      const items = await inSlices(validateSteps(context), () => !token.isCancellationRequested && isCurrent(host, context));
      if (items === undefined) throw notWanted(token);
      return { kind: 'full', items };
    }),
  );
  const refreshAll = () => {
    if (canRefresh) void runSafeInBackground(connection.console, 'asking the client to pull diagnostics again', () => connection.languages.diagnostics.refresh());
  };
  return { refreshAll };
}

/** Whether the context still describes the open document (not edited or closed since). */
function isCurrent(host: DiagnosticsHost, context: PromptContext): boolean {
  return host.documents.get(context.textDocument.uri)?.version === context.textDocument.version;
}

/** Cancelled by the client, or outdated by an edit: then the client is told to ask again. */
function notWanted(token: CancellationToken): ResponseError<{ retriggerRequest: boolean }> {
  if (token.isCancellationRequested) return cancelled();
  return new ResponseError(LSPErrorCodes.ServerCancelled, 'The document changed while its diagnostics were computed.', { retriggerRequest: true });
}

export function registerPushDiagnostics(host: DiagnosticsHost, delayMs: number): Diagnostics & Disposable {
  const pushed = new PushedDiagnostics(host, delayMs);
  const subscriptions = [
    host.documents.onDidChangeContent((change) => pushed.schedule(change.document.uri)),
    host.documents.onDidClose((event) => pushed.clear(event.document.uri)),
  ];
  return {
    refreshAll: () => host.documents.keys().forEach((uri) => pushed.schedule(uri)),
    dispose: () => subscriptions.forEach((subscription) => subscription.dispose()),
  };
}

class PushedDiagnostics {
  private readonly pending = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly host: DiagnosticsHost,
    private readonly delayMs: number,
  ) {}

  /** Each edit restarts the document's timer: typing fast computes once, for the last version. */
  schedule(uri: string): void {
    clearTimeout(this.pending.get(uri));
    const timer = setTimeout(() => {
      this.pending.delete(uri);
      void runSafeInBackground(this.host.connection.console, `validating ${uri}`, () => this.publish(uri));
    }, this.delayMs);
    this.pending.set(uri, timer);
  }

  clear(uri: string): void {
    clearTimeout(this.pending.get(uri));
    this.pending.delete(uri);
    void this.host.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  private async publish(uri: string): Promise<void> {
    const context = await this.host.contexts.get(uri);
    // While settings or stored turns were being read, the document may have been edited (its own timer
    // will publish that version) or closed.
    if (!context || this.pending.has(uri) || !isCurrent(this.host, context)) return;
    const { version } = context.textDocument;
    // A new edit starts its own timer; that version will be published instead.
    const diagnostics = await inSlices(validateSteps(context), () => !this.pending.has(uri) && isCurrent(this.host, context));
    if (diagnostics !== undefined) await this.host.connection.sendDiagnostics({ uri, version, diagnostics });
  }
}

/**
 * Runs the steps, letting the event loop run every `sliceMs`; undefined as soon as `wanted` says no.
 * Between slices the connection reads what arrived: other requests, and the `$/cancelRequest` that
 * `wanted` sees through the request's token.
 */
export async function inSlices<T>(steps: Steps<T>, wanted: () => boolean): Promise<T | undefined> {
  let sliceStart = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() - sliceStart < sliceMs) continue;
    await new Promise((resolve) => setImmediate(resolve));
    if (!wanted()) {
      steps.return(undefined as T);
      return undefined;
    }
    sliceStart = performance.now();
  }
}
