// Diagnostics of open documents. A client that pulls (textDocument/diagnostic) asks when it wants them;
// otherwise they are pushed a short while after the last edit, tagged with the version they describe.
// Nothing is computed for a version that is already stale, so nothing computed is ever thrown away.

import { DocumentDiagnosticRequest, type Connection, type Disposable, type DocumentDiagnosticReport, type TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { validate } from '../../service/languageService';
import type { DocumentContexts } from './documentContexts';
import { cancelled, runSafeAsync, runSafeInBackground } from './runner';
import { invalidParams, textDocument } from './requestParams';

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
      if (token.isCancellationRequested) throw cancelled();
      return { kind: 'full', items: validate(context) };
    }),
  );
  const refreshAll = () => {
    if (canRefresh) void runSafeInBackground(connection.console, 'asking the client to pull diagnostics again', () => connection.languages.diagnostics.refresh());
  };
  return { refreshAll };
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
    if (!context || this.pending.has(uri) || this.host.documents.get(uri)?.version !== context.textDocument.version) return;
    const { version } = context.textDocument;
    await this.host.connection.sendDiagnostics({ uri, version, diagnostics: validate(context) });
  }
}
