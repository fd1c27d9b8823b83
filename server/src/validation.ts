// Diagnostics of open documents. A client that pulls (textDocument/diagnostic) asks when it wants them;
// otherwise they are pushed a short while after the last edit, tagged with the version they describe.
// Nothing is computed for a version that is already stale, so nothing computed is ever thrown away.
//
// Validation can take long the first time a big prompt or a long stored conversation is tokenized. The
// service does that work in steps (core/steps.ts); they run here in slices of a few milliseconds with
// the event loop free in between, so other requests are answered meanwhile, and stop as soon as the
// result is not wanted any more: the document changed or closed. A request is not kept waiting for it:
// past `answerWithinMs` it is answered with the provisional diagnostics (the token count estimated), and
// once the work is done the client is told again — asked to pull (when it can be) or sent them.

import { DocumentDiagnosticRequest, LSPErrorCodes, ResponseError, type CancellationToken, type Connection, type Disposable, type DocumentDiagnosticReport, type TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver';
import { isProvisional, validate, validateNow, validateSteps, type PromptContext, type Steps } from '../../service/languageService';
import type { DocumentContexts } from './documentContexts';
import { cancelled, runSafeAsync, runSafeInBackground } from './runner';
import { invalidParams, textDocument } from './requestParams';
import type { TestFiles } from './testFiles';
import { validateTestFile } from '../../service/languageService';
import { isTestFilePath } from '../../core/testing/testPaths';

/** How long validation runs before it lets other work through. */
const sliceMs = 5;

/**
 * How long after it arrives a request for diagnostics is answered, provisionally if the long work is not
 * done by then. Counted from its arrival: reading a big document (parsing it) is part of the wait.
 */
const answerWithinMs = 25;

/**
 * The complete diagnostics of each context, computed once in slices however many requests ask for them;
 * undefined when the document changed or closed before they were done.
 */
class Validations {
  private readonly jobs = new WeakMap<PromptContext, Promise<Diagnostic[] | undefined>>();

  constructor(private readonly host: DiagnosticsHost) {}

  of(context: PromptContext): Promise<Diagnostic[] | undefined> {
    let job = this.jobs.get(context);
    if (!job) {
      job = inSlices(validateSteps(context), () => isCurrent(this.host, context));
      this.jobs.set(context, job);
    }
    return job;
  }

  /**
   * The diagnostics within `answerWithinMs`: complete, or provisional with `later` told the complete ones
   * when they are done. Undefined when the document changed first, or when `stop` said so.
   */
  async answer(context: PromptContext, stop: Promise<void>, later: ((diagnostics: Diagnostic[]) => void) | undefined, askedAt: number): Promise<Diagnostic[] | undefined> {
    if (!isProvisional(context)) return validate(context);
    const job = this.of(context);
    if (!later) return Promise.race([job, stop.then(() => undefined)]);
    let timer: NodeJS.Timeout | undefined;
    const wait = Math.max(0, askedAt + answerWithinMs - performance.now());
    const deadline = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), wait)));
    const first = await Promise.race([job, deadline, stop.then(() => undefined)]);
    clearTimeout(timer);
    if (first !== 'late') return first;
    void job.then((complete) => complete && isCurrent(this.host, context) && later(complete));
    return validateNow(context);
  }
}

export const defaultDiagnosticsDelayMs = 200;

export interface DiagnosticsHost {
  readonly connection: Connection;
  readonly documents: TextDocuments<TextDocument>;
  readonly contexts: DocumentContexts;
  readonly testFiles: TestFiles;
}

/** A test file's diagnostics (its own problems and its prompt's), with the version they describe. */
async function testFileDiagnostics(host: DiagnosticsHost, uri: string): Promise<{ version: number; items: Diagnostic[] } | undefined> {
  const ctx = host.testFiles.context(uri);
  if (!ctx) return undefined;
  const checked = await host.testFiles.check(ctx);
  return { version: ctx.textDocument.version, items: validateTestFile(ctx, checked.problems) };
}

export interface Diagnostics {
  /** Settings or stored memory changed: every open document's diagnostics may be different now. */
  refreshAll(): void;
  /** A prompt changed: the open test files' diagnostics (checked against their prompts) may be different now. */
  refreshTestFiles(): void;
}

export function registerPullDiagnostics(host: DiagnosticsHost, canRefresh: boolean): Diagnostics {
  const { connection, contexts } = host;
  const validations = new Validations(host);
  const empty: DocumentDiagnosticReport = { kind: 'full', items: [] };
  const refreshAll = () => {
    if (canRefresh) void runSafeInBackground(connection.console, 'asking the client to pull diagnostics again', () => connection.languages.diagnostics.refresh());
  };
  connection.languages.diagnostics.on((params, token) =>
    invalidParams(DocumentDiagnosticRequest.method, params, [textDocument]) ??
    runSafeAsync(connection.console, `diagnostics of ${params.textDocument.uri}`, token, empty, async (): Promise<DocumentDiagnosticReport> => {
      const askedAt = performance.now();
      if (isTestFilePath(params.textDocument.uri)) return { kind: 'full', items: (await testFileDiagnostics(host, params.textDocument.uri))?.items ?? [] };
      const context = await contexts.get(params.textDocument.uri);
      if (!context) return empty;
      // A client that cannot be asked to pull again waits for the complete diagnostics.
      const items = await validations.answer(context, whenCancelled(token), canRefresh ? refreshAll : undefined, askedAt);
      if (items === undefined) throw notWanted(token);
      return { kind: 'full', items };
    }),
  );
  return { refreshAll, refreshTestFiles: refreshAll };
}

/** Settles when the request is cancelled. */
function whenCancelled(token: CancellationToken): Promise<void> {
  return new Promise((resolve) => {
    if (token.isCancellationRequested) resolve();
    else token.onCancellationRequested(() => resolve());
  });
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
    refreshTestFiles: () => host.documents.keys().filter(isTestFilePath).forEach((uri) => pushed.schedule(uri)),
    dispose: () => subscriptions.forEach((subscription) => subscription.dispose()),
  };
}

class PushedDiagnostics {
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly validations: Validations;

  constructor(
    private readonly host: DiagnosticsHost,
    private readonly delayMs: number,
  ) {
    this.validations = new Validations(host);
  }

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
    if (isTestFilePath(uri)) return this.publishTestFile(uri);
    const askedAt = performance.now();
    const context = await this.host.contexts.get(uri);
    // While settings or stored turns were being read, the document may have been edited (its own timer
    // will publish that version) or closed.
    if (!context || this.pending.has(uri) || !isCurrent(this.host, context)) return;
    const { version } = context.textDocument;
    const send = (diagnostics: Diagnostic[]) => void this.host.connection.sendDiagnostics({ uri, version, diagnostics });
    // Nothing cancels a push: a new edit starts its own timer, and that version is published instead.
    const never = new Promise<void>(() => undefined);
    const diagnostics = await this.validations.answer(
      context,
      never,
      (complete) => {
        if (!this.pending.has(uri)) send(complete);
      },
      askedAt,
    );
    if (diagnostics !== undefined && !this.pending.has(uri) && isCurrent(this.host, context)) send(diagnostics);
  }

  private async publishTestFile(uri: string): Promise<void> {
    const diagnostics = await testFileDiagnostics(this.host, uri);
    if (!diagnostics || this.pending.has(uri) || this.host.documents.get(uri)?.version !== diagnostics.version) return;
    void this.host.connection.sendDiagnostics({ uri, version: diagnostics.version, diagnostics: diagnostics.items });
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
    const waits = typeof step.value !== 'number';
    if (!waits && performance.now() - sliceStart < sliceMs) continue;
    // A step that waits (a tokenizer loading in its worker) resumes when that settles, failed or not.
    await (waits ? (step.value as Promise<unknown>).catch(() => undefined) : new Promise((resolve) => setImmediate(resolve)));
    if (!wanted()) {
      steps.return(undefined as T);
      return undefined;
    }
    sliceStart = performance.now();
  }
}
