// A small LSP client for the server tests: spawns the bundled server (`node dist/server.js --stdio`),
// speaks JSON-RPC over its stdio, answers the server's requests (workspace/configuration from a settings
// object the test controls; refresh requests are recorded) and records its notifications with waiters,
// so a test waits for the event it expects — diagnostics of a given version, a refresh — never a timer.
// If the server process dies, every pending wait fails with its stderr.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { ensureBuilt, repoRoot } from '../support/build';
import {
  CancellationTokenSource,
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type Diagnostic,
  type InitializeResult,
  type LogMessageParams,
  type MessageConnection,
  type PublishDiagnosticsParams,
  type Range,
} from 'vscode-languageserver/node';
import type { ComparisonProgress, InitializationOptions, PromptChainSettings, TestRunProgress, TurnProgress } from '../../server/src/protocol';
import { ComparisonProgressNotification, TestRunProgressNotification, TurnProgressNotification } from '../../server/src/protocol';

/** The servers' code cache (server/src/codeCache.ts) goes to a folder of the tests', not the user's ~/.cache. */
const testCacheHome = path.join(tmpdir(), 'prompt-chain-test-cache');

/** Fails a suite that would otherwise wait forever for an event that never comes; not a timing check. */
export const hangGuardMs = 60_000;

export const serverPath = path.join(repoRoot, 'dist/server.js');

export function ensureServerBuilt(): void {
  ensureBuilt(serverPath, ['core', 'service', 'server/src']);
}

export interface LspClientOptions {
  /** Announce pull diagnostics (textDocument/diagnostic); otherwise the server pushes them. */
  pull?: boolean;
  /** With `pull`: whether the client can be asked to pull again (workspace/diagnostic/refresh). Default true. */
  pullRefresh?: boolean;
  /** The `promptChain` section answered to workspace/configuration. */
  settings?: Partial<PromptChainSettings>;
  /** Extra environment for the server process (OPENAI_BASE_URL, OPENAI_API_KEY, …). */
  env?: Record<string, string | undefined>;
  initializationOptions?: InitializationOptions;
  /** Workspace folder path sent in initialize. */
  workspaceFolder?: string;
}

/** Items arriving over time; `waitFor` resolves with the first one from `since` on that matches. */
class Arrivals<T> {
  readonly items: T[] = [];
  private waiters: { since: number; match: (item: T) => boolean; resolve: (item: T) => void; reject: (e: Error) => void }[] = [];
  private failure: Error | undefined;

  push(item: T): void {
    const index = this.items.push(item) - 1;
    const satisfied = this.waiters.filter((w) => index >= w.since && w.match(item));
    this.waiters = this.waiters.filter((w) => !satisfied.includes(w));
    satisfied.forEach((w) => w.resolve(item));
  }

  waitFor(match: (item: T) => boolean, since = 0): Promise<T> {
    const found = this.items.slice(since).find(match);
    if (found !== undefined) return Promise.resolve(found);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.waiters.push({ since, match, resolve, reject }));
  }

  fail(error: Error): void {
    this.failure = error;
    this.waiters.forEach((w) => w.reject(error));
    this.waiters = [];
  }
}

export class LspClient {
  readonly diagnostics = new Arrivals<PublishDiagnosticsParams>();
  readonly progress = new Arrivals<TurnProgress>();
  readonly testProgress = new Arrivals<TestRunProgress>();
  readonly comparisonProgress = new Arrivals<ComparisonProgress>();
  /** Methods of requests the server sent to the client (refreshes, registrations, configuration). */
  readonly serverRequests = new Arrivals<string>();
  readonly logs = new Arrivals<LogMessageParams>();
  /** `$/progress` the server reported on progress it created itself (window/workDoneProgress/create). */
  readonly workDone = new Arrivals<{ token: string | number; value: { kind: string; title?: string; message?: string; percentage?: number } }>();
  settings: Partial<PromptChainSettings>;
  initializeResult!: InitializeResult;
  /** Settles when the server process exits, rejected with its exit status and stderr. */
  readonly exited: Promise<never>;
  private stderr = '';

  private constructor(
    readonly process: ChildProcessWithoutNullStreams,
    readonly connection: MessageConnection,
    options: LspClientOptions,
  ) {
    this.settings = options.settings ?? {};
    this.exited = new Promise<never>((_, reject) => {
      this.process.once('close', (code, signal) => reject(new Error(`server exited (${code ?? signal}); stderr:\n${this.stderr}`)));
    });
    // Waiting on it is optional; a test that never asks must not see an unhandled rejection.
    this.exited.catch(() => undefined);
  }

  static async start(options: LspClientOptions = {}): Promise<LspClient> {
    // PROMPT_CHAIN_TEST_SERVER_NODE_ARGS: node flags for the servers a test or the fuzz starts, such as
    // `--cpu-prof --cpu-prof-dir=/tmp/prof` (NODE_OPTIONS refuses --cpu-prof).
    const nodeArgs = process.env.PROMPT_CHAIN_TEST_SERVER_NODE_ARGS?.split(' ').filter((arg) => arg !== '') ?? [];
    const child = spawn(process.execPath, [...nodeArgs, serverPath, '--stdio'], { env: { ...process.env, XDG_CACHE_HOME: testCacheHome, ...options.env }, stdio: 'pipe' });
    const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const client = new LspClient(child, connection, options);
    client.listen();
    connection.listen();
    await client.initialize(options);
    return client;
  }

  private listen(): void {
    const { connection } = this;
    this.process.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.process.on('exit', (code, signal) => this.failAll(new Error(`server exited (${code ?? signal}); stderr:\n${this.stderr}`)));
    connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => this.diagnostics.push(params));
    connection.onNotification(TurnProgressNotification, (params: TurnProgress) => this.progress.push(params));
    connection.onNotification(TestRunProgressNotification, (params: TestRunProgress) => this.testProgress.push(params));
    connection.onNotification(ComparisonProgressNotification, (params: ComparisonProgress) => this.comparisonProgress.push(params));
    connection.onNotification('window/logMessage', (params: LogMessageParams) => this.logs.push(params));
    connection.onNotification('$/progress', (params: { token: string | number; value: { kind: string } }) => this.workDone.push(params));
    connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) => {
      this.serverRequests.push('workspace/configuration');
      return params.items.map((item) => (item.section === 'promptChain' ? this.settings : null));
    });
    connection.onRequest((method: string) => {
      this.serverRequests.push(method);
      return null;
    });
  }

  private failAll(error: Error): void {
    [this.diagnostics, this.progress, this.testProgress, this.comparisonProgress, this.serverRequests, this.logs].forEach((arrivals) => arrivals.fail(error));
  }

  private async initialize(options: LspClientOptions): Promise<void> {
    const folder = options.workspaceFolder;
    this.initializeResult = await this.connection.sendRequest<InitializeResult>('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: clientCapabilities(options.pull === true, options.pullRefresh !== false),
      workspaceFolders: folder ? [{ uri: fileUri(folder), name: path.basename(folder) }] : null,
      initializationOptions: options.initializationOptions,
    });
    await this.connection.sendNotification('initialized', {});
  }

  open(uri: string, text: string, version = 1): Promise<void> {
    return this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'prompt', version, text } });
  }

  /** Replaces the whole text (a change event without a range). */
  change(uri: string, version: number, text: string): Promise<void> {
    return this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  close(uri: string): Promise<void> {
    return this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** Push mode: the diagnostics the server published for exactly this version of the document. */
  async pushedDiagnostics(uri: string, version: number, since = 0): Promise<Diagnostic[]> {
    const published = await this.diagnostics.waitFor((p) => p.uri === uri && p.version === version, since);
    return published.diagnostics;
  }

  /** Pull mode: asks for the document's diagnostics. */
  async pulledDiagnostics(uri: string): Promise<Diagnostic[]> {
    const report = await this.request<{ kind: string; items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri } });
    return report.items;
  }

  /** Sends a request; rejects at once if the server dies before answering (jsonrpc alone would wait forever). */
  request<R>(method: string, params: unknown, token?: CancellationTokenSource): Promise<R> {
    // A third argument, even undefined, would make jsonrpc send the parameters by position.
    const sent = token ? this.connection.sendRequest<R>(method, params, token.token) : this.connection.sendRequest<R>(method, params);
    return Promise.race([sent, this.exited]);
  }

  executeCommand<R>(command: string, argument: object, token?: CancellationTokenSource): Promise<R> {
    return this.request<R>('workspace/executeCommand', { command, arguments: [argument] }, token);
  }

  /** Changes what workspace/configuration answers and tells the server, as an editor does. */
  changeSettings(settings: Partial<PromptChainSettings>): Promise<void> {
    this.settings = settings;
    return this.connection.sendNotification('workspace/didChangeConfiguration', { settings: { promptChain: settings } });
  }

  /** Applies edits to the text (incremental sync): each change has a range of the text before it. */
  changeRanges(uri: string, version: number, contentChanges: { range: Range; text: string }[]): Promise<void> {
    return this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges });
  }

  /** A notification of the client's own (promptChain/workspaceTrusted, …). */
  notify(method: string, params?: object): Promise<void> {
    return this.connection.sendNotification(method, params);
  }

  /** What the server wrote to stderr so far (under --stdio, nothing should). */
  get stderrText(): string {
    return this.stderr;
  }

  errorLogs(): string[] {
    return this.logs.items.filter((log) => log.type === 1).map((log) => log.message);
  }

  /** Shuts the server down as an editor does; one still busy after `killAfterMs` (if given) is killed. */
  async stop(killAfterMs?: number): Promise<void> {
    if (this.process.exitCode === null && this.process.signalCode === null) {
      const exited = new Promise((resolve) => this.process.once('exit', resolve));
      const timer = killAfterMs === undefined ? undefined : setTimeout(() => this.process.kill('SIGKILL'), killAfterMs);
      // Once the process is gone the connection is closed, and jsonrpc throws instead of rejecting.
      const send = (message: () => Promise<unknown>) => Promise.resolve().then(message).catch(() => undefined);
      await Promise.race([send(() => this.connection.sendRequest('shutdown')), exited]);
      await send(() => this.connection.sendNotification('exit'));
      await exited;
      clearTimeout(timer);
    }
    this.connection.dispose();
  }
}

export function fileUri(filePath: string): string {
  return pathToFileURL(filePath).href;
}

function clientCapabilities(pull: boolean, pullRefresh: boolean): ClientCapabilities {
  return {
    workspace: {
      configuration: true,
      didChangeConfiguration: { dynamicRegistration: true },
      workspaceFolders: true,
      codeLens: { refreshSupport: true },
      semanticTokens: { refreshSupport: true },
      ...(pull && { diagnostics: { refreshSupport: pullRefresh } }),
    },
    // As VS Code: the server may create progress of its own (a local model's download).
    window: { workDoneProgress: true },
    textDocument: {
      synchronization: { dynamicRegistration: false },
      publishDiagnostics: { versionSupport: true },
      ...(pull && { diagnostic: { dynamicRegistration: false } }),
      completion: { completionItem: { snippetSupport: true } },
      rename: { prepareSupport: true },
    },
  };
}

export { CancellationTokenSource };
